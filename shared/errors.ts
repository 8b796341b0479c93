// Errors a user can meet. Each carries a stable code and a message written for the user; the
// router passes both through to the renderer and the CLI prints them. A message never holds a
// stack trace, a path of the user's or a portfolio value: construct it from fixed words.

export class UserFacingError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

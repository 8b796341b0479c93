// Errors the git-backed ledger raises that a user can meet. Messages are fixed words: never a path,
// a commit message, an amount or git's own output (which may quote file contents).
import { UserFacingError } from '../../../shared/errors';

/** The working tree has tracked or untracked changes; a write would mix them into its commit. */
export class DirtyLedgerError extends UserFacingError {
  constructor() {
    super(
      'LEDGER_DIRTY',
      'The ledger repository has uncommitted changes. Commit or discard them, then try again.',
    );
  }
}

export class LedgerRepoNotFoundError extends UserFacingError {
  constructor() {
    super('LEDGER_NOT_A_REPO', 'The ledger folder is not inside a git repository.');
  }
}

export class LedgerCommitNotFoundError extends UserFacingError {
  constructor() {
    super('LEDGER_UNKNOWN_COMMIT', 'The ledger repository has no such commit.');
  }
}

/** A ledger file path that resolves outside the repository (or into its .git folder). */
export class LedgerPathOutsideRepoError extends UserFacingError {
  constructor() {
    super('LEDGER_PATH_OUTSIDE_REPO', 'The ledger file is not inside the ledger repository.');
  }
}

export class LedgerFileNotFoundError extends UserFacingError {
  constructor() {
    super('LEDGER_FILE_NOT_FOUND', 'The ledger file does not exist in the ledger repository.');
  }
}

/** The file exists but git does not track it (new or ignored); the write would not be committed. */
export class LedgerFileUntrackedError extends UserFacingError {
  constructor() {
    super('LEDGER_FILE_UNTRACKED', 'The ledger file is not tracked by git.');
  }
}

/** git refused the commit (e.g. GPG signing failed); the append was rolled back. */
export class LedgerCommitFailedError extends UserFacingError {
  constructor() {
    super(
      'LEDGER_COMMIT_FAILED',
      'Git could not commit the new entry (check commit signing and hooks); the ledger file was left unchanged.',
    );
  }
}

/** The input to formatTransaction did not validate. */
export class InvalidTransactionError extends UserFacingError {
  constructor() {
    super('LEDGER_INVALID_TRANSACTION', 'The transaction is not valid and was not written.');
  }
}

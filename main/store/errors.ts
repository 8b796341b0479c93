// Failures a user can meet when opening or writing the store. Messages are fixed words: no path,
// no key, no value.
import { UserFacingError } from '../../shared/errors';

export class StoreKeyMismatchError extends UserFacingError {
  constructor(reason: 'wrong-key' | 'missing-key') {
    super(
      'STORE_KEY_MISMATCH',
      reason === 'missing-key'
        ? 'The store cannot be opened: the selected vault holds no key for it. Choose the vault that holds its key (--vault), or restore a backup.'
        : 'The store cannot be opened with the key in the vault: the key is wrong, or the file is not a DawsOS store. The file was left untouched.',
    );
  }
}

export class NotADawsosStoreError extends UserFacingError {
  constructor() {
    super(
      'STORE_NOT_DAWSOS',
      'The file is not a DawsOS store (it is unencrypted or belongs to another program). The file was left untouched.',
    );
  }
}

export class StoreCorruptError extends UserFacingError {
  constructor() {
    super(
      'STORE_CORRUPT',
      'The store file is damaged or truncated. The file was left untouched; restore a backup with dawsos backup restore.',
    );
  }
}

export class StoreNewerThanAppError extends UserFacingError {
  constructor(storeVersion: number, appVersion: number) {
    super(
      'STORE_NEWER_THAN_APP',
      `The store has schema version ${storeVersion} but this DawsOS knows only up to ${appVersion}: update DawsOS.`,
    );
  }
}

export class StoreAbsentError extends UserFacingError {
  constructor() {
    super('STORE_ABSENT', 'There is no store yet: create one with dawsos store init.');
  }
}

export class StoreExistsError extends UserFacingError {
  constructor() {
    super('STORE_EXISTS', 'A store already exists in this data folder.');
  }
}

/** A write the database itself refused because the row is immutable (pricing packs, audit log). */
export class ImmutabilityError extends UserFacingError {
  constructor(readonly table: string) {
    super('IMMUTABLE', `Rows of ${table} are immutable: they can be added, never changed or deleted.`);
  }
}

const IMMUTABLE_MESSAGE = /immutable: ([a-z_]+)/;

/** Turns the triggers' `RAISE(ABORT, 'immutable: <table>')` into ImmutabilityError; anything else passes through. */
export function mapSqliteError(error: unknown): unknown {
  if (error instanceof Error && !(error instanceof UserFacingError)) {
    const match = IMMUTABLE_MESSAGE.exec(error.message);
    if (match?.[1]) return new ImmutabilityError(match[1]);
  }
  return error;
}

/** Runs `work`, rethrowing database refusals as the API's typed errors. */
export function mapped<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw mapSqliteError(error);
  }
}

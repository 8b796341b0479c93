// Errors of the ledger engine that a user can meet (fixed words, no paths or amounts). Problems
// inside a ledger are not thrown: they are LedgerError values in the load result.
import { UserFacingError } from '../../shared/errors';

/** The ledger file given to a command does not exist or is not a file. */
export class LedgerInputFileError extends UserFacingError {
  constructor() {
    super('LEDGER_FILE_NOT_FOUND', 'The ledger file does not exist or is not a readable file.');
  }
}

/** The worker that loads a ledger stopped without an answer. */
export class LedgerWorkerError extends UserFacingError {
  constructor() {
    super('LEDGER_WORKER_FAILED', 'Loading the ledger failed unexpectedly; see the log for details.');
  }
}

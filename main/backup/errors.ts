// Failures of backup files a user can meet. Wrong passphrase and tampering cannot be told apart
// (both fail the AES-GCM tag), so one message names both.
import { UserFacingError } from '../../shared/errors';

export class BackupFormatError extends UserFacingError {
  constructor() {
    super('BACKUP_FORMAT', 'The file is not a DawsOS backup, or its header is damaged. Nothing was changed.');
  }
}

export class BackupAuthenticationError extends UserFacingError {
  constructor() {
    super(
      'BACKUP_AUTH_FAILED',
      'The backup could not be decrypted: the passphrase is wrong, or the file was changed or damaged. Nothing was changed.',
    );
  }
}

export class BackupVerificationError extends UserFacingError {
  constructor(readonly check: string) {
    super(
      'BACKUP_VERIFY_FAILED',
      `The backup failed the "${check}" check, so it was not restored. Nothing was changed.`,
    );
  }
}

export class BackupExistsError extends UserFacingError {
  constructor() {
    super('BACKUP_EXISTS', 'The backup file already exists; choose a new file name.');
  }
}

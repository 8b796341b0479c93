// Failures a user can meet around pricing packs. Messages are fixed words: no value, no path.
import { UserFacingError } from '../../shared/errors';

export interface PackProgress {
  readonly done: number;
  readonly total: number;
}

/** A valuation asked for a date whose pack is still being built: never a half-priced result. */
export class PackWarmingError extends UserFacingError {
  constructor(
    readonly date: string,
    readonly progress: PackProgress,
  ) {
    super(
      'PACK_WARMING',
      `The pricing pack for ${date} is still being built (${progress.done} of ${progress.total} steps done). Try again when it is ready.`,
    );
  }
}

/** No pack for the date (never built, or its build failed). */
export class PackNotFoundError extends UserFacingError {
  constructor(
    readonly date: string,
    readonly reason: 'absent' | 'failed',
  ) {
    super(
      'PACK_NOT_FOUND',
      reason === 'failed'
        ? `The pricing pack for ${date} could not be built. Build it again with dawsos pricing build --date ${date}.`
        : `There is no pricing pack for ${date}. Build one with dawsos pricing build --date ${date}.`,
    );
  }
}

/** A stored pack whose rows no longer hash to its id, or whose chain is broken. */
export class PackIntegrityError extends UserFacingError {
  constructor() {
    super('PACK_INTEGRITY', 'A stored pricing pack does not match its id. Restore the store from a backup.');
  }
}

/** The store is not open (locked or absent), so packs can be neither read nor built. */
export class PricingStoreUnavailableError extends UserFacingError {
  constructor() {
    super('PRICING_STORE_UNAVAILABLE', 'Pricing needs the encrypted store: unlock or create it first.');
  }
}

/** No source of prices is configured for this build (no ledger given, no provider keys). */
export class PricingSourceUnavailableError extends UserFacingError {
  constructor() {
    super(
      'PRICING_SOURCE_UNAVAILABLE',
      'No price source is available: give a ledger with price directives, or configure a market data provider.',
    );
  }
}

/** Dates must be real calendar dates, YYYY-MM-DD, and a range must run forwards. */
export class PricingDateError extends UserFacingError {
  constructor() {
    super('PRICING_BAD_DATE', 'Dates are written YYYY-MM-DD, and a range starts on or before its end.');
  }
}

/** The ledger file given to a pricing build cannot be read. */
export class PricingLedgerFileError extends UserFacingError {
  constructor() {
    super('PRICING_LEDGER_FILE', 'The ledger file cannot be read: check that it exists and is a file.');
  }
}

/** --providers was asked for, but the vault holds no key for a price provider (FMP or Polygon). */
export class PricingProvidersNotConfiguredError extends UserFacingError {
  constructor() {
    super(
      'PRICING_PROVIDERS_NOT_CONFIGURED',
      'No price provider is configured: store an FMP or Polygon key with dawsos providers set-key.',
    );
  }
}

// Building packs and handing them to valuations. build() is backfill() over one date.
//
// backfill(from, to): every business day of the range is marked warming (progress done/total),
// the source collects history for the whole range at once — reaching back MAX_CARRY_BUSINESS_DAYS
// before `from` so the first dates can carry — then one pack per date is assembled and stored in
// date order, each chained to the one before (parent_pack_id), each date turning ready as its pack
// commits. A source that fails as a whole leaves its dates `failed`; a single security that fails
// leaves that commodity missing from the packs (listed, never zero).
import type { Db } from '../store/sqlcipher';
import { missingLabel, type MissingItem } from './assemble';
import { businessDaysInRange, isCalendarDate } from './calendar';
import { assembleChain, collectRange } from './chain';
import { PackNotFoundError, PackWarmingError, PricingDateError } from './errors';
import type { Pack } from './pack';
import {
  countBuilds,
  countPacks,
  failBuilds,
  finishBuild,
  getBuild,
  listBuilds,
  newBuildId,
  parentFor,
  readPack,
  reapInterruptedBuilds,
  reportProgress,
  startBuilds,
  storePack,
  type BuildState,
  type BuildStatus,
} from './pack-store';
import type { PriceSource, SourceFailure } from './sources';
import { valuePositions, type PositionInput, type Valuation } from './valuation';

/** Progress is written to the store at most this often (each write is a commit). */
export const PROGRESS_INTERVAL_MS = 250;

/**
 * Packs stored per transaction during a backfill (chain.ts): fewer commits (fsyncs), each pack
 * still atomic, and short enough (a few hundred ms) that the event loop is never held for long.
 */
export { PACKS_PER_TRANSACTION } from './chain';

export interface PackSummary {
  readonly as_of: string;
  readonly pack_id: string;
  readonly parent_pack_id: string | null;
  readonly state: 'ready' | 'ready_carried';
  readonly created: boolean;
  readonly prices: number;
  readonly fx: number;
  readonly carried: number;
  readonly missing: string[];
}

export interface BackfillReport {
  readonly from: string;
  readonly to: string;
  readonly source: PriceSource['kind'];
  readonly packs: number;
  readonly created: number;
  readonly first_pack_id: string | null;
  readonly last_pack_id: string | null;
  readonly failures: readonly SourceFailure[];
  readonly dates: PackSummary[];
}

export interface PricingStatus {
  readonly packs: number;
  readonly states: Record<BuildState, number>;
  readonly builds: BuildStatus[];
}

const validDate = isCalendarDate;

export interface PricingServiceOptions {
  /** The open store's connection (a function, so a host can lock and unlock the store). */
  readonly db: () => Db;
  readonly actor?: string;
}

export class PricingService {
  constructor(private readonly options: PricingServiceOptions) {}

  private get db(): Db {
    return this.options.db();
  }

  /** Builds the pack of one date (any date, business day or not). */
  async build(
    date: string,
    source: PriceSource,
  ): Promise<PackSummary & { failures: readonly SourceFailure[] }> {
    const report = await this.backfill(date, date, source);
    const summary = report.dates[0];
    if (!summary) throw new PricingDateError();
    return { ...summary, failures: report.failures };
  }

  /** Builds one pack per business day of [from, to] (just `from` when from = to), chained in order. */
  async backfill(from: string, to: string, source: PriceSource): Promise<BackfillReport> {
    if (!validDate(from) || !validDate(to) || to < from) throw new PricingDateError();
    const dates = from === to ? [from] : businessDaysInRange(from, to);
    return this.backfillDates(dates, source, { from, to });
  }

  /**
   * Builds the packs of `dates` (ascending, each a calendar date), chained in order: the first to
   * the latest ready business-day pack before it (parentFor), each next one to the one before.
   * `onPacks` hears, after each stored batch, how many of the dates have their pack.
   */
  async backfillDates(
    dates: readonly string[],
    source: PriceSource,
    range: { from: string; to: string } = { from: dates[0] ?? '', to: dates[dates.length - 1] ?? '' },
    onPacks?: (done: number, total: number) => void,
  ): Promise<BackfillReport> {
    if (!dates.every(validDate) || dates.some((d, i) => i > 0 && d <= dates[i - 1]!))
      throw new PricingDateError();
    const { from, to } = range;
    const db = this.db;
    const buildId = newBuildId();
    const steps = source.steps();
    startBuilds(db, dates, buildId, steps + 1);
    let collected;
    try {
      let lastWrite = 0;
      collected = await source.collect(dates.length > 0 ? collectRange(dates) : { from, to }, (done) => {
        const now = Date.now();
        if (done < steps && now - lastWrite < PROGRESS_INTERVAL_MS) return;
        lastWrite = now;
        reportProgress(db, buildId, done);
      });
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      failBuilds(db, buildId, typeof code === 'string' ? code : 'SOURCE_FAILED');
      throw error;
    }
    const summaries: PackSummary[] = [];
    try {
      await assembleChain({
        collected,
        dates,
        parent: dates.length > 0 ? parentFor(db, dates[0]!) : null,
        batch: (work) => db.transaction(work).immediate(),
        seal: (date, assembled) => {
          const { pack, created } = storePack(db, assembled.content, this.options.actor ?? 'system');
          const missing: MissingItem[] = assembled.missing;
          finishBuild(db, date, buildId, pack.pack_id, assembled.carried, missing);
          summaries.push({
            as_of: date,
            pack_id: pack.pack_id,
            parent_pack_id: pack.parent_pack_id,
            state: assembled.carried > 0 ? 'ready_carried' : 'ready',
            created,
            prices: pack.prices.length,
            fx: pack.fx.length,
            carried: assembled.carried,
            missing: missing.map(missingLabel),
          });
          return pack.pack_id;
        },
        ...(onPacks ? { onProgress: onPacks } : {}),
      });
    } catch (error) {
      failBuilds(db, buildId, 'STORE_FAILED');
      throw error;
    }
    return {
      from,
      to,
      source: source.kind,
      packs: summaries.length,
      created: summaries.filter((s) => s.created).length,
      first_pack_id: summaries[0]?.pack_id ?? null,
      last_pack_id: summaries[summaries.length - 1]?.pack_id ?? null,
      failures: collected.failures,
      dates: summaries,
    };
  }

  status(options: { date?: string; limit?: number } = {}): PricingStatus {
    const db = this.db;
    if (options.date !== undefined && !validDate(options.date)) throw new PricingDateError();
    reapInterruptedBuilds(db);
    const builds =
      options.date !== undefined
        ? [getBuild(db, options.date)].filter((b): b is BuildStatus => b !== null)
        : listBuilds(db, options.limit ?? 30);
    return { packs: countPacks(db), states: countBuilds(db), builds };
  }

  /** The ready pack of a date. Throws PackWarmingError while it is being built, PackNotFoundError without one. */
  packFor(date: string): Pack {
    const packId = this.packIdFor(date);
    const pack = readPack(this.db, packId);
    if (pack === null) throw new PackNotFoundError(date, 'absent');
    return pack;
  }

  /**
   * The id of the date's ready pack, without reading the pack. Throws like packFor (warming,
   * failed, absent).
   */
  packIdFor(date: string): string {
    if (!validDate(date)) throw new PricingDateError();
    const db = this.db;
    reapInterruptedBuilds(db);
    const build = getBuild(db, date);
    if (build === null) throw new PackNotFoundError(date, 'absent');
    if (build.state === 'warming') throw new PackWarmingError(date, build.progress);
    if (build.state === 'failed' || build.pack_id === null) throw new PackNotFoundError(date, 'failed');
    return build.pack_id;
  }

  /** Values positions with the date's pack; never a half-priced result (see packFor). */
  value(date: string, holdings: readonly PositionInput[], baseCurrency: string): Valuation {
    return valuePositions(holdings, this.packFor(date), baseCurrency);
  }
}

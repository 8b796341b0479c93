// The one assemble-and-chain loop: given collected price history and the dates of a chain, it
// assembles each date's pack from the source's universe for that date and chains it to the one
// before (parent_pack_id). PricingService.backfill runs it to store packs; buildPackChain runs it
// in memory (a run without a store), so the same ledger gives the same pack ids either way.
//
// Chain dates: every business day of [from, to], plus `to` itself when it is not one (a run pinned
// on a Saturday still gets a pack of that date). A weekend pack is a leaf: it is never the parent of
// a later pack (pack-store parentFor), so a chain over business days does not depend on which
// weekend dates happened to be built.
import { assemblePack, type AssembledPack } from './assemble';
import { businessDaysBefore, businessDaysInRange, isBusinessDay, MAX_CARRY_BUSINESS_DAYS } from './calendar';
import { canonicalAssembled, serialiseCanonical, type PackContent } from './pack';
import { sha256Hex } from '../audit/canonical';
import type { CollectedPrices, PriceSource } from './sources';

/** Packs handled per batch (a store transaction); the event loop is given a turn between batches. */
export const PACKS_PER_TRANSACTION = 50;

export function chainDates(from: string, to: string): string[] {
  if (to < from) return [];
  const dates = businessDaysInRange(from, to);
  if (!isBusinessDay(to)) dates.push(to);
  return dates;
}

/** The range a source must collect for `dates`: back MAX_CARRY_BUSINESS_DAYS so the first can carry. */
export function collectRange(dates: readonly string[]): { from: string; to: string } {
  return { from: businessDaysBefore(dates[0]!, MAX_CARRY_BUSINESS_DAYS), to: dates[dates.length - 1]! };
}

export interface ChainLoopOptions {
  readonly collected: CollectedPrices;
  readonly dates: readonly string[];
  /** The parent of the first date's pack (null: the chain starts here). */
  readonly parent: string | null;
  /** Seals one date's assembled pack (stores it, or just hashes it) and returns its id. */
  readonly seal: (date: string, assembled: AssembledPack) => string;
  /** Runs one batch of seals (a store transaction); default: runs it as is. */
  readonly batch?: (work: () => void) => void;
  /** Called after each batch with the dates sealed so far and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Assembles and seals one pack per date in order, each chained to the previous one. Returns the last id. */
export async function assembleChain(options: ChainLoopOptions): Promise<string | null> {
  const { collected, dates } = options;
  let parent = options.parent;
  const batch = options.batch ?? ((work: () => void) => work());
  for (let i = 0; i < dates.length; i += PACKS_PER_TRANSACTION) {
    const chunk = dates.slice(i, i + PACKS_PER_TRANSACTION);
    batch(() => {
      for (const date of chunk) {
        const assembled = assemblePack(collected.history, collected.universeAt(date), date, parent);
        parent = options.seal(date, assembled);
      }
    });
    options.onProgress?.(Math.min(i + PACKS_PER_TRANSACTION, dates.length), dates.length);
    // Let the event loop breathe between batches: IPC calls, progress events and the HTTP
    // client's sockets are served while a long chain is assembled.
    if (i + PACKS_PER_TRANSACTION < dates.length) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return parent;
}

/** An in-memory pack: its canonical content and id (what storePack would store under that id). */
export type ChainPack = PackContent & { readonly pack_id: string };

/**
 * The chain of packs for chainDates(from, to), assembled in memory from `source` — exactly what a
 * backfill of the same dates from the same source stores on a fresh store.
 */
export async function buildPackChain(source: PriceSource, from: string, to: string): Promise<ChainPack[]> {
  const dates = chainDates(from, to);
  if (dates.length === 0) return [];
  const collected = await source.collect(collectRange(dates), () => undefined);
  const packs: ChainPack[] = [];
  await assembleChain({
    collected,
    dates,
    parent: null,
    seal(_date, assembled) {
      const content = canonicalAssembled(assembled.content);
      const pack_id = sha256Hex(serialiseCanonical(content));
      packs.push({ ...content, pack_id });
      return pack_id;
    },
  });
  return packs;
}

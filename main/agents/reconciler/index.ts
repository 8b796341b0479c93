// reconciler: recomputes the portfolio's positions from the ledger at the pinned commit, as of the
// date of the store's latest snapshot, values both sides with the pinned pack, and reports every
// position whose value differs by more than the tolerance (in basis points of the ledger value; any
// difference when the ledger value is zero). A position on one side only is a difference.
import type { Decimal } from 'decimal.js';
import { z } from 'zod';
import { ZERO, dec, money, ratio } from '../../analytics/decimal';
import type { CapabilityRegistry } from '../../orchestrator/capability';
import { positionsAt } from '../book/book';
import type { AgentEnvironment, BookCache, PinnedInputs } from '../environment';
import { LEDGER_PROVENANCE, OWN_DATA_RIGHTS } from '../provenance';
import type { StoredSnapshot } from './stored-positions';

const BP = dec(10_000);

export interface ReconciledPosition {
  account: string;
  commodity: string;
  ledger_units: string;
  store_units: string;
  price: string | null;
  ledger_value: string;
  store_value: string;
  difference: string;
  difference_bp: string | null;
  within_tolerance: boolean;
}

export interface Reconciliation {
  as_of: string;
  tolerance_bp: string;
  store_commit: string;
  ledger_commit: string;
  commit_matches: boolean;
  pricing_pack_id: string;
  positions_checked: number;
  differences: ReconciledPosition[];
  matched: number;
  status: 'matched' | 'mismatch';
}

export function reconcile(
  p: PinnedInputs,
  stored: StoredSnapshot,
  commit: string,
  toleranceBp: string,
): Reconciliation {
  const asOf = stored.as_of;
  const ledger = new Map<string, Decimal>();
  for (const r of positionsAt(p.snapshot.entries, p.selection, asOf))
    ledger.set(
      `${r.account}\u0000${r.commodity}`,
      (ledger.get(`${r.account}\u0000${r.commodity}`) ?? ZERO).plus(r.units),
    );
  const store = new Map<string, Decimal>();
  for (const s of stored.positions)
    store.set(
      `${s.account}\u0000${s.commodity}`,
      (store.get(`${s.account}\u0000${s.commodity}`) ?? ZERO).plus(dec(s.units)),
    );
  const keys = [...new Set([...ledger.keys(), ...store.keys()])].sort();
  const tolerance = dec(toleranceBp);
  const differences: ReconciledPosition[] = [];
  for (const key of keys) {
    const [account, commodity] = key.split('\u0000') as [string, string];
    const lu = ledger.get(key) ?? ZERO;
    const su = store.get(key) ?? ZERO;
    const conv = p.prices.convert(commodity, p.base, asOf);
    const price = conv?.rate ?? null;
    // Without a price, units are compared as they are (a unit difference is a value difference).
    const lv = price ? lu.times(price) : lu;
    const sv = price ? su.times(price) : su;
    const diff = sv.minus(lv);
    const bp = lv.isZero() ? null : diff.abs().div(lv.abs()).times(BP);
    const within = bp === null ? diff.isZero() : !bp.gt(tolerance);
    if (!within)
      differences.push({
        account,
        commodity,
        ledger_units: money(lu),
        store_units: money(su),
        price: price ? money(price) : null,
        ledger_value: money(lv),
        store_value: money(sv),
        difference: money(diff),
        difference_bp: bp === null ? null : ratio(bp, 4),
        within_tolerance: false,
      });
  }
  return {
    as_of: asOf,
    tolerance_bp: toleranceBp,
    store_commit: stored.ledger_commit_hash,
    ledger_commit: commit,
    commit_matches: stored.ledger_commit_hash === commit,
    pricing_pack_id: p.prices.packId,
    positions_checked: keys.length,
    differences,
    matched: keys.length - differences.length,
    status: differences.length === 0 ? 'matched' : 'mismatch',
  };
}

export function registerReconciler(
  registry: CapabilityRegistry,
  env: AgentEnvironment,
  books: BookCache,
): void {
  registry.registerCapability('reconciler.reconcile', {
    description: 'Positions and values recomputed from the ledger compared with the store.',
    input: z.object({ tolerance_bp: z.string().regex(/^\d+(\.\d+)?$/) }),
    output: z.record(z.string(), z.unknown()),
    async run(input, ctx) {
      const p = await books.pinned(ctx);
      const provenance = [
        LEDGER_PROVENANCE(ctx.ledger_commit_hash, p.prices.asOf),
        { provider: 'store', dataset: 'positions', as_of: p.prices.asOf },
      ];
      if (!env.storedPositions)
        return { data: null, stale: true, message: 'no store is open', provenance, rights: OWN_DATA_RIGHTS };
      const stored = await env.storedPositions.latest(ctx.portfolio_id);
      if (!stored)
        return {
          data: null,
          stale: true,
          message: 'the store holds no positions for this portfolio',
          provenance,
          rights: OWN_DATA_RIGHTS,
        };
      const r = reconcile(p, stored, ctx.ledger_commit_hash, input.tolerance_bp);
      return {
        data: { portfolio_id: ctx.portfolio_id, ...r },
        ...(r.status === 'mismatch'
          ? { message: `${r.differences.length} positions differ by more than ${r.tolerance_bp} bp` }
          : {}),
        provenance,
        rights: OWN_DATA_RIGHTS,
      };
    },
  });
}

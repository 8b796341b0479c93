// A portfolio's book over a period, derived from the booked ledger and a PriceSource: the daily
// value series in base currency, the external cash flows, each holding's own series, the lots,
// the disposals and the income and cost events. Every capability of the financial analyst reads it.
//
// Conventions (docs/cli.md, "Patterns, run, demo": Conventions):
// - Portfolio accounts: see selection.ts. A transaction leg is
//   * a portfolio leg: on a selected account;
//   * a return leg: an Income/Expenses account named (by one of its components) dividend,
//     interest, fee, commission, tax, withholding, gain, loss or pnl (see legKind);
//   * an external leg: anything else (another Assets/Liabilities/Equity account, or other
//     Income/Expenses such as a salary paid straight into the portfolio).
// - External flow of a transaction that has a portfolio leg = minus the base-currency market value
//   of its external legs on the transaction date (positive = money into the portfolio). Buys,
//   sells, dividends, fees and FX conversions inside the portfolio are not flows.
// - Valuation dates: the opening date `from`, every date in (from, to] with a price directive
//   (the market's closes), and `to`. A transaction on another day (a weekend, a holiday) falls in
//   the sub-period that ends at the next valuation date, its flow applied at that sub-period's
//   boundary as main/analytics/twr.ts says. Valuing on transaction days too would price a change
//   of units with a price not yet updated for it (a split booked on a Sunday, the halved price on
//   Monday) and report a spurious return. Value = sum of units x base-currency price (the last
//   price on or before the date, see prices.ts).
// - A holding (a commodity the portfolio ever held at cost) has its own series: units x price,
//   with purchases as inflows and sale proceeds and the dividends it paid as outflows. The money
//   of a purchase or sale is the posting's `@` price, else its lot cost, else the market price
//   (in-kind transfers are always at the market price).
import type { Decimal } from 'decimal.js';
import { Dec, ZERO, money } from '../../analytics/decimal';
import { addDays } from '../../analytics/dates';
import type { CashEvent, CashEventKind, Disposal, Lot } from '../../analytics/types';
import { isCostSpec } from '../../ledger/booking';
import type { Cost, Entry, Posting, Transaction } from '../../ledger/types';
import { inventories } from '../../ledger/views';
import type { PriceSource } from './prices';
import type { PortfolioSelection } from './selection';

const INCOME_EXPENSE = /^(Income|Expenses):/;

export interface BookPeriod {
  /**
   * Opening date (exclusive start of the period); null = the day before the first portfolio
   * transaction, or the ledger's first price date when that is later.
   */
  from: string | null;
  /** Closing date (inclusive); null = the pricing pack's date. */
  to: string | null;
}

export interface BookFlow {
  date: string;
  amount: Decimal;
  note: string;
}

export interface HoldingBook {
  commodity: string;
  /** Quote currency of its price (base when priced in base or unpriced). */
  quote: string;
  values: Decimal[];
  flows: BookFlow[];
  /** Values and flows in the quote currency (present when quote differs from base). */
  localValues: Decimal[] | null;
  localFlows: BookFlow[] | null;
}

export interface Book {
  base: string;
  selection: PortfolioSelection;
  packId: string;
  from: string;
  to: string;
  dates: string[];
  values: Decimal[];
  flows: BookFlow[];
  holdings: Map<string, HoldingBook> | null;
  cashEvents: CashEvent[];
  disposals: Disposal[];
  /** Commodities held on some valuation date without any price path to base: valued at 0. */
  unpriced: string[];
  /** Commodities ever held with a lot cost (securities). */
  securities: Set<string>;
  /** First portfolio transaction date (null when none). */
  firstDate: string | null;
}

export function baseCurrency(options: { operatingCurrencies: string[] }): string {
  return options.operatingCurrencies[0] ?? 'USD';
}

function isCost(cost: Posting['cost']): cost is Cost {
  return cost !== null && !isCostSpec(cost);
}

type LegKind = CashEventKind | 'gain';

/**
 * What an Income/Expenses account is, from its name components, the most specific (last) first:
 * Dividend(s) -> dividend, Interest -> interest (an expense of interest is a fee), Fee(s) and
 * Commission(s) -> fee, Tax(es) and Withholding -> tax, Gain(s), Loss(es), PnL -> gain. Other
 * accounts (a salary, groceries) are not the portfolio's return.
 */
export function legKind(account: string): LegKind | null {
  const parts = account.split(':');
  const expense = parts[0] === 'Expenses';
  for (let i = parts.length - 1; i >= 1; i -= 1) {
    const c = parts[i]!.toLowerCase();
    if (/^dividends?$/.test(c)) return 'dividend';
    if (/^interest$/.test(c)) return expense ? 'fee' : 'interest';
    if (/^(fees?|commissions?)$/.test(c)) return 'fee';
    if (/^(tax|taxes|withholding(tax)?)$/.test(c)) return 'tax';
    if (/^(gains?|loss(es)?|pnl|capitalgains?|capital-gains?)$/.test(c)) return 'gain';
  }
  return null;
}

function dec(n: { toString(): string }): Decimal {
  return new Dec(n.toString());
}

export interface BuildBookOptions {
  byHolding?: boolean;
}

export function buildBook(
  entries: readonly Entry[],
  base: string,
  selection: PortfolioSelection,
  prices: PriceSource,
  period: BookPeriod,
  options: BuildBookOptions = {},
): Book {
  const byHolding = options.byHolding ?? false;
  const txns: Transaction[] = [];
  const priceDates = new Set<string>();
  const commodityNames = new Set<string>();
  for (const e of entries) {
    if (e.kind === 'price') priceDates.add(e.date);
    else if (e.kind === 'commodity') commodityNames.add(e.currency);
    else if (e.kind === 'transaction' && e.postings.some((p) => selection.has(p.account))) txns.push(e);
  }
  const firstDate = txns.length > 0 ? txns[0]!.date : null;
  const to = period.to ?? prices.asOf;
  // Default start: the day before the first portfolio transaction, or the first price date when
  // the ledger has no price that early (a period must open on a date that can be valued, and a
  // benchmark needs a price at the start).
  let firstPrice: string | null = null;
  for (const d of priceDates) if (firstPrice === null || d < firstPrice) firstPrice = d;
  let from = period.from ?? (firstDate !== null && firstDate <= to ? addDays(firstDate, -1) : to);
  if (period.from === null && firstPrice !== null && firstPrice > from && firstPrice <= to) from = firstPrice;

  const grid = new Set<string>([from, to]);
  for (const d of priceDates) if (d > from && d <= to) grid.add(d);
  const dates = [...grid].sort();

  const rate = (commodity: string, date: string): Decimal | null =>
    prices.convert(commodity, base, date)?.rate ?? null;
  const unpriced = new Set<string>();
  const marketValue = (units: Decimal, commodity: string, date: string): Decimal => {
    const r = rate(commodity, date);
    if (r === null) {
      unpriced.add(commodity);
      return ZERO;
    }
    return units.times(r);
  };

  const units = new Map<string, Decimal>();
  const securities = new Set<string>();
  const flows: BookFlow[] = [];
  const cashEvents: CashEvent[] = [];
  const disposals: Disposal[] = [];
  const holdingFlows = new Map<string, BookFlow[]>();
  const addHoldingFlow = (c: string, f: BookFlow): void => {
    let list = holdingFlows.get(c);
    if (!list) holdingFlows.set(c, (list = []));
    list.push(f);
  };

  const applyTxn = (t: Transaction): void => {
    let external = ZERO;
    let hasExternal = false;
    const positiveCommodities = new Set<string>();
    const externalCommodities = new Set<string>();
    for (const p of t.postings) {
      if (p.number === undefined || p.currency === undefined) continue;
      if (selection.has(p.account)) {
        if (p.number.sign() > 0) positiveCommodities.add(p.currency);
        continue;
      }
      const isIe = INCOME_EXPENSE.test(p.account);
      if (isIe && legKind(p.account) !== null) continue;
      hasExternal = true;
      if (!isIe) externalCommodities.add(p.currency);
      external = external.plus(marketValue(dec(p.number), p.currency, t.date));
    }
    if (hasExternal && !external.isZero())
      flows.push({ date: t.date, amount: external.neg(), note: t.narration.slice(0, 200) });

    // Which security a dividend or tax belongs to: posting metadata `commodity`, else the payee,
    // else a word of the narration that names a commodity.
    let eventCommodity: string | undefined;
    const candidates = [t.payee ?? '', ...t.narration.split(/[^A-Za-z0-9._-]+/)];
    for (const word of candidates)
      if (commodityNames.has(word) || securities.has(word)) eventCommodity = word;

    for (const p of t.postings) {
      if (p.number === undefined || p.currency === undefined) continue;
      const n = dec(p.number);
      if (selection.has(p.account)) {
        units.set(p.currency, (units.get(p.currency) ?? ZERO).plus(n));
        if (isCost(p.cost)) securities.add(p.currency);
        if (securities.has(p.currency)) {
          const priceBase =
            p.price?.number !== undefined &&
            p.price.currency !== undefined &&
            !externalCommodities.has(p.currency)
              ? rateTimes(dec(p.price.number), p.price.currency, t.date)
              : isCost(p.cost) && !externalCommodities.has(p.currency)
                ? rateTimes(dec(p.cost.number), p.cost.currency, t.date)
                : rate(p.currency, t.date);
          if (priceBase !== null)
            addHoldingFlow(p.currency, { date: t.date, amount: n.times(priceBase), note: 'trade' });
          // A reduction of a lot that is not moved elsewhere (transfer) or re-added (split) is a disposal.
          if (
            n.isNegative() &&
            isCost(p.cost) &&
            !positiveCommodities.has(p.currency) &&
            !externalCommodities.has(p.currency)
          ) {
            const proceedsPrice =
              p.price?.number !== undefined && p.price.currency !== undefined
                ? rateTimes(dec(p.price.number), p.price.currency, t.date)
                : rate(p.currency, t.date);
            const costRate = rateTimes(dec(p.cost.number), p.cost.currency, p.cost.date ?? t.date);
            if (proceedsPrice !== null && costRate !== null)
              disposals.push({
                date: t.date,
                commodity: p.currency,
                account: p.account,
                units: money(n.neg()),
                proceeds: money(n.neg().times(proceedsPrice)),
                costBasis: money(n.neg().times(costRate)),
                lotId: lotId(p.account, p.currency, p.cost),
              });
          }
        }
        continue;
      }
      const leg = INCOME_EXPENSE.test(p.account) ? legKind(p.account) : null;
      if (leg === null || leg === 'gain') continue;
      const kind: CashEventKind = leg;
      const v = marketValue(n, p.currency, t.date);
      const amount = kind === 'dividend' || kind === 'interest' ? v.neg() : v;
      cashEvents.push({
        date: t.date,
        kind,
        amount: money(amount),
        ...(eventCommodity !== undefined ? { commodity: eventCommodity } : {}),
        account: p.account,
      });
      if (kind === 'dividend' && eventCommodity !== undefined && securities.has(eventCommodity))
        addHoldingFlow(eventCommodity, { date: t.date, amount: amount.neg(), note: 'dividend' });
    }
  };

  function rateTimes(amount: Decimal, currency: string, date: string): Decimal | null {
    const r = rate(currency, date);
    return r === null ? null : amount.times(r);
  }

  const values: Decimal[] = [];
  const perHolding = new Map<string, Decimal[]>();
  const perHoldingLocal = new Map<string, Decimal[]>();
  let ti = 0;
  for (let di = 0; di < dates.length; di += 1) {
    const d = dates[di]!;
    while (ti < txns.length && txns[ti]!.date <= d) applyTxn(txns[ti++]!);
    let total = ZERO;
    for (const [c, u] of units) {
      if (u.isZero()) continue;
      const conv = prices.convert(c, base, d);
      if (conv === null) {
        unpriced.add(c);
        continue;
      }
      const v = u.times(conv.rate);
      total = total.plus(v);
      if (byHolding && securities.has(c)) {
        let arr = perHolding.get(c);
        if (!arr) perHolding.set(c, (arr = new Array<Decimal>(di).fill(ZERO)));
        arr.push(v);
        if (conv.localPrice !== null && conv.quote !== base) {
          let loc = perHoldingLocal.get(c);
          if (!loc) perHoldingLocal.set(c, (loc = new Array<Decimal>(di).fill(ZERO)));
          loc.push(u.times(conv.localPrice));
        }
      }
    }
    values.push(total);
    if (byHolding) {
      for (const arr of perHolding.values()) if (arr.length === di) arr.push(ZERO);
      for (const arr of perHoldingLocal.values()) if (arr.length === di) arr.push(ZERO);
    }
  }
  // Cash events and disposals after the last valuation date are still of the ledger: keep walking.
  while (ti < txns.length && txns[ti]!.date <= to) applyTxn(txns[ti++]!);

  let holdings: Map<string, HoldingBook> | null = null;
  if (byHolding) {
    holdings = new Map();
    for (const c of [...perHolding.keys()].sort()) {
      const conv = prices.convert(c, base, to);
      const quote = conv?.quote ?? base;
      const hv = perHolding.get(c)!;
      const hf = holdingFlows.get(c) ?? [];
      const local = perHoldingLocal.get(c) ?? null;
      let localFlows: BookFlow[] | null = null;
      if (local && quote !== base) {
        localFlows = [];
        for (const f of hf) {
          const fx = prices.convert(quote, base, f.date);
          if (fx && !fx.rate.isZero()) localFlows.push({ ...f, amount: f.amount.div(fx.rate) });
        }
      }
      holdings.set(c, {
        commodity: c,
        quote,
        values: hv,
        flows: hf,
        localValues: quote !== base ? local : null,
        localFlows: quote !== base ? localFlows : null,
      });
    }
  }
  return {
    base,
    selection,
    packId: prices.packId,
    from,
    to,
    dates,
    values,
    flows,
    holdings,
    cashEvents,
    disposals,
    unpriced: [...unpriced].sort(),
    securities,
    firstDate,
  };
}

export function lotId(account: string, commodity: string, cost: Cost): string {
  return `${account} ${commodity} {${cost.number.toString()} ${cost.currency}, ${cost.date ?? '-'}${cost.label ? `, "${cost.label}"` : ''}}`.slice(
    0,
    200,
  );
}

export interface PositionRow {
  account: string;
  commodity: string;
  units: Decimal;
  /** Lots with cost (empty for cash). */
  lots: { cost: Cost; units: Decimal }[];
}

/** Positions of the selected accounts at the close of `date` (transactions dated on or before it). */
export function positionsAt(
  entries: readonly Entry[],
  selection: PortfolioSelection,
  date: string,
): PositionRow[] {
  const rows: PositionRow[] = [];
  for (const [account, inv] of inventories(entries, addDays(date, 1))) {
    if (!selection.has(account)) continue;
    const per = new Map<string, PositionRow>();
    for (const pos of inv.positions.values()) {
      if (pos.number.isZero()) continue;
      let row = per.get(pos.currency);
      if (!row) per.set(pos.currency, (row = { account, commodity: pos.currency, units: ZERO, lots: [] }));
      const n = dec(pos.number);
      row.units = row.units.plus(n);
      if (pos.cost) row.lots.push({ cost: pos.cost, units: n });
    }
    for (const row of per.values()) if (!row.units.isZero() || row.lots.length > 0) rows.push(row);
  }
  rows.sort((a, b) =>
    a.account < b.account
      ? -1
      : a.account > b.account
        ? 1
        : a.commodity < b.commodity
          ? -1
          : a.commodity > b.commodity
            ? 1
            : 0,
  );
  return rows;
}

/** Open lots at `date` as the analytics want them, cost basis converted at the lot date's rate. */
export function openLots(
  rows: readonly PositionRow[],
  base: string,
  prices: PriceSource,
  date: string,
): { lots: Lot[]; unconverted: string[] } {
  const lots: Lot[] = [];
  const unconverted: string[] = [];
  for (const row of rows)
    for (const l of row.lots) {
      const fx = prices.convert(l.cost.currency, base, l.cost.date ?? date);
      if (fx === null) {
        unconverted.push(row.commodity);
        continue;
      }
      lots.push({
        lotId: lotId(row.account, row.commodity, l.cost),
        commodity: row.commodity,
        account: row.account,
        units: money(l.units),
        costBasis: money(l.units.times(dec(l.cost.number)).times(fx.rate)),
        acquired: l.cost.date ?? date,
      });
    }
  return { lots, unconverted: [...new Set(unconverted)].sort() };
}

// Deterministic synthetic Beancount ledgers for benchmarks and load tests: up to a million postings
// of plausible investment activity that Beancount 2.3.5 accepts without a single error.
//
// Same options (and seed) → the same bytes: randomness comes only from a seeded PRNG, dates from a
// fixed calendar, and every amount is computed in integers (cents for cash, 1/10000 for costs) and
// printed as an exact decimal string. The ledger has exactly `targetPostings` postings.
//
// What it contains: opens (with `portfolio:` metadata and FIFO booking on holdings accounts),
// commodity directives with `name`, `asset-class`, `sector`, `country`; daily (weekdays) or weekly
// price directives for every security and FX rate; salary into a bank account; deposits and
// withdrawals between the bank and each portfolio; cash and in-kind (lot-preserving) transfers
// between portfolios; FX conversions; buys at cost with fees; FIFO sells (`{}`) with fees and a
// gains auto-posting; dividends with withholding tax; interest; account fees; one 2:1 stock split
// booked the Beancount way (each lot reduced at its cost and re-added at half the cost, same date);
// and one full exit of a position followed by a re-entry.

export interface SyntheticLedgerOptions {
  /** PRNG seed (any 32-bit integer). Default 1. */
  readonly seed?: number;
  /** Calendar years covered, starting on 1 January of `startYear`. Default 3. */
  readonly years?: number;
  readonly startYear?: number;
  /** Number of securities. Default 20. */
  readonly securities?: number;
  /** Exact number of postings in the ledger (0, or at least 2; at most 1,000,000). Default 10,000. */
  readonly targetPostings?: number;
  /** Currencies; the first is the base (bank, salary). Securities are priced round-robin in them. */
  readonly currencies?: readonly string[];
  /** Number of portfolios (each a brokerage with cash and holdings accounts). Default 2. */
  readonly portfolios?: number;
  /** Price directives every weekday (`daily`) or every Friday (`weekly`). Default `weekly`. */
  readonly priceFrequency?: 'daily' | 'weekly';
}

export interface SyntheticLedger {
  readonly text: string;
  readonly postings: number;
  readonly transactions: number;
  readonly prices: number;
}

export const MAX_SYNTHETIC_POSTINGS = 1_000_000;
const SPLIT_RATIO = 2;
const COST_SCALE = 10_000; // costs in 1/10000 of a currency unit, so a 2:1 split stays exact

/** mulberry32: a small, fast, well-distributed 32-bit PRNG. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkInt(n: number): number {
  if (!Number.isSafeInteger(n)) throw new RangeError('synthetic ledger amount overflow');
  return n;
}

/** Integer `n` scaled by 10^-digits, as an exact decimal string. */
function fixed(n: number, digits: number): string {
  checkInt(n);
  const neg = n < 0;
  const s = String(Math.abs(n)).padStart(digits + 1, '0');
  const out = digits === 0 ? s : `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
  return neg ? `-${out}` : out;
}
const cents = (n: number) => fixed(n, 2);
const cost4 = (n: number) => fixed(n, 4);

const SECTORS = [
  'Technology',
  'Financials',
  'Health Care',
  'Energy',
  'Industrials',
  'Utilities',
  'Materials',
];
const COUNTRIES = ['US', 'DE', 'FR', 'JP', 'GB', 'CH', 'NL', 'CA'];
const ASSET_CLASSES = ['equity', 'equity', 'equity', 'bond', 'reit'];

function tickerFor(i: number): string {
  let s = '';
  let n = i;
  for (let k = 0; k < 3; k++) {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26);
  }
  return `T${s}`;
}

interface Lot {
  units: number;
  cost: number; // COST_SCALE units
  date: string;
}

interface Security {
  ticker: string;
  currency: string;
  price: number; // cents
  dividendRate: number; // cents per unit per dividend
}

interface Portfolio {
  name: string;
  cash: string;
  holdings: string;
  fees: string;
  gains: string;
  dividends: string;
  interest: string;
  cashBalance: Map<string, number>; // cents
  lots: Map<string, Lot[]>; // per ticker, FIFO order (date, then insertion)
}

function addLot(lots: Lot[], lot: Lot): void {
  const same = lots.find((l) => l.cost === lot.cost && l.date === lot.date);
  if (same) {
    same.units += lot.units;
    return;
  }
  // Beancount's FIFO sorts matching lots by date (stable): keep that order.
  let i = lots.length;
  while (i > 0 && lots[i - 1]!.date > lot.date) i--;
  lots.splice(i, 0, lot);
}

function held(lots: Lot[] | undefined): number {
  return (lots ?? []).reduce((s, l) => s + l.units, 0);
}

/** Removes `units` FIFO; returns nothing (Beancount books the reduction with `{}`). */
function reduceFifo(lots: Lot[], units: number): void {
  let left = units;
  while (left > 0) {
    const first = lots[0]!;
    const take = Math.min(first.units, left);
    first.units -= take;
    left -= take;
    if (first.units === 0) lots.shift();
  }
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function generateSyntheticLedger(options: SyntheticLedgerOptions = {}): SyntheticLedger {
  const seed = options.seed ?? 1;
  const years = options.years ?? 3;
  const startYear = options.startYear ?? 2015;
  const nSecurities = options.securities ?? 20;
  const target = options.targetPostings ?? 10_000;
  const currencies = options.currencies ?? ['USD'];
  const nPortfolios = options.portfolios ?? 2;
  const frequency = options.priceFrequency ?? 'weekly';

  if (!Number.isInteger(target) || target < 0 || target === 1 || target > MAX_SYNTHETIC_POSTINGS) {
    throw new RangeError('targetPostings must be 0 or an integer from 2 to 1,000,000');
  }
  if (!Number.isInteger(years) || years < 1 || years > 100) throw new RangeError('years must be 1..100');
  if (!Number.isInteger(nSecurities) || nSecurities < 1 || nSecurities > 17_576) {
    throw new RangeError('securities must be 1..17576');
  }
  if (!Number.isInteger(nPortfolios) || nPortfolios < 1 || nPortfolios > 1000) {
    throw new RangeError('portfolios must be 1..1000');
  }
  if (currencies.length === 0 || !currencies.every((c) => /^[A-Z][A-Z0-9]{1,9}$/.test(c))) {
    throw new RangeError('currencies must be uppercase codes');
  }
  if (new Set(currencies).size !== currencies.length) throw new RangeError('currencies must be distinct');

  const rand = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const base = currencies[0]!;

  const out: string[] = [];
  let postings = 0;
  let transactions = 0;
  let prices = 0;

  const start = new Date(Date.UTC(startYear, 0, 1));
  const end = new Date(Date.UTC(startYear + years, 0, 1));
  const days = Math.round((end.getTime() - start.getTime()) / 86_400_000);
  const openDate = isoDate(start);

  // ---- directives that are not postings
  out.push(
    `; Synthetic ledger generated by DawsOS (seed ${seed}, ${years} years, ${nSecurities} securities, ` +
      `${nPortfolios} portfolios, ${target} postings)`,
    `option "title" "Synthetic ledger ${seed}"`,
    `option "operating_currency" "${base}"`,
    '',
  );
  const securities: Security[] = [];
  for (let i = 0; i < nSecurities; i++) {
    const sec: Security = {
      ticker: tickerFor(i),
      currency: currencies[i % currencies.length]!,
      price: int(1_000, 50_000),
      dividendRate: int(5, 120),
    };
    securities.push(sec);
    out.push(
      `${openDate} commodity ${sec.ticker}`,
      `  name: "Synthetic ${sec.ticker} Holdings"`,
      `  asset-class: "${pick(ASSET_CLASSES)}"`,
      `  sector: "${pick(SECTORS)}"`,
      `  country: "${pick(COUNTRIES)}"`,
    );
  }
  out.push('');
  const allCurrencies = currencies.join(',');
  out.push(
    `${openDate} open Assets:Bank:Checking ${allCurrencies}`,
    `${openDate} open Income:Employer:Salary ${base}`,
    `${openDate} open Expenses:Taxes:Withholding ${allCurrencies}`,
    `${openDate} open Equity:Opening-Balances`,
  );
  const portfolios: Portfolio[] = [];
  for (let p = 1; p <= nPortfolios; p++) {
    const name = `P${p}`;
    const pf: Portfolio = {
      name,
      cash: `Assets:Broker:${name}:Cash`,
      holdings: `Assets:Broker:${name}:Securities`,
      fees: `Expenses:Broker:${name}:Fees`,
      gains: `Income:Broker:${name}:Gains`,
      dividends: `Income:Broker:${name}:Dividends`,
      interest: `Income:Broker:${name}:Interest`,
      cashBalance: new Map(currencies.map((c) => [c, 0])),
      lots: new Map(),
    };
    portfolios.push(pf);
    const meta = `  portfolio: "portfolio-${p}"`;
    out.push(
      `${openDate} open ${pf.cash} ${allCurrencies}`,
      meta,
      `${openDate} open ${pf.holdings} "FIFO"`,
      meta,
      `${openDate} open ${pf.fees} ${allCurrencies}`,
      `${openDate} open ${pf.gains}`,
      `${openDate} open ${pf.dividends} ${allCurrencies}`,
      `${openDate} open ${pf.interest} ${allCurrencies}`,
    );
  }
  out.push('');

  const fx = new Map<string, number>(currencies.slice(1).map((c) => [c, int(5_000, 15_000)])); // 1/10000 base

  // ---- the special events, at fixed fractions of the timeline
  const splitDay = Math.floor(days * 0.5);
  const exitDay = Math.floor(days * 0.4);
  const reentryDay = exitDay + 7;
  const splitSec = securities[0]!;
  const exitSec = securities[Math.min(1, securities.length - 1)]!;
  let splitDone = false;
  let exitDone = false;
  let reentryDone = false;

  let remaining = target;
  const can = (k: number) => k <= remaining && remaining - k !== 1;

  const txn = (date: string, flag: string, payee: string, narration: string, lines: string[]) => {
    out.push(`${date} ${flag} "${payee}" "${narration}"`, ...lines, '');
    postings += lines.length;
    remaining -= lines.length;
    transactions++;
  };
  const cashMove = (pf: Portfolio, currency: string, delta: number) => {
    pf.cashBalance.set(currency, checkInt(pf.cashBalance.get(currency)! + delta));
  };

  // Each event returns false when it does not apply to the current state; k is its posting count.
  type Event = { k: number; weight: number; run: (date: string) => boolean };
  const events: Event[] = [
    {
      k: 2,
      weight: 3,
      run: (date) => {
        const amount = int(200_000, 900_000);
        txn(date, '*', 'Employer', 'Salary', [
          `  Assets:Bank:Checking  ${cents(amount)} ${base}`,
          `  Income:Employer:Salary  ${cents(-amount)} ${base}`,
        ]);
        return true;
      },
    },
    {
      k: 2,
      weight: 4,
      run: (date) => {
        const pf = pick(portfolios);
        const amount = int(50_000, 500_000);
        cashMove(pf, base, amount);
        txn(date, '*', 'Transfer', `Deposit to ${pf.name}`, [
          `  ${pf.cash}  ${cents(amount)} ${base}`,
          `  Assets:Bank:Checking  ${cents(-amount)} ${base}`,
        ]);
        return true;
      },
    },
    {
      k: 2,
      weight: 1,
      run: (date) => {
        const pf = pick(portfolios);
        const bal = pf.cashBalance.get(base)!;
        if (bal < 200_000) return false;
        const amount = int(10_000, Math.floor(bal / 4));
        cashMove(pf, base, -amount);
        txn(date, '*', 'Transfer', `Withdrawal from ${pf.name}`, [
          `  Assets:Bank:Checking  ${cents(amount)} ${base}`,
          `  ${pf.cash}  ${cents(-amount)} ${base}`,
        ]);
        return true;
      },
    },
    {
      k: 2,
      weight: 1,
      run: (date) => {
        if (portfolios.length < 2) return false;
        const from = pick(portfolios);
        const to = pick(portfolios.filter((p) => p !== from));
        const bal = from.cashBalance.get(base)!;
        if (bal < 100_000) return false;
        const amount = int(10_000, Math.floor(bal / 3));
        cashMove(from, base, -amount);
        cashMove(to, base, amount);
        txn(date, '*', 'Transfer', `Cash from ${from.name} to ${to.name}`, [
          `  ${to.cash}  ${cents(amount)} ${base}`,
          `  ${from.cash}  ${cents(-amount)} ${base}`,
        ]);
        return true;
      },
    },
    {
      // In-kind transfer of (part of) the oldest lot, keeping its cost and date.
      k: 2,
      weight: 1,
      run: (date) => {
        if (portfolios.length < 2) return false;
        const from = pick(portfolios);
        const to = pick(portfolios.filter((p) => p !== from));
        const sec = pick(securities);
        const lots = from.lots.get(sec.ticker);
        if (!lots || lots.length === 0) return false;
        const lot = lots[0]!;
        const units = int(1, lot.units);
        const spec = `{${cost4(lot.cost)} ${sec.currency}, ${lot.date}}`;
        txn(date, '*', 'Transfer', `Transfer in kind ${sec.ticker} from ${from.name} to ${to.name}`, [
          `  ${from.holdings}  ${-units} ${sec.ticker} ${spec}`,
          `  ${to.holdings}  ${units} ${sec.ticker} ${spec}`,
        ]);
        const movedDate = lot.date;
        const movedCost = lot.cost;
        lot.units -= units;
        if (lot.units === 0) lots.shift();
        const dest = to.lots.get(sec.ticker) ?? [];
        to.lots.set(sec.ticker, dest);
        addLot(dest, { units, cost: movedCost, date: movedDate });
        return true;
      },
    },
    {
      k: 2,
      weight: 1,
      run: (date) => {
        if (currencies.length < 2) return false;
        const pf = pick(portfolios);
        const cur = pick(currencies.slice(1));
        const amount = int(10_000, 300_000); // in `cur` cents
        const baseCost = Math.round((amount * fx.get(cur)!) / 10_000);
        if (pf.cashBalance.get(base)! < baseCost) return false;
        cashMove(pf, base, -baseCost);
        cashMove(pf, cur, amount);
        txn(date, '*', 'Broker', `Convert ${base} to ${cur}`, [
          `  ${pf.cash}  ${cents(amount)} ${cur} @@ ${cents(baseCost)} ${base}`,
          `  ${pf.cash}  ${cents(-baseCost)} ${base}`,
        ]);
        return true;
      },
    },
    {
      k: 3,
      weight: 8,
      run: (date) => buy(date, pick(portfolios), pick(securities), null),
    },
    {
      k: 4,
      weight: 5,
      run: (date) => {
        const pf = pick(portfolios);
        const sec = pick(securities);
        const have = held(pf.lots.get(sec.ticker));
        if (have === 0) return false;
        sell(date, pf, sec, int(1, have), 'Sell');
        return true;
      },
    },
    {
      k: 3,
      weight: 3,
      run: (date) => {
        const pf = pick(portfolios);
        const sec = pick(securities);
        const have = held(pf.lots.get(sec.ticker));
        if (have === 0) return false;
        const gross = checkInt(have * sec.dividendRate);
        const tax = Math.floor(gross * 0.15);
        cashMove(pf, sec.currency, gross - tax);
        txn(date, '*', sec.ticker, `Dividend ${sec.ticker}`, [
          `  ${pf.cash}  ${cents(gross - tax)} ${sec.currency}`,
          `  Expenses:Taxes:Withholding  ${cents(tax)} ${sec.currency}`,
          `  ${pf.dividends}  ${cents(-gross)} ${sec.currency}`,
        ]);
        return true;
      },
    },
    {
      k: 2,
      weight: 1,
      run: (date) => {
        const pf = pick(portfolios);
        const amount = int(1, 5_000);
        cashMove(pf, base, amount);
        txn(date, '*', 'Broker', 'Interest', [
          `  ${pf.cash}  ${cents(amount)} ${base}`,
          `  ${pf.interest}  ${cents(-amount)} ${base}`,
        ]);
        return true;
      },
    },
    {
      k: 2,
      weight: 1,
      run: (date) => {
        const pf = pick(portfolios);
        const amount = int(100, 2_500);
        cashMove(pf, base, -amount);
        txn(date, '*', 'Broker', 'Account fee', [
          `  ${pf.fees}  ${cents(amount)} ${base}`,
          `  ${pf.cash}  ${cents(-amount)} ${base}`,
        ]);
        return true;
      },
    },
  ];
  const totalWeight = events.reduce((s, e) => s + e.weight, 0);
  const salary = events[0]!;
  const salaryWithBonus: Event = {
    k: 3,
    weight: 0,
    run: (date) => {
      const amount = int(200_000, 900_000);
      const bonus = int(1_000, 50_000);
      txn(date, '*', 'Employer', 'Salary and bonus', [
        `  Assets:Bank:Checking  ${cents(amount + bonus)} ${base}`,
        `  Income:Employer:Salary  ${cents(-amount)} ${base}`,
        `  Income:Employer:Salary  ${cents(-bonus)} ${base}`,
      ]);
      return true;
    },
  };

  function buy(
    date: string,
    pf: Portfolio,
    sec: Security,
    unitsWanted: number | null,
    narration = 'Buy',
  ): boolean {
    const fee = int(0, 995) + 100;
    const cash = pf.cashBalance.get(sec.currency)!;
    const affordable = Math.floor((cash - fee) / sec.price);
    if (affordable < 1) return false;
    const units = Math.min(unitsWanted ?? int(1, 200), affordable);
    const amount = checkInt(units * sec.price);
    cashMove(pf, sec.currency, -(amount + fee));
    const cost = sec.price * (COST_SCALE / 100);
    txn(date, '*', 'Broker', `${narration} ${sec.ticker}`, [
      `  ${pf.holdings}  ${units} ${sec.ticker} {${cents(sec.price)} ${sec.currency}}`,
      `  ${pf.fees}  ${cents(fee)} ${sec.currency}`,
      `  ${pf.cash}  ${cents(-(amount + fee))} ${sec.currency}`,
    ]);
    const lots = pf.lots.get(sec.ticker) ?? [];
    pf.lots.set(sec.ticker, lots);
    addLot(lots, { units, cost, date });
    return true;
  }

  function sell(date: string, pf: Portfolio, sec: Security, units: number, narration: string): void {
    const fee = int(100, 1_095);
    const proceeds = checkInt(units * sec.price);
    cashMove(pf, sec.currency, proceeds - fee);
    txn(date, '*', 'Broker', `${narration} ${sec.ticker}`, [
      `  ${pf.holdings}  ${-units} ${sec.ticker} {} @ ${cents(sec.price)} ${sec.currency}`,
      `  ${pf.cash}  ${cents(proceeds - fee)} ${sec.currency}`,
      `  ${pf.fees}  ${cents(fee)} ${sec.currency}`,
      `  ${pf.gains}`,
    ]);
    reduceFifo(pf.lots.get(sec.ticker)!, units);
  }

  /** The 2:1 split in every portfolio holding the security: one transaction per portfolio. */
  function splitPostings(pf: Portfolio): string[] {
    const lines: string[] = [];
    for (const lot of pf.lots.get(splitSec.ticker) ?? []) {
      lines.push(
        `  ${pf.holdings}  ${-lot.units} ${splitSec.ticker} {${cost4(lot.cost)} ${splitSec.currency}, ${lot.date}}`,
        `  ${pf.holdings}  ${lot.units * SPLIT_RATIO} ${splitSec.ticker} {${cost4(lot.cost / SPLIT_RATIO)} ${splitSec.currency}, ${lot.date}}`,
      );
    }
    return lines;
  }

  // ---- the day loop: each day spends its share of the posting budget
  for (let day = 0; day < days; day++) {
    const date = isoDate(new Date(start.getTime() + day * 86_400_000));
    const weekday = new Date(start.getTime() + day * 86_400_000).getUTCDay();

    // Prices move every weekday; directives are written daily or on Fridays.
    if (weekday >= 1 && weekday <= 5) {
      for (const sec of securities) {
        const step = 1 + (rand() - 0.495) * 0.04;
        sec.price = Math.max(100, Math.round(sec.price * step));
      }
      for (const [c, r] of fx) fx.set(c, Math.max(1_000, Math.round(r * (1 + (rand() - 0.5) * 0.01))));
      if (frequency === 'daily' || weekday === 5) {
        for (const sec of securities)
          out.push(`${date} price ${sec.ticker} ${cents(sec.price)} ${sec.currency}`);
        for (const [c, r] of fx) out.push(`${date} price ${c} ${cost4(r)} ${base}`);
        prices += securities.length + fx.size;
        out.push('');
      }
    }

    if (day === 0 && can(2)) {
      const amount = 5_000_000 * nPortfolios;
      txn(date, '*', 'Bank', 'Opening balance', [
        `  Assets:Bank:Checking  ${cents(amount)} ${base}`,
        `  Equity:Opening-Balances  ${cents(-amount)} ${base}`,
      ]);
    }

    if (!splitDone && day >= splitDay) {
      const pfs = portfolios.filter((pf) => held(pf.lots.get(splitSec.ticker)) > 0);
      const k = pfs.reduce((s, pf) => s + splitPostings(pf).length, 0);
      if (pfs.length > 0 && can(k)) {
        for (const pf of pfs) {
          txn(
            date,
            '*',
            splitSec.ticker,
            `Stock split ${SPLIT_RATIO}:1 ${splitSec.ticker}`,
            splitPostings(pf),
          );
          const lots = pf.lots.get(splitSec.ticker)!;
          pf.lots.set(
            splitSec.ticker,
            lots.map((l) => ({ units: l.units * SPLIT_RATIO, cost: l.cost / SPLIT_RATIO, date: l.date })),
          );
        }
        splitSec.price = Math.max(1, Math.round(splitSec.price / SPLIT_RATIO));
        splitDone = true;
      }
    }
    const exitPf = portfolios[0]!;
    if (!exitDone && day >= exitDay && can(4)) {
      const have = held(exitPf.lots.get(exitSec.ticker));
      if (have > 0) {
        sell(date, exitPf, exitSec, have, 'Full exit');
        exitDone = true;
      }
    }
    if (exitDone && !reentryDone && day >= reentryDay && can(3)) {
      if (buy(date, exitPf, exitSec, 10, 'Re-entry')) reentryDone = true;
    }

    // Spend this day's share of the budget; the last day spends whatever is left.
    const dayTarget = day === days - 1 ? target : Math.floor((target * (day + 1)) / days);
    let guard = 0;
    while (postings < dayTarget && remaining > 0) {
      if (day < days - 1 && guard++ > 1_000) break; // state allows nothing today: carry over
      let r = rand() * totalWeight;
      let ev = events[0]!;
      for (const e of events) {
        r -= e.weight;
        if (r < 0) {
          ev = e;
          break;
        }
      }
      if (!can(ev.k)) {
        // Near the end of the budget: whatever lands exactly on it (remaining is never 1).
        ev = can(2) ? salary : salaryWithBonus;
      }
      ev.run(date);
    }
  }
  if (remaining !== 0) throw new Error('synthetic ledger: posting budget not spent');

  return { text: `${out.join('\n')}\n`, postings, transactions, prices };
}

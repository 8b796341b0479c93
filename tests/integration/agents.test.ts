// The agents end to end on a ledger small enough to compute by hand: a real git repository, the
// real ledger loader, the offline pricing pack, the orchestrator and `dawsos run --json`. Each
// figure is checked against the hand computation written beside it (or a second method: NPV = 0
// for XIRR, the sample standard deviation for volatility).
/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-explicit-any --
   the panels are plain JSON read by path; their shape is what these assertions check. */
import { rmSync } from 'node:fs';
import path from 'node:path';
import Decimal from 'decimal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patternEnvelopeSchema, type PatternEnvelope } from '../../shared/ipc/patterns';
import { cli, makeHandRepo, type HandRepo } from './agents-fixture';

const D = Decimal.clone({ precision: 60 });
type Json = Record<string, any>;

let r: HandRepo;

async function run(pattern: string, ...flags: string[]): Promise<PatternEnvelope> {
  const res = await cli(r, ['run', pattern, '--ledger', r.ledger, '--portfolio', 'main', '--json', ...flags]);
  expect(res.err).toBe('');
  expect(res.code).toBe(0);
  return patternEnvelopeSchema.parse(JSON.parse(res.out));
}

function close(actual: string | number, expected: Decimal.Value, tol = 1e-11): void {
  expect(Math.abs(Number(actual) - Number(new D(expected)))).toBeLessThan(tol);
}

beforeAll(() => {
  r = makeHandRepo();
});
afterAll(() => rmSync(r.tmp, { recursive: true, force: true }));

describe('financial_analyst on the hand ledger', () => {
  let overview: PatternEnvelope;
  let perf: PatternEnvelope;
  beforeAll(async () => {
    overview = await run('portfolio_overview', '--from', '2024-01-01');
    perf = await run('performance', '--from', '2024-01-01');
  });

  it('values the portfolio in base currency at the pack date, with the prices used', () => {
    const v = overview.panels.valuation!.data as Json;
    // cash 1000 - 505 - 220 + 8.5 - 100 + 240 = 423.5; AAA 30 x 12 = 360; EUX 10 x 22 EUR x 1.20 = 264
    expect(v.as_of).toBe('2024-01-05');
    expect(new D(v.total_value).eq(1047.5)).toBe(true);
    expect(new D(v.securities_value).eq(624)).toBe(true);
    expect(new D(v.cash_value).eq(423.5)).toBe(true);
    const eux = (v.holdings as Json[]).find((h) => h.commodity === 'EUX')!;
    expect(eux).toMatchObject({ price: '22', price_quote: 'EUR', fx_rate: '1.2', price_date: '2024-01-05' });
    // Cost basis converted at the lot date's rate: 10 x 20 EUR x 1.10 = 220; unrealized 264 - 220 = 44.
    expect(new D(eux.cost_basis).eq(220)).toBe(true);
    expect(new D(eux.unrealized).eq(44)).toBe(true);
    expect(overview.panels.valuation!.stale).toBe(false);
  });

  it('computes TWR by daily-linked sub-periods with flows at the day boundaries', () => {
    const p = perf.panels.performance!.data as Json;
    const sub = p.twr.subPeriods as Json[];
    // (01-01, 01-02]: 0 + deposit 1000 at the start -> 995 (the 5 USD fee is a loss)
    // (01-02, 01-03]: 995 -> 1064.5 (prices up, net dividend 8.5)
    // (01-03, 01-04]: 1064.5 -> 1035.5, withdrawal 100 at the end
    // (01-04, 01-05]: 1035.5 -> 1047.5
    expect(sub.map((s) => [s.start, s.end, s.startValue, s.inflows, s.outflows, s.endValue])).toEqual([
      ['2024-01-01', '2024-01-02', '0', '1000', '0', '995'],
      ['2024-01-02', '2024-01-03', '995', '0', '0', '1064.5'],
      ['2024-01-03', '2024-01-04', '1064.5', '0', '100', '1035.5'],
      ['2024-01-04', '2024-01-05', '1035.5', '0', '0', '1047.5'],
    ]);
    const linked = new D(995)
      .div(1000)
      .times(new D(1064.5).div(995))
      .times(new D(1135.5).div(1064.5))
      .times(new D(1047.5).div(1035.5))
      .minus(1);
    close(p.twr.cumulativeReturn, linked);
    expect(p.drill_down.cash_flows).toEqual([
      { date: '2024-01-02', amount: '1000', note: 'Deposit' },
      { date: '2024-01-04', amount: '-100', note: 'Withdrawal' },
    ]);
    expect(
      (p.drill_down.closing_prices as Json[]).map((x) => [x.commodity, x.base_price, x.pricing_pack_id]),
    ).toEqual([
      ['AAA', '12', perf.pricing_pack_id],
      ['EUX', '26.4', perf.pricing_pack_id],
      ['USD', '1', perf.pricing_pack_id],
    ]);
  });

  it('computes MWR (XIRR) whose NPV at the rate is zero', () => {
    const mwr = (perf.panels.performance!.data as Json).mwr;
    expect(mwr.xirr.defined).toBe(true);
    const flows: [string, number][] = [
      ['2024-01-02', -1000],
      ['2024-01-04', 100],
      ['2024-01-05', 1047.5],
    ];
    const rate = Number(mwr.xirr.rate);
    const t0 = Date.parse('2024-01-01');
    const npv = flows.reduce(
      (s, [d, a]) => s + a / (1 + rate) ** ((Date.parse(d) - t0) / 86_400_000 / 365),
      0,
    );
    expect(Math.abs(npv)).toBeLessThan(1e-6);
  });

  it('reports income, fees and taxes, and P&L as booked', () => {
    const inc = overview.panels.income!.data as Json;
    expect(inc.totals).toEqual({ dividends: '10', interest: '0', fees: '5', taxes: '1.5', net: '3.5' });
    expect((inc.events as Json[]).find((e) => e.kind === 'dividend')!.commodity).toBe('AAA');
    const pnl = perf.panels.pnl!.data as Json;
    // realized: 20 x 12 - 20 x 10 = 40; unrealized: AAA 30 x (12 - 10) = 60, EUX 44
    expect(new D(pnl.totals.realized).eq(40)).toBe(true);
    expect(new D(pnl.totals.unrealized).eq(104)).toBe(true);
    expect(pnl.disposals).toHaveLength(1);
    expect(pnl.disposals[0]).toMatchObject({ commodity: 'AAA', units: '20' });
    expect(new D(pnl.disposals[0].proceeds).eq(240)).toBe(true);
  });

  it('allocates by asset class and currency and X-rays concentration', () => {
    const a = overview.panels.allocation!.data as Json;
    const ac = Object.fromEntries((a.dimensions.asset_class as Json[]).map((b) => [b.key, b.weight]));
    // 624 / 1047.5 = 0.5957040..., 423.5 / 1047.5 = 0.4042959...
    expect(ac).toEqual({ Equity: '0.595704', Cash: '0.404296' });
    const cur = Object.fromEntries((a.dimensions.currency as Json[]).map((b) => [b.key, b.value]));
    expect(cur).toEqual({ USD: '783.5', EUR: '264' });
    const c = overview.panels.concentration!.data as Json;
    expect(c.largestPositions[0]).toMatchObject({ key: 'USD' });
    expect((c.breaches as Json[]).map((b) => `${b.kind}:${b.key}`).sort()).toContain('position:AAA');
  });
});

describe('benchmark, currency effect, per-holding returns and risk', () => {
  let perf: PatternEnvelope;
  let risk: PatternEnvelope;
  beforeAll(async () => {
    perf = await run('performance', '--from', '2024-01-02', '--benchmark', 'BMK');
    risk = await run('risk', '--from', '2024-01-02', '--benchmark', 'BMK', '--risk-free', '0');
  });

  it('compares with the benchmark over the same sub-periods', () => {
    const b = (perf.panels.performance!.data as Json).benchmark;
    expect(b.defined).toBe(true);
    close(b.benchmarkReturn, '0.03'); // 103 / 100 - 1
  });

  it('separates the currency effect from the local price effect', () => {
    const holdings = (perf.panels.performance!.data as Json).holdings as Json[];
    const eux = holdings.find((h) => h.commodity === 'EUX')!;
    // local 220 / 200 - 1 = 0.10; fx 1.20 / 1.10 - 1; total 264 / 220 - 1 = 0.20
    close(eux.currency_effect.localReturn, '0.1');
    close(eux.currency_effect.fxReturn, new D(1.2).div(1.1).minus(1));
    close(eux.currency_effect.totalReturn, '0.2');
    const aaa = holdings.find((h) => h.commodity === 'AAA')!;
    // (550 + 10 dividend paid out) / 500, then (360 + 240 sale proceeds) / 550, then 360 / 360
    close(aaa.twr.cumulativeReturn, new D(560).div(500).times(new D(600).div(550)).minus(1));
  });

  it('computes volatility from the sub-period returns, annualised by observations per year', () => {
    const d = risk.panels.risk!.data as Json;
    const rs = [1064.5 / 995 - 1, 1135.5 / 1064.5 - 1, 1047.5 / 1035.5 - 1];
    const mean = rs.reduce((s, x) => s + x, 0) / rs.length;
    const sd = Math.sqrt(rs.reduce((s, x) => s + (x - mean) ** 2, 0) / (rs.length - 1));
    expect(d.periodsPerYear).toBe(365); // 3 sub-periods in 3 calendar days
    expect(Math.abs(d.volatility.annualised - sd * Math.sqrt(365))).toBeLessThan(1e-9); // returns are rounded to 12 places
    expect(d.benchmark.defined).toBe(true);
    const var95 = (d.valueAtRisk as Json[]).find((v) => v.confidence === '0.95');
    expect(var95!.valueAtRisk).toBeCloseTo(-Math.min(...rs), 12);
  });
});

describe('macro_hound on the demo datasets', () => {
  it('names the regime with the values that drove it, from demo-labelled data', async () => {
    const datasets = path.resolve('resources', 'demo');
    const late = await cli(r, [
      'run',
      'macro_regime',
      '--ledger',
      r.ledger,
      '--to',
      '2024-12-31',
      '--datasets',
      datasets,
      '--json',
    ]);
    const env = patternEnvelopeSchema.parse(JSON.parse(late.out));
    const regime = env.panels.regime!.data as Json;
    expect(regime.regime).toBe('easing');
    const ff = (regime.indicators as Json[]).find((i) => i.name === 'fedfunds_change');
    expect(ff!.value).toBe('-0.85'); // 4.48 - 5.33
    expect(env.panels.regime!.provenance).toEqual([
      { provider: 'demo', dataset: 'demo-macro', as_of: '2024-12-31' },
    ]);
  });
});

describe('a portfolio that is transferred out in full and restarts', () => {
  const LEDGER = `option "operating_currency" "USD"
2024-01-01 commodity XYZ
2024-01-01 open Assets:Bank USD
2024-01-01 open Assets:Other
2024-01-01 open Assets:Broker:Cash USD
  portfolio: "p"
2024-01-01 open Assets:Broker:Stocks "FIFO"
  portfolio: "p"
2024-01-01 open Equity:Opening
2024-01-01 * "Opening"
  Assets:Bank  5000 USD
  Equity:Opening
2024-01-02 * "Deposit"
  Assets:Broker:Cash  1000 USD
  Assets:Bank  -1000 USD
2024-01-02 * "Buy"
  Assets:Broker:Stocks  100 XYZ {10 USD}
  Assets:Broker:Cash  -1000 USD
2024-01-04 * "Move everything to another broker"
  Assets:Broker:Stocks  -100 XYZ {10 USD}
  Assets:Other  100 XYZ {10 USD}
2024-01-08 * "Deposit again"
  Assets:Broker:Cash  1300 USD
  Assets:Bank  -1300 USD
2024-01-08 * "Buy again"
  Assets:Broker:Stocks  100 XYZ {13 USD}
  Assets:Broker:Cash  -1300 USD
2024-01-02 price XYZ 10 USD
2024-01-03 price XYZ 11 USD
2024-01-04 price XYZ 12 USD
2024-01-05 price XYZ 12 USD
2024-01-08 price XYZ 13 USD
2024-01-09 price XYZ 14 USD
`;
  let z: HandRepo;
  beforeAll(() => {
    z = makeHandRepo(LEDGER);
  });
  afterAll(() => rmSync(z.tmp, { recursive: true, force: true }));

  it('counts the in-kind transfer as an outflow at market value, skips the empty period and links the restart', async () => {
    const res = await cli(z, [
      'run',
      'performance',
      '--ledger',
      z.ledger,
      '--portfolio',
      'p',
      '--from',
      '2024-01-01',
      '--json',
    ]);
    expect(res.code).toBe(0);
    const env = patternEnvelopeSchema.parse(JSON.parse(res.out));
    const p = env.panels.performance!.data as Json;
    expect(p.drill_down.cash_flows).toEqual([
      { date: '2024-01-02', amount: '1000', note: 'Deposit' },
      { date: '2024-01-04', amount: '-1200', note: 'Move everything to another broker' },
      { date: '2024-01-08', amount: '1300', note: 'Deposit again' },
    ]);
    const skipped = (p.twr.subPeriods as Json[]).filter((s) => !s.included).map((s) => s.end);
    expect(skipped).toEqual(['2024-01-05']);
    // 1000 -> 1100 -> (0 + 1200 out) -> [empty] -> 1300 in -> 1300 -> 1400
    close(
      p.twr.cumulativeReturn,
      new D(1100).div(1000).times(new D(1200).div(1100)).times(new D(1400).div(1300)).minus(1),
    );
    // A transfer is not a sale: no realized P&L.
    expect((env.panels.pnl!.data as Json).disposals).toEqual([]);
  });
});

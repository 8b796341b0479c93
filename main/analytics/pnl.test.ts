import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnalyticsInputError } from './errors';
import { profitAndLoss } from './pnl';

const lots = [
  {
    lotId: 'L1',
    commodity: 'AAPL',
    account: 'Assets:Broker',
    units: '10',
    costBasis: '1500.10',
    acquired: '2020-03-02',
  },
  {
    lotId: 'L2',
    commodity: 'AAPL',
    account: 'Assets:Broker',
    units: '5',
    costBasis: '900',
    acquired: '2022-01-10',
  },
  {
    lotId: 'L3',
    commodity: 'VT',
    account: 'Assets:IRA',
    units: '0.333',
    costBasis: '30.03',
    acquired: '2023-05-05',
  },
];
const prices = [
  { commodity: 'AAPL', price: '170.35', date: '2024-06-28', source: 'pack-1' },
  { commodity: 'VT', price: '110.1', date: '2024-06-28', source: 'pack-1' },
];

describe('profitAndLoss', () => {
  it('computes unrealized per lot, realized as booked, income, fees and taxes exactly (hand computed)', () => {
    const r = profitAndLoss({
      lots,
      prices,
      disposals: [
        // booked with its own proceeds and basis; the current AAPL price must not matter
        {
          date: '2024-02-01',
          commodity: 'AAPL',
          account: 'Assets:Broker',
          units: '-3',
          proceeds: '555.55',
          costBasis: '450.03',
        },
        {
          date: '2023-12-31',
          commodity: 'AAPL',
          account: 'Assets:Broker',
          units: '-1',
          proceeds: '1',
          costBasis: '1',
        },
      ],
      cashEvents: [
        { date: '2024-03-15', kind: 'dividend', amount: '2.40', commodity: 'AAPL' },
        { date: '2024-04-01', kind: 'interest', amount: '0.07' },
        { date: '2024-03-15', kind: 'tax', amount: '0.36', commodity: 'AAPL' },
        { date: '2024-02-01', kind: 'fee', amount: '1.00' },
        { date: '2024-07-01', kind: 'dividend', amount: '99' }, // after the period
      ],
      from: '2023-12-31',
      to: '2024-06-30',
    });
    // L1: 10 * 170.35 = 1703.5 - 1500.10 = 203.40 ; L2: 851.75 - 900 = -48.25
    // L3: 0.333 * 110.1 = 36.6633 - 30.03 = 6.6333
    expect(r.lots.map((l) => [l.marketValue, l.unrealized])).toEqual([
      ['1703.5', '203.4'],
      ['851.75', '-48.25'],
      ['36.6633', '6.6333'],
    ]);
    expect(r.totals).toEqual({
      marketValue: '2591.9133',
      costBasis: '2430.13',
      unrealized: '161.7833',
      realized: '105.52',
      dividends: '2.4',
      interest: '0.07',
      income: '2.47',
      fees: '1',
      taxes: '0.36',
      net: '268.4133', // 161.7833 + 105.52 + 2.47 - 1 - 0.36
    });
    expect(r.disposals).toHaveLength(1); // the 2023-12-31 one is on the open bound: excluded
    expect(r.lots[0]).toMatchObject({ price: '170.35', priceDate: '2024-06-28', priceSource: 'pack-1' });
    expect(r.byCommodity.find((c) => c.commodity === 'AAPL')).toMatchObject({
      units: '15',
      realized: '105.52',
      income: '2.4',
    });
    expect(r.complete).toBe(true);
  });

  it('realized P&L does not move with the current price (as booked)', () => {
    const disposals = [
      {
        date: '2024-02-01',
        commodity: 'AAPL',
        account: 'A',
        units: '-3',
        proceeds: '555.55',
        costBasis: '450.03',
      },
    ];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), (cents) => {
        const r = profitAndLoss({
          lots,
          disposals,
          cashEvents: [],
          prices: [{ commodity: 'AAPL', price: (cents / 100).toFixed(2), date: '2024-06-28' }, prices[1]!],
        });
        expect(r.totals.realized).toBe('105.52');
      }),
    );
  });

  it('sums many small amounts exactly (no float drift)', () => {
    const cashEvents = Array.from({ length: 1000 }, () => ({
      date: '2024-01-02',
      kind: 'interest' as const,
      amount: '0.1',
    }));
    const r = profitAndLoss({ lots: [], disposals: [], cashEvents, prices: [] });
    expect(r.totals.interest).toBe('100');
  });

  it('lists a lot without a price as unpriced and marks the result incomplete', () => {
    const r = profitAndLoss({ lots, disposals: [], cashEvents: [], prices: [prices[0]!] });
    expect(r.complete).toBe(false);
    expect(r.unpricedLots).toEqual([{ lotId: 'L3', commodity: 'VT', reason: 'no price for this commodity' }]);
    expect(r.totals.marketValue).toBe('2555.25');
  });

  it('refuses two prices for one commodity and malformed amounts', () => {
    expect(() =>
      profitAndLoss({ lots, disposals: [], cashEvents: [], prices: [prices[0]!, prices[0]!] }),
    ).toThrow(AnalyticsInputError);
    expect(() =>
      profitAndLoss({ lots: [{ ...lots[0]!, units: '1e3' }], disposals: [], cashEvents: [], prices }),
    ).toThrow(AnalyticsInputError);
  });
});

// Arbitraries and small builders shared by the pricing tests (unit and integration).
import fc from 'fast-check';
import { addDays } from './calendar';
import { PACK_FORMAT, type PackContentInput } from './pack';

export const AS_OF = '2024-03-15';

export const decimalArb = fc
  .tuple(fc.integer({ min: 0, max: 99_999 }), fc.integer({ min: 0, max: 9_999 }), fc.boolean())
  .filter(([i, f]) => i + f > 0)
  .map(([i, f, trailing]) => `${i}.${String(f).padStart(4, '0')}${trailing ? '0' : ''}`);

const ticker = fc.stringMatching(/^[A-Z]{2,5}$/);
const currency = fc.constantFrom('USD', 'EUR', 'GBP', 'JPY', 'CHF');

export const priceRowArb = fc.record({
  commodity: ticker,
  quote_currency: currency,
  price: decimalArb,
  back: fc.integer({ min: 0, max: 5 }),
  provider: fc.constantFrom('ledger', 'fmp', 'polygon'),
  dataset: fc.constantFrom('price-directives', 'historical-price-eod', 'aggregates-daily'),
});

export const packContentArb: fc.Arbitrary<PackContentInput> = fc
  .tuple(
    fc.uniqueArray(priceRowArb, { selector: (r) => r.commodity, maxLength: 12 }),
    fc.uniqueArray(fc.tuple(currency, currency, decimalArb, fc.integer({ min: 0, max: 5 })), {
      selector: ([a, b]) => `${a}/${b}`,
      maxLength: 4,
    }),
    fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: null }),
  )
  .map(([prices, fx, parent]) => ({
    format: PACK_FORMAT,
    as_of: AS_OF,
    parent_pack_id: parent,
    prices: prices.map(({ back, ...p }) => ({ ...p, price_date: addDays(AS_OF, -back), carried: back > 0 })),
    fx: fx
      .filter(([a, b]) => a !== b)
      .map(([from, to, rate, back]) => ({
        from,
        to,
        rate,
        rate_date: addDays(AS_OF, -back),
        carried: back > 0,
        provider: 'polygon',
        dataset: 'aggregates-daily:fx',
      })),
  }));

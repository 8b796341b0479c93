import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSyntheticLedger } from './generate';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** Posting lines: indented, starting with an account (metadata lines start with a lowercase key). */
function countPostings(text: string): number {
  return text.split('\n').filter((l) => /^ {2}(Assets|Liabilities|Equity|Income|Expenses):/.test(l)).length;
}

function countTransactions(text: string): number {
  return text.split('\n').filter((l) => /^\d{4}-\d{2}-\d{2} [*!] /.test(l)).length;
}

describe('generateSyntheticLedger', () => {
  it('is deterministic: the same options give the same bytes, another seed other bytes', () => {
    const opts = { seed: 7, targetPostings: 20_000, currencies: ['USD', 'EUR'], portfolios: 3 };
    const a = generateSyntheticLedger(opts);
    const b = generateSyntheticLedger(opts);
    expect(sha(a.text)).toBe(sha(b.text));
    expect(a.text).toBe(b.text);
    expect(sha(generateSyntheticLedger({ ...opts, seed: 8 }).text)).not.toBe(sha(a.text));
  });

  it.each([0, 2, 3, 4, 5, 7, 1_001, 25_000, 100_000])('writes exactly %i postings', (target) => {
    const ledger = generateSyntheticLedger({ targetPostings: target, seed: target + 1 });
    expect(ledger.postings).toBe(target);
    expect(countPostings(ledger.text)).toBe(target);
    expect(countTransactions(ledger.text)).toBe(ledger.transactions);
  });

  it('covers the activity a portfolio ledger has', () => {
    const { text } = generateSyntheticLedger({
      seed: 3,
      targetPostings: 5_000,
      currencies: ['USD', 'EUR'],
      portfolios: 2,
      securities: 6,
    });
    for (const marker of [
      '"Opening balance"',
      '"Salary"',
      '"Deposit to P',
      '"Withdrawal from P',
      '"Cash from P',
      '"Transfer in kind ',
      '"Convert USD to EUR"',
      '"Buy ',
      '"Sell ',
      '"Dividend ',
      '"Interest"',
      '"Account fee"',
      '"Stock split 2:1 TAAA"',
      '"Full exit TAAB"',
      '"Re-entry TAAB"',
    ]) {
      expect(text, marker).toContain(marker);
    }
    expect(text).toMatch(
      /^\d{4}-\d{2}-\d{2} commodity TAAA\n {2}name: "[^"]+"\n {2}asset-class: "[a-z]+"\n {2}sector: "[^"]+"\n {2}country: "[A-Z]{2}"$/m,
    );
    expect(text).toMatch(
      /^\d{4}-\d{2}-\d{2} open Assets:Broker:P1:Securities "FIFO"\n {2}portfolio: "portfolio-1"$/m,
    );
    // The exit comes before the re-entry, and a split reduces each lot at its cost and re-adds it at half.
    expect(text.indexOf('"Full exit TAAB"')).toBeLessThan(text.indexOf('"Re-entry TAAB"'));
    const split =
      /"Stock split 2:1 TAAA"\n {2}(\S+) {2}-(\d+) TAAA \{([\d.]+) USD, (\S+)\}\n {2}\1 {2}(\d+) TAAA \{([\d.]+) USD, \4\}/.exec(
        text,
      );
    expect(split).not.toBeNull();
    const [, , units, cost, , newUnits, newCost] = split!;
    expect(Number(newUnits)).toBe(Number(units) * 2);
    expect(Math.round(Number(newCost) * 2 * 10_000)).toBe(Math.round(Number(cost) * 10_000));
  });

  it('writes prices weekly (Fridays) or daily (weekdays)', () => {
    const priceDates = (freq: 'daily' | 'weekly') => {
      const { text } = generateSyntheticLedger({
        targetPostings: 100,
        securities: 1,
        priceFrequency: freq,
        years: 1,
      });
      return [...new Set([...text.matchAll(/^(\d{4}-\d{2}-\d{2}) price TAAA /gm)].map((m) => m[1]!))];
    };
    const weekly = priceDates('weekly');
    const daily = priceDates('daily');
    expect(weekly.every((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 5)).toBe(true);
    expect(weekly.length).toBe(52); // 2015 has 52 Fridays
    expect(daily.every((d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()))).toBe(true);
    expect(daily.length).toBe(261); // weekdays in 2015
  });

  it('uses exact decimal strings only: no float artefacts or exponents', () => {
    const { text } = generateSyntheticLedger({
      seed: 11,
      targetPostings: 10_000,
      currencies: ['USD', 'JPY'],
    });
    expect(text).not.toMatch(/\d\.\d{5,}|e[+-]\d|NaN|Infinity/);
  });

  it('refuses impossible options', () => {
    expect(() => generateSyntheticLedger({ targetPostings: 1 })).toThrow(RangeError);
    expect(() => generateSyntheticLedger({ targetPostings: 1_000_001 })).toThrow(RangeError);
    expect(() => generateSyntheticLedger({ currencies: ['usd'] })).toThrow(RangeError);
    expect(() => generateSyntheticLedger({ portfolios: 0 })).toThrow(RangeError);
  });
});

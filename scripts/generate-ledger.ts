// Writes a synthetic Beancount ledger (see main/ledger/synthetic/generate.ts).
//   npx tsx scripts/generate-ledger.ts --postings 100000 --out FILE
//     [--seed N] [--years N] [--start-year YYYY] [--securities N] [--portfolios N]
//     [--currencies USD,EUR] [--prices daily|weekly]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateSyntheticLedger } from '../main/ledger/synthetic/generate';

const { values } = parseArgs({
  options: {
    postings: { type: 'string', default: '10000' },
    out: { type: 'string' },
    seed: { type: 'string', default: '1' },
    years: { type: 'string', default: '3' },
    'start-year': { type: 'string', default: '2015' },
    securities: { type: 'string', default: '20' },
    portfolios: { type: 'string', default: '2' },
    currencies: { type: 'string', default: 'USD' },
    prices: { type: 'string', default: 'weekly' },
  },
});

if (!values.out) {
  process.stderr.write('usage: npx tsx scripts/generate-ledger.ts --postings N --out FILE [options]\n');
  process.exit(2);
}
if (values.prices !== 'daily' && values.prices !== 'weekly') {
  process.stderr.write('--prices must be daily or weekly\n');
  process.exit(2);
}

const started = process.hrtime.bigint();
const ledger = generateSyntheticLedger({
  targetPostings: Number(values.postings),
  seed: Number(values.seed),
  years: Number(values.years),
  startYear: Number(values['start-year']),
  securities: Number(values.securities),
  portfolios: Number(values.portfolios),
  currencies: values.currencies.split(',').map((c) => c.trim()),
  priceFrequency: values.prices,
});
writeFileSync(values.out, ledger.text);
const ms = Number(process.hrtime.bigint() - started) / 1e6;
process.stdout.write(
  `${values.out}: ${Buffer.byteLength(ledger.text)} bytes, ${ledger.transactions} transactions, ` +
    `${ledger.postings} postings, ${ledger.prices} prices (${ms.toFixed(0)} ms)\n`,
);

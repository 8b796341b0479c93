// Generates the demo ledger in resources/demo/ledger/ (DEMO DATA: invented companies, prices and
// transactions). Deterministic: the same script gives the same bytes. It builds on the seeded
// synthetic generator (main/ledger/synthetic/), which already books lots, dividends with
// withholding tax, fees, interest, a 2:1 split, cash and in-kind transfers between portfolios, FX
// conversions and a full exit followed by a re-entry, then gives the securities, accounts and
// portfolios readable names and splits the ledger into files by kind and year.
//
//   npx tsx scripts/demo/generate-demo.ts [OUT_DIR]     (default resources/demo/ledger)
// Check it with Beancount: bean-check resources/demo/ledger/main.beancount
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateSyntheticLedger } from '../../main/ledger/synthetic/generate';

export const DEMO_SEED = 20_240_101;
export const DEMO_START_YEAR = 2021;
export const DEMO_YEARS = 4;
export const DEMO_CURRENCIES = ['USD', 'EUR', 'GBP'] as const;
export const DEMO_BENCHMARK = 'WRLD';

interface DemoSecurity {
  ticker: string;
  name: string;
  assetClass: string;
  sector: string;
  country: string;
  issuer: string;
}

/**
 * Invented securities, four per currency, in the order the generator assigns currencies. The first
 * one gets the generator's 2:1 split, so it is a stock, and the benchmark ETF (WRLD) never splits.
 */
const SECURITIES: Record<(typeof DEMO_CURRENCIES)[number], DemoSecurity[]> = {
  USD: [
    {
      ticker: 'NOVA',
      name: 'Nova Systems Inc.',
      assetClass: 'Equity',
      sector: 'Technology',
      country: 'US',
      issuer: 'Nova Systems',
    },
    {
      ticker: 'WRLD',
      name: 'Demo World Equity ETF',
      assetClass: 'Equity ETF',
      sector: 'Diversified',
      country: 'US',
      issuer: 'Demo Funds',
    },
    {
      ticker: 'MEDX',
      name: 'Medix Health Corp.',
      assetClass: 'Equity',
      sector: 'Health Care',
      country: 'US',
      issuer: 'Medix Health',
    },
    {
      ticker: 'BNDU',
      name: 'Demo US Aggregate Bond ETF',
      assetClass: 'Bond ETF',
      sector: 'Fixed Income',
      country: 'US',
      issuer: 'Demo Funds',
    },
  ],
  EUR: [
    {
      ticker: 'EURS',
      name: 'Demo Euro Equity ETF',
      assetClass: 'Equity ETF',
      sector: 'Diversified',
      country: 'DE',
      issuer: 'Demo Funds',
    },
    {
      ticker: 'VOLT',
      name: 'Voltara Energie AG',
      assetClass: 'Equity',
      sector: 'Utilities',
      country: 'DE',
      issuer: 'Voltara',
    },
    {
      ticker: 'BANQ',
      name: 'Banque Lumiere SA',
      assetClass: 'Equity',
      sector: 'Financials',
      country: 'FR',
      issuer: 'Banque Lumiere',
    },
    {
      ticker: 'MOTR',
      name: 'Motorwerk SE',
      assetClass: 'Equity',
      sector: 'Industrials',
      country: 'DE',
      issuer: 'Motorwerk',
    },
  ],
  GBP: [
    {
      ticker: 'UKXE',
      name: 'Demo UK Equity ETF',
      assetClass: 'Equity ETF',
      sector: 'Diversified',
      country: 'GB',
      issuer: 'Demo Funds',
    },
    {
      ticker: 'BRIT',
      name: 'Britannia Pharma plc',
      assetClass: 'Equity',
      sector: 'Health Care',
      country: 'GB',
      issuer: 'Britannia Pharma',
    },
    {
      ticker: 'NRTH',
      name: 'North Sea Energy plc',
      assetClass: 'Equity',
      sector: 'Energy',
      country: 'GB',
      issuer: 'North Sea Energy',
    },
    {
      ticker: 'LOND',
      name: 'London Property REIT plc',
      assetClass: 'REIT',
      sector: 'Real Estate',
      country: 'GB',
      issuer: 'London Property',
    },
  ],
};

const PORTFOLIOS = ['taxable', 'retirement', 'family'] as const;
const ACCOUNT_NAMES = ['Taxable', 'Retirement', 'Family'] as const;

export interface DemoLedgerFiles {
  /** File name (relative to the ledger folder) -> content. */
  files: Map<string, string>;
  postings: number;
  transactions: number;
  prices: number;
}

export function generateDemoLedger(): DemoLedgerFiles {
  const ledger = generateSyntheticLedger({
    seed: DEMO_SEED,
    startYear: DEMO_START_YEAR,
    years: DEMO_YEARS,
    securities: 12,
    portfolios: 3,
    currencies: [...DEMO_CURRENCIES],
    priceFrequency: 'daily',
    targetPostings: 6_000,
  });
  // Synthetic tickers (T + three letters) in the order they are declared, and their currencies.
  const tickers = [...ledger.text.matchAll(/^\d{4}-\d{2}-\d{2} commodity (T[A-Z]{3})$/gm)].map((m) => m[1]!);
  const rename = new Map<string, DemoSecurity>();
  const used: Record<string, number> = { USD: 0, EUR: 0, GBP: 0 };
  for (const t of tickers) {
    const currency = new RegExp(`^\\d{4}-\\d{2}-\\d{2} price ${t} [0-9.]+ ([A-Z]+)$`, 'm').exec(
      ledger.text,
    )?.[1];
    if (currency === undefined || !(currency in SECURITIES)) throw new Error(`no currency for ${t}`);
    const list = SECURITIES[currency as keyof typeof SECURITIES];
    const sec = list[used[currency]!++];
    if (!sec) throw new Error(`not enough demo securities in ${currency}`);
    rename.set(t, sec);
  }

  let text = ledger.text;
  // Commodity blocks: replace the synthetic metadata with the demo security's.
  text = text.replace(
    /^(\d{4}-\d{2}-\d{2}) commodity (T[A-Z]{3})\n(?: {2}[a-z-]+: "[^"]*"\n)+/gm,
    (_all, date: string, t: string) => {
      const s = rename.get(t)!;
      return (
        `${date} commodity ${s.ticker}\n  name: "${s.name}"\n  asset-class: "${s.assetClass}"\n` +
        `  sector: "${s.sector}"\n  country: "${s.country}"\n  issuer: "${s.issuer}"\n`
      );
    },
  );
  text = text.replace(/\bT[A-Z]{3}\b/g, (t) => rename.get(t)?.ticker ?? t);
  text = text.replace(/Broker:P(\d+)\b/g, (_m, n: string) => `Brokerage:${ACCOUNT_NAMES[Number(n) - 1]!}`);
  text = text.replace(
    /portfolio: "portfolio-(\d+)"/g,
    (_m, n: string) => `portfolio: "${PORTFOLIOS[Number(n) - 1]!}"`,
  );
  // Narrations name portfolios P1..P3: give them the accounts' names.
  text = text.replace(
    /^(\d{4}-\d{2}-\d{2} \* "[^"\n]*" )("[^"\n]*")$/gm,
    (_m, head: string, narration: string) =>
      `${head}${narration.replace(/\bP(\d+)\b/g, (_x, n: string) => ACCOUNT_NAMES[Number(n) - 1] ?? `P${n}`)}`,
  );

  // Split into files: header/options (main), commodities + opens (accounts), prices per year,
  // transactions per year.
  const blocks = text.split(/\n(?=\d{4}-\d{2}-\d{2} )/);
  const header: string[] = [];
  const accounts: string[] = [];
  const byYear = new Map<string, string[]>();
  const pricesByYear = new Map<string, string[]>();
  for (const raw of blocks) {
    const block = raw.replace(/\n+$/, '');
    const m = /^(\d{4})-\d{2}-\d{2} (\S+)/.exec(block);
    if (!m) {
      header.push(...block.split('\n').filter((l) => l.startsWith('option') === false && l.trim() !== ''));
      continue;
    }
    const [, year, kind] = m;
    if (kind === 'commodity' || kind === 'open' || kind === 'close') accounts.push(block);
    else if (kind === 'price')
      (pricesByYear.get(year!) ?? pricesByYear.set(year!, []).get(year!)!).push(block);
    else (byYear.get(year!) ?? byYear.set(year!, []).get(year!)!).push(block);
  }
  const years = [...new Set([...byYear.keys(), ...pricesByYear.keys()])].sort();
  const banner =
    '; DawsOS DEMO DATA: invented companies, prices and transactions, generated by\n' +
    '; scripts/demo/generate-demo.ts. Not investment data; do not rely on it.\n';
  const files = new Map<string, string>();
  files.set(
    'main.beancount',
    `${banner}option "title" "DawsOS demo portfolios"\noption "operating_currency" "USD"\n\n` +
      `include "accounts.beancount"\n` +
      years.map((y) => `include "${y}/transactions.beancount"\ninclude "${y}/prices.beancount"\n`).join(''),
  );
  void header;
  files.set('accounts.beancount', `${banner}\n${accounts.join('\n')}\n`);
  for (const y of years) {
    files.set(`${y}/transactions.beancount`, `${banner}\n${(byYear.get(y) ?? []).join('\n\n')}\n`);
    files.set(`${y}/prices.beancount`, `${banner}\n${(pricesByYear.get(y) ?? []).join('\n')}\n`);
  }
  return { files, postings: ledger.postings, transactions: ledger.transactions, prices: ledger.prices };
}

/** Twenty-four monthly observations ending December 2024, from a start value and monthly steps. */
function monthly(values: readonly number[], digits: number): { date: string; value: string }[] {
  return values.map((v, i) => {
    const year = 2023 + Math.floor(i / 12);
    const month = String((i % 12) + 1).padStart(2, '0');
    return { date: `${year}-${month}-01`, value: v.toFixed(digits) };
  });
}

function ramp(from: number, to: number, n = 24): number[] {
  return Array.from({ length: n }, (_, i) => from + ((to - from) * i) / (n - 1));
}

/** resources/demo/macro.json: invented values in FRED's shape, labelled DEMO. */
export function demoMacro(): unknown {
  const series = (id: string, title: string, units: string, values: number[], digits: number) => ({
    id,
    title,
    units,
    frequency: 'monthly',
    observations: monthly(values, digits),
  });
  return {
    label: 'DEMO DATA: invented values in the shape of FRED series, not real observations',
    series: {
      T10Y2Y: series(
        'T10Y2Y',
        '10-Year minus 2-Year Treasury (demo)',
        'percentage points',
        ramp(-0.85, 0.15),
        2,
      ),
      CPIAUCSL: series('CPIAUCSL', 'Consumer price index (demo)', 'index', ramp(300.0, 316.4), 3),
      UNRATE: series(
        'UNRATE',
        'Unemployment rate (demo)',
        'percent',
        [
          3.5, 3.6, 3.5, 3.4, 3.7, 3.6, 3.5, 3.8, 3.8, 3.8, 3.7, 3.7, 3.7, 3.9, 3.8, 3.9, 4.0, 4.1, 4.3, 4.2,
          4.1, 4.1, 4.2, 4.2,
        ],
        1,
      ),
      FEDFUNDS: series(
        'FEDFUNDS',
        'Federal funds rate (demo)',
        'percent',
        [
          4.33, 4.57, 4.65, 4.83, 5.06, 5.08, 5.12, 5.33, 5.33, 5.33, 5.33, 5.33, 5.33, 5.33, 5.33, 5.33,
          5.33, 5.33, 5.33, 5.33, 5.13, 4.83, 4.64, 4.48,
        ],
        2,
      ),
      BAMLC0A0CM: series('BAMLC0A0CM', 'Corporate bond spread (demo)', 'percent', ramp(1.45, 0.82), 2),
    },
  };
}

const HEADLINES: [string, string, string[]][] = [
  ['2024-12-02', 'Nova Systems unveils a new data-centre chip line', ['NOVA']],
  ['2024-12-05', 'Medix Health wins approval for a diabetes device', ['MEDX']],
  ['2024-12-09', 'Voltara Energie raises its wind capacity target', ['VOLT']],
  ['2024-12-11', 'Banque Lumiere reports higher net interest income', ['BANQ']],
  ['2024-12-13', 'Motorwerk cuts its delivery outlook on supply delays', ['MOTR']],
  ['2024-12-16', 'Britannia Pharma starts a late-stage trial', ['BRIT']],
  ['2024-12-17', 'North Sea Energy agrees an asset sale', ['NRTH']],
  ['2024-12-18', 'London Property REIT lets its largest office vacancy', ['LOND']],
  ['2024-12-19', 'Demo Funds lowers fees on its world and euro equity ETFs', ['WRLD', 'EURS']],
  ['2024-12-20', 'Bond ETFs see inflows as rates ease', ['BNDU']],
  ['2024-12-23', 'UK equity ETFs lag as sterling firms', ['UKXE']],
  ['2024-12-24', 'Nova Systems and Medix Health announce a research partnership', ['NOVA', 'MEDX']],
  ['2024-12-27', 'Utilities rally on lower yields; Voltara up', ['VOLT']],
  ['2024-12-30', 'Year-end review: technology led the demo market', ['NOVA', 'WRLD']],
  ['2024-12-30', 'An unrelated company reports results', ['ZZZZ']],
];

/** resources/demo/news.json: invented headlines about the demo securities, labelled DEMO. */
export function demoNews(): unknown {
  return {
    label: 'DEMO DATA: invented headlines about invented companies, not real news',
    articles: HEADLINES.map(([date, title, symbols], i) => ({
      id: `demo-${String(i + 1).padStart(3, '0')}`,
      published_at: `${date}T09:00:00Z`,
      title,
      summary: `Demo article: ${title}.`,
      url: `https://example.invalid/demo/${i + 1}`,
      source: 'DawsOS Demo Wire',
      symbols,
      provider: 'demo',
      licence: 'DawsOS demo data: invented, free to reuse',
      export: true,
    })),
  };
}

function main(): void {
  const out = path.resolve(process.argv[2] ?? path.join('resources', 'demo', 'ledger'));
  mkdirSync(out, { recursive: true });
  for (const entry of readdirSync(out)) rmSync(path.join(out, entry), { recursive: true, force: true });
  const demo = generateDemoLedger();
  for (const [file, content] of demo.files) {
    mkdirSync(path.dirname(path.join(out, file)), { recursive: true });
    writeFileSync(path.join(out, file), content);
  }
  const demoDir = path.dirname(out);
  writeFileSync(path.join(demoDir, 'macro.json'), `${JSON.stringify(demoMacro(), null, 2)}\n`);
  writeFileSync(path.join(demoDir, 'news.json'), `${JSON.stringify(demoNews(), null, 2)}\n`);
  process.stdout.write(
    `demo ledger: ${demo.files.size} files, ${demo.transactions} transactions, ${demo.postings} postings, ${demo.prices} prices -> ${out}\n`,
  );
}

if (
  process.argv[1] &&
  path.resolve(process.argv[1]).endsWith(path.join('scripts', 'demo', 'generate-demo.ts'))
)
  main();

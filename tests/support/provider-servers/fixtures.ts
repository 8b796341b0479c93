// Fixtures the fake provider servers answer from, generated deterministically (seeded PRNG), so
// tests and benchmarks can compute the expected answer. Prices are integer minor units walked at
// random and printed as decimal strings; nothing is read from disk.
import { mulberry32, seedOf } from './prng';

export const FIXTURE_START = '2015-01-01';
export const FIXTURE_END = '2024-12-31';
export const UNIVERSE_SIZE = 200;

const NAMED = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'NVDA', 'META', 'BRK.B', 'JPM', 'V', 'XOM'];

/** 200 tickers: ten familiar ones, then generated three-letter ones (AAA, AAB, …). */
export const SYMBOLS: readonly string[] = (() => {
  const out = [...NAMED];
  for (let i = 0; out.length < UNIVERSE_SIZE; i++) {
    const letters = [Math.floor(i / 676) % 26, Math.floor(i / 26) % 26, i % 26].map((n) =>
      String.fromCharCode(65 + n),
    );
    const ticker = `Q${letters.join('')}`;
    out.push(ticker);
  }
  return out;
})();

export const FX_PAIRS: readonly string[] = ['C:EURUSD', 'C:GBPUSD', 'C:USDJPY', 'C:USDCHF', 'C:AUDUSD'];

export function companyName(symbol: string): string {
  return `${symbol.replace(/[^A-Z]/g, '')} Holdings Inc`;
}

/** Weekdays from FIXTURE_START to FIXTURE_END inclusive (holidays are not modelled). */
export const TRADING_DAYS: readonly string[] = (() => {
  const days: string[] = [];
  const end = Date.parse(`${FIXTURE_END}T00:00:00Z`);
  for (let t = Date.parse(`${FIXTURE_START}T00:00:00Z`); t <= end; t += 86_400_000) {
    const dow = new Date(t).getUTCDay();
    if (dow !== 0 && dow !== 6) days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
})();

/** Compact bars of one instrument: prices in minor units of `scale` decimals. */
export interface BarSeries {
  readonly symbol: string;
  readonly scale: number;
  readonly open: Int32Array;
  readonly high: Int32Array;
  readonly low: Int32Array;
  readonly close: Int32Array;
  readonly volume: Int32Array;
}

export interface FixtureBar {
  readonly date: string;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}

const cache = new Map<string, BarSeries>();

export function isKnownInstrument(symbol: string): boolean {
  return SYMBOLS.includes(symbol) || FX_PAIRS.includes(symbol);
}

/** The full 10-year series of a stock or FX pair (cached). */
export function seriesFor(symbol: string): BarSeries {
  const hit = cache.get(symbol);
  if (hit) return hit;
  const fx = symbol.startsWith('C:');
  const scale = fx ? (symbol.includes('JPY') ? 3 : 5) : 2;
  const rand = mulberry32(seedOf(`bars:${symbol}`));
  const n = TRADING_DAYS.length;
  const series: BarSeries = {
    symbol,
    scale,
    open: new Int32Array(n),
    high: new Int32Array(n),
    low: new Int32Array(n),
    close: new Int32Array(n),
    volume: new Int32Array(n),
  };
  // Start between 10 and 500 units (stocks) or around 1 (FX; ~100 for JPY).
  let price = fx
    ? Math.round((symbol.includes('JPY') ? 110 : 1.2) * 10 ** scale)
    : 1000 + Math.floor(rand() * 49_000);
  const floor = fx ? 10 ** (scale - 1) : 100;
  for (let i = 0; i < n; i++) {
    const step = Math.round(price * (rand() - 0.5) * (fx ? 0.01 : 0.04));
    const open = Math.max(floor, price + Math.round(price * (rand() - 0.5) * 0.005));
    const close = Math.max(floor, price + step);
    series.open[i] = open;
    series.close[i] = close;
    series.high[i] = Math.max(open, close) + Math.floor(rand() * price * 0.01);
    series.low[i] = Math.max(1, Math.min(open, close) - Math.floor(rand() * price * 0.01));
    series.volume[i] = fx ? 0 : 100_000 + Math.floor(rand() * 5_000_000);
    price = close;
  }
  cache.set(symbol, series);
  return series;
}

/** Minor units as a decimal string, e.g. 12345 at scale 2 → "123.45". */
export function minorToDecimal(units: number, scale: number): string {
  const sign = units < 0 ? '-' : '';
  const digits = String(Math.abs(units)).padStart(scale + 1, '0');
  if (scale === 0) return sign + digits;
  return `${sign}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/** The index range of TRADING_DAYS within [from, to]. */
export function dayRange(from: string, to: string): [number, number] {
  let lo = 0;
  while (lo < TRADING_DAYS.length && (TRADING_DAYS[lo] ?? '') < from) lo++;
  let hi = TRADING_DAYS.length - 1;
  while (hi >= 0 && (TRADING_DAYS[hi] ?? '') > to) hi--;
  return [lo, hi];
}

/** Bars of a symbol within [from, to], oldest first, as decimal strings: the expected client output. */
export function barsBetween(symbol: string, from: string, to: string): FixtureBar[] {
  if (!isKnownInstrument(symbol)) return [];
  const s = seriesFor(symbol);
  const [lo, hi] = dayRange(from, to);
  const out: FixtureBar[] = [];
  for (let i = lo; i <= hi; i++) {
    out.push({
      date: TRADING_DAYS[i] ?? '',
      open: minorToDecimal(s.open[i] ?? 0, s.scale),
      high: minorToDecimal(s.high[i] ?? 0, s.scale),
      low: minorToDecimal(s.low[i] ?? 0, s.scale),
      close: minorToDecimal(s.close[i] ?? 0, s.scale),
      volume: String(s.volume[i] ?? 0),
    });
  }
  return out;
}

/** FRED series the fake knows: daily ones with "." on some days, monthly ones without. */
export const FRED_SERIES: Readonly<
  Record<string, { frequency: 'daily' | 'monthly'; scale: number; base: number }>
> = {
  DGS10: { frequency: 'daily', scale: 2, base: 250 },
  DEXUSEU: { frequency: 'daily', scale: 4, base: 11_500 },
  FEDFUNDS: { frequency: 'monthly', scale: 2, base: 150 },
  CPIAUCSL: { frequency: 'monthly', scale: 3, base: 240_000 },
};

export interface FixtureObservation {
  readonly date: string;
  /** "." where FRED has no value. */
  readonly value: string;
}

const fredCache = new Map<string, FixtureObservation[]>();

export function fredObservations(seriesId: string): FixtureObservation[] {
  const hit = fredCache.get(seriesId);
  if (hit) return hit;
  const spec = FRED_SERIES[seriesId];
  if (!spec) return [];
  const rand = mulberry32(seedOf(`fred:${seriesId}`));
  const dates =
    spec.frequency === 'daily'
      ? TRADING_DAYS
      : TRADING_DAYS.filter(
          (d, i) => i === 0 || d.slice(0, 7) !== (TRADING_DAYS[i - 1] ?? '').slice(0, 7),
        ).map((d) => `${d.slice(0, 7)}-01`);
  let level = spec.base;
  const out = dates.map((date) => {
    level = Math.max(1, level + Math.round((rand() - 0.5) * spec.base * 0.02));
    // Daily series miss about one day in 25 (holidays), written "." as FRED does.
    const missing = spec.frequency === 'daily' && rand() < 0.04;
    return { date, value: missing ? '.' : minorToDecimal(level, spec.scale) };
  });
  fredCache.set(seriesId, out);
  return out;
}

export interface FixtureArticle {
  readonly source: { id: string | null; name: string };
  readonly author: string | null;
  readonly title: string;
  readonly description: string | null;
  readonly url: string;
  readonly urlToImage: string | null;
  readonly publishedAt: string;
  readonly content: string | null;
}

/** NewsAPI `everything` results for a query: a deterministic total and articles, newest first. */
export function newsFor(q: string, from: string): { total: number; article(i: number): FixtureArticle } {
  const seed = seedOf(`news:${q}:${from}`);
  const total = 20 + (seed % 180);
  const start = Date.parse(`${from}T00:00:00Z`) + 30 * 86_400_000;
  return {
    total,
    article(i: number): FixtureArticle {
      const rand = mulberry32(seed + i);
      const sourceId = rand() < 0.5 ? 'reuters' : null;
      return {
        source: { id: sourceId, name: sourceId ? 'Reuters' : 'Example Wire' },
        author: rand() < 0.7 ? `Reporter ${i % 7}` : null,
        title: `Headline ${i} about ${q.slice(0, 40)}`,
        description: rand() < 0.8 ? `Summary of story ${i}.` : null,
        url: `https://news.example.com/${seed.toString(16)}/${i}`,
        urlToImage: null,
        publishedAt: new Date(start - i * 3_600_000).toISOString().replace('.000Z', 'Z'),
        content: null,
      };
    },
  };
}

/** A decimal as a JSON number prints it: trailing fractional zeros dropped ("68.60" → "68.6"). */
export function trimDecimal(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}

/**
 * What a client returns for bars the server sent as JSON numbers: the same decimals, in the text
 * JSON gives them (the fixture's "68.60" arrives as 68.6).
 */
export function clientBars(symbol: string, from: string, to: string): FixtureBar[] {
  return barsBetween(symbol, from, to).map((b) => ({
    date: b.date,
    open: trimDecimal(b.open),
    high: trimDecimal(b.high),
    low: trimDecimal(b.low),
    close: trimDecimal(b.close),
    volume: b.volume,
  }));
}

// Ledger load benchmark: DawsOS parse + book + validate against Beancount's `bean-check` on the
// same files, in the same run. Files: the `bean-example` ledger (born 1915, from 1940: ~10 MB,
// ~60k directives; generated once and cached in the temp folder) and synthetic ledgers from
// main/ledger/synthetic (100k, 300k and 1M postings). Each DawsOS figure comes from a fresh child
// process (so the first load is cold, as for the CLI or a new worker) which also loads a second time
// (warm) and reports its peak RSS; bean-check runs under /usr/bin/time for its peak RSS.
// Balances, holdings and errors are compared with what the beancount library computes (through
// scripts/ledger-fixtures/generate.py's definitions) when Debian's python3 has beancount.
//
// Run: npx tsx bench/ledger.bench.ts [--no-synthetic] [--no-verify] [--skip-1m-bean-check] [--runs N]
// (N alternating DawsOS / bean-check runs per ledger, medians reported; default 5 below 20 MB, else 1)
//
// Differential mode: `npx tsx bench/ledger.bench.ts --differential N [SEED]` writes N random ledgers
// (fixture ledgers with random line and character mutations, and random trading ledgers with lots,
// prices, elided amounts, pads and balance checks under every booking method), loads each with
// Beancount and with DawsOS, and prints every case where errors (type, file, line, message),
// balances or holdings differ. It found the parser corner cases now covered by the fixtures.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { FsLedgerSource } from '../main/ledger/fs-source';
import { loadLedger, sortErrors } from '../main/ledger/loader';
import { generateSyntheticLedger } from '../main/ledger/synthetic/generate';
import { balances, holdings } from '../main/ledger/views';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const CACHE = path.join(os.tmpdir(), 'dawsos-ledger-bench');
const PYTHON = '/usr/bin/python3';

interface Measure {
  entries: number;
  postings: number;
  errors: number;
  coldMs: number;
  coldCpuMs: number;
  warmMs: number;
  maxRssMb: number;
}

/** Child mode: load FILE twice and print the figures as JSON. */
async function measureChild(file: string): Promise<void> {
  const source = new FsLedgerSource(path.dirname(file));
  const main = path.basename(file);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const ledger = await loadLedger(source, main);
  const coldMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  let postings = 0;
  for (const e of ledger.entries) if (e.kind === 'transaction') postings += e.postings.length;
  const t1 = performance.now();
  await loadLedger(source, main);
  const warmMs = performance.now() - t1;
  const m: Measure = {
    entries: ledger.entries.length,
    postings,
    errors: ledger.errors.length,
    coldMs,
    coldCpuMs: (cpu.user + cpu.system) / 1000,
    warmMs,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(`${JSON.stringify(m)}\n`);
}

function dawsos(file: string): Measure {
  const out = execFileSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--measure', file],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Measure;
}

function beanCheck(file: string): { ms: number; maxRssMb: number; errors: number } | null {
  const t0 = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', 'bean-check', file], {
    encoding: 'utf8',
    env: { ...process.env, BEANCOUNT_DISABLE_LOAD_CACHE: '1' },
    maxBuffer: 1 << 28,
  });
  const ms = performance.now() - t0;
  if (r.error) return null;
  const rss = /MAXRSS (\d+)/.exec(r.stderr);
  const errors = (r.stderr.match(/^\S.*:\d+:\s/gm) ?? []).length;
  return { ms, maxRssMb: rss ? Number(rss[1]) / 1024 : NaN, errors };
}

function exampleLedger(): string {
  mkdirSync(CACHE, { recursive: true });
  const file = path.join(CACHE, 'example.beancount');
  if (!existsSync(file)) {
    process.stdout.write('generating the bean-example ledger (once, cached in the temp folder)...\n');
    execFileSync('bean-example', ['--date-begin', '1940-01-01', '--date-birth', '1915-05-12', '-o', file], {
      stdio: ['ignore', 'ignore', 'ignore'],
    });
  }
  return file;
}

function syntheticLedger(postings: number): string {
  const file = path.join(CACHE, `synthetic-${postings}.beancount`);
  if (!existsSync(file)) {
    const { text } = generateSyntheticLedger({
      seed: 1,
      targetPostings: postings,
      years: 10,
      securities: 40,
    });
    writeFileSync(file, text);
  }
  return file;
}

const VERIFY_PY = `
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location('gen', sys.argv[1])
gen = importlib.util.module_from_spec(spec); spec.loader.exec_module(gen)
from beancount import loader
entries, errors, _ = loader.load_file(sys.argv[2])
import os
print(json.dumps({'balances': gen.balances(entries), 'holdings': gen.holdings(entries),
  'errors': gen.errors_json(errors, os.path.dirname(sys.argv[2]))}, sort_keys=True))
`;

function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
    );
  return v;
}

async function verify(file: string): Promise<string> {
  const script = path.join(ROOT, 'scripts/ledger-fixtures/generate.py');
  if (!existsSync(PYTHON) || !existsSync(script)) return 'skipped (no beancount python)';
  const r = spawnSync(PYTHON, ['-c', VERIFY_PY, script, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, BEANCOUNT_DISABLE_LOAD_CACHE: '1' },
  });
  if (r.status !== 0) return 'skipped (beancount python failed)';
  const expected = JSON.parse(r.stdout) as {
    balances: unknown;
    holdings: unknown;
    errors: { type: string; file: string; line: number }[];
  };
  const ledger = await loadLedger(new FsLedgerSource(path.dirname(file)), path.basename(file));
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(canon(a)) === JSON.stringify(canon(b));
  const errKey = (e: { type: string; file: string | null; line: number | null }): string =>
    `${e.type}|${e.file}|${e.line}`;
  const parts = [
    `balances ${same(balances(ledger.entries), expected.balances) ? 'identical' : 'DIFFER'}`,
    `holdings ${same(holdings(ledger.entries), expected.holdings) ? 'identical' : 'DIFFER'}`,
    `errors ${same(sortErrors(ledger.errors).map(errKey), expected.errors.map(errKey)) ? 'identical' : 'DIFFER'} (${expected.errors.length})`,
  ];
  return parts.join(', ');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function fmtMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}

const FRAGMENTS = [
  '{',
  '}',
  '@',
  '@@',
  '"',
  '\n',
  '  ',
  '#',
  ':',
  '-',
  '*',
  '0',
  '.5',
  ' USD',
  ' HOOL',
  ' {}',
  '\n\n',
];

function randomLedgers(n: number, seed0: number, dir: string): void {
  let seed = seed0;
  const rnd = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const fixtures = path.join(ROOT, 'tests/fixtures/ledger');
  const seeds = existsSync(fixtures)
    ? readdirSync(fixtures)
        .filter((c) => !c.startsWith('example') && existsSync(path.join(fixtures, c, 'main.beancount')))
        .map((c) => readFileSync(path.join(fixtures, c, 'main.beancount'), 'utf8'))
        .filter((t) => !t.includes('include'))
    : [];
  for (let i = 0; i < n; i++) {
    let text: string;
    if (seeds.length && rnd() < 0.5) {
      text = pick(seeds);
      for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
        const lines = text.split('\n');
        const r = rnd();
        const li = Math.floor(rnd() * lines.length);
        if (r < 0.25) lines.splice(li, 1);
        else if (r < 0.45) lines.splice(li, 0, pick(lines));
        else if (r < 0.6) {
          const lj = Math.floor(rnd() * lines.length);
          [lines[li], lines[lj]] = [lines[lj]!, lines[li]!];
        } else {
          const line = lines[li]!;
          const at = Math.floor(rnd() * (line.length + 1));
          lines[li] =
            r < 0.8
              ? line.slice(0, at) + pick(FRAGMENTS) + line.slice(at)
              : line.slice(0, at) + line.slice(at + 1);
        }
        text = lines.join('\n');
      }
    } else {
      const lines = [
        '2020-01-01 open Assets:Cash USD,EUR',
        `2020-01-01 open Assets:Stock ${rnd() < 0.8 ? `"${pick(['STRICT', 'FIFO', 'LIFO', 'NONE'])}"` : ''}`,
        '2020-01-01 open Equity:Open',
        '2020-01-01 open Income:PnL',
        '2020-01-01 open Expenses:Fee',
        '2020-01-02 * "fund"',
        '  Assets:Cash  100000.00 USD',
        '  Equity:Open',
        '',
      ];
      for (let t = 0, day = 3; t < 3 + Math.floor(rnd() * 10); t++, day += Math.floor(rnd() * 3)) {
        const d = `2020-${String(1 + Math.floor(day / 28)).padStart(2, '0')}-${String(1 + (day % 28)).padStart(2, '0')}`;
        const c = pick(['AAA', 'BBB']);
        const n = pick(['1', '2', '5', '0.5', '1.25', '7']);
        const cost = pick(['10', '10.00', '11.5', '9.999', '100']);
        const r = rnd();
        if (r < 0.4)
          lines.push(
            `${d} * "buy"`,
            `  Assets:Stock  ${n} ${c} ${pick([`{${cost} USD}`, `{${cost} USD, ${d}}`, `{${cost} USD, "L${t}"}`, `{{${cost} USD}}`, `{${cost} # 1.00 USD}`, '{}'])}${rnd() < 0.3 ? ' @ 12 USD' : ''}`,
            rnd() < 0.7 ? '  Assets:Cash' : `  Assets:Cash  -${(Number(n) * Number(cost)).toFixed(2)} USD`,
            '',
          );
        else if (r < 0.75)
          lines.push(
            `${d} * "sell"`,
            `  Assets:Stock  -${n} ${c} ${pick(['{}', `{${cost} USD}`, `{"L${Math.floor(rnd() * t + 0.5)}"}`, `{${d}}`, '{USD}'])}${pick(['', ' @ 12.00 USD', ' @@ 30.00 USD'])}`,
            `  Assets:Cash  ${pick(['25.00', '12.50', '100'])} USD`,
            rnd() < 0.8 ? '  Income:PnL' : '  Expenses:Fee  1.00 USD',
            '',
          );
        else if (r < 0.85)
          lines.push(
            `${d} * "fx"`,
            `  Assets:Cash  ${n} EUR @ ${pick(['1.1', '1.12345'])} USD`,
            '  Assets:Cash',
            '',
          );
        else if (r < 0.92)
          lines.push(
            `${d} pad Assets:Cash Equity:Open`,
            `${d.slice(0, 8)}28 balance Assets:Cash 1000.00 USD`,
            '',
          );
        else lines.push(`${d} balance Assets:Stock ${n} ${c}`, '');
      }
      text = `${lines.join('\n')}\n`;
    }
    mkdirSync(path.join(dir, String(i)), { recursive: true });
    writeFileSync(path.join(dir, String(i), 'main.beancount'), text);
  }
}

const DIFF_PY = `
import importlib.util, json, sys, os
spec = importlib.util.spec_from_file_location('gen', sys.argv[1])
gen = importlib.util.module_from_spec(spec); spec.loader.exec_module(gen)
from beancount import loader
out = {}
for d in sorted(os.listdir(sys.argv[2])):
    cd = os.path.join(sys.argv[2], d)
    try:
        entries, errors, _ = loader.load_file(os.path.join(cd, 'main.beancount'))
        out[d] = {'balances': gen.balances(entries), 'holdings': gen.holdings(entries), 'errors': gen.errors_json(errors, cd)}
    except Exception as e:
        out[d] = None
print(json.dumps(out))
`;

async function differential(n: number, seed: number): Promise<void> {
  const dir = path.join(CACHE, `differential-${seed}`);
  rmSync(dir, { recursive: true, force: true });
  randomLedgers(n, seed, dir);
  const r = spawnSync(PYTHON, ['-c', DIFF_PY, path.join(ROOT, 'scripts/ledger-fixtures/generate.py'), dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, BEANCOUNT_DISABLE_LOAD_CACHE: '1' },
  });
  if (r.status !== 0) throw new Error('beancount (python) failed');
  const expected = JSON.parse(r.stdout) as Record<
    string,
    {
      balances: unknown;
      holdings: unknown;
      errors: { type: string; file: string | null; line: number | null; message: string }[];
    } | null
  >;
  let same = 0;
  let differ = 0;
  for (const [name, exp] of Object.entries(expected)) {
    if (!exp) continue;
    const text = readFileSync(path.join(dir, name, 'main.beancount'), 'utf8');
    if (/"AVERAGE"/.test(text)) continue; // deliberate difference (docs/ledger-differences.md)
    const ledger = await loadLedger(new FsLedgerSource(path.join(dir, name)), 'main.beancount');
    const key = (e: { type: string; file: string | null; line: number | null }): string =>
      `${e.type} ${e.file}:${e.line}`;
    const got = sortErrors(ledger.errors);
    const problems: string[] = [];
    if (got.map(key).join('\n') !== exp.errors.map(key).join('\n'))
      problems.push(`errors: expected [${exp.errors.map(key).join(', ')}] got [${got.map(key).join(', ')}]`);
    else
      exp.errors.forEach((e, i) => {
        const m = got[i]!.message;
        if (e.message !== m && !e.message.startsWith(`${m},`))
          problems.push(`message: expected ${e.message} got ${m}`);
      });
    if (JSON.stringify(canon(balances(ledger.entries))) !== JSON.stringify(canon(exp.balances)))
      problems.push('balances differ');
    if (JSON.stringify(canon(holdings(ledger.entries))) !== JSON.stringify(canon(exp.holdings)))
      problems.push('holdings differ');
    if (problems.length) {
      differ++;
      process.stdout.write(`${path.join(dir, name, 'main.beancount')}\n  ${problems.join('\n  ')}\n`);
    } else same++;
  }
  process.stdout.write(`differential: ${same} identical, ${differ} different (AVERAGE ledgers skipped)\n`);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--measure') {
    await measureChild(args[1]!);
    return;
  }
  if (args[0] === '--differential') {
    await differential(Number(args[1] ?? 200), Number(args[2] ?? 1));
    return;
  }
  const haveBeanCheck = spawnSync('bean-check', ['--help'], { encoding: 'utf8' }).status === 0;
  const files: { name: string; file: string }[] = [];
  if (haveBeanCheck || existsSync(path.join(CACHE, 'example.beancount')))
    files.push({ name: 'bean-example 1940–', file: exampleLedger() });
  if (!args.includes('--no-synthetic'))
    for (const n of [100_000, 300_000, 1_000_000])
      files.push({ name: `synthetic ${n / 1000}k postings`, file: syntheticLedger(n) });

  const runsArg = args.indexOf('--runs');
  const runsWanted = runsArg >= 0 ? Math.max(1, Number(args[runsArg + 1]) || 1) : null;
  const rows: string[][] = [];
  for (const { name, file } of files) {
    const size = statSync(file).size / 1e6;
    // Several alternating runs (DawsOS, bean-check, DawsOS, ...) on a shared machine; medians.
    const runs = runsWanted ?? (size < 20 ? 5 : 1);
    const ds: Measure[] = [];
    const bcs: { ms: number; maxRssMb: number; errors: number }[] = [];
    let skipBc = !haveBeanCheck;
    for (let r = 0; r < runs; r++) {
      const d = dawsos(file);
      ds.push(d);
      skipBc ||= args.includes('--skip-1m-bean-check') && d.postings >= 1_000_000;
      const b = skipBc ? null : beanCheck(file);
      if (b) bcs.push(b);
    }
    const d: Measure = {
      ...ds[0]!,
      coldMs: median(ds.map((x) => x.coldMs)),
      coldCpuMs: median(ds.map((x) => x.coldCpuMs)),
      warmMs: median(ds.map((x) => x.warmMs)),
      maxRssMb: median(ds.map((x) => x.maxRssMb)),
    };
    const bc = bcs.length
      ? { ms: median(bcs.map((x) => x.ms)), maxRssMb: median(bcs.map((x) => x.maxRssMb)) }
      : null;
    const verified = args.includes('--no-verify') ? 'not checked' : await verify(file);
    rows.push([
      runs > 1 ? `${name} (median of ${runs})` : name,
      `${size.toFixed(1)} MB`,
      String(d.entries),
      String(d.postings),
      fmtMs(d.coldMs),
      fmtMs(d.warmMs),
      `${Math.round(d.maxRssMb)} MB`,
      bc ? fmtMs(bc.ms) : '-',
      bc ? `${Math.round(bc.maxRssMb)} MB` : '-',
      bc ? `${(bc.ms / d.coldMs).toFixed(1)}x` : '-',
      bc ? `${(bc.ms / d.warmMs).toFixed(1)}x` : '-',
      verified,
    ]);
    process.stdout.write(`${name}: done\n`);
  }
  const header = [
    'ledger',
    'size',
    'directives',
    'postings',
    'DawsOS cold',
    'DawsOS warm',
    'DawsOS RSS',
    'bean-check',
    'bean-check RSS',
    'ratio cold',
    'ratio warm',
    'same as Beancount',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(`\n${line(header)}\n| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |\n`);
  for (const r of rows) process.stdout.write(`${line(r)}\n`);
  process.stdout.write(
    `\ncold = first load in a fresh Node process (read + parse + book + plugins + validate, after module load); warm = second load in that process.\nbean-check runs with BEANCOUNT_DISABLE_LOAD_CACHE=1 (no pickle cache). Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}.\n`,
  );
}

await main();

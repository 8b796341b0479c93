// The headless demo from a fresh temp folder: a git repository with the demo ledger, an encrypted
// store behind the passphrase vault, every pattern run for every demo portfolio, envelopes written
// as JSON. Nothing here needs a key or the network (prices from the ledger, macro and news from
// the demo datasets). Two demos in two folders give the same commit, the same pack and
// byte-identical panels.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../main/orchestrator/canonical-json';
import { runDemo, type DemoResult } from '../../main/workspace/demo';
import { patternEnvelopeSchema } from '../../shared/ipc/patterns';
import { runCli } from '../../main/cli/run';
import { demoMacro, demoNews, generateDemoLedger } from '../../scripts/demo/generate-demo';

const TEST_COST = { N: 2 ** 12, r: 8, p: 1 };
let tmp: string;
let demo: DemoResult;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dawsos-demo-test-'));
  demo = await runDemo({ out: path.join(tmp, 'one'), vaultCost: TEST_COST });
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('dawsos demo', () => {
  it('runs every pattern for every demo portfolio and writes complete envelopes', () => {
    const portfolios = [...new Set(demo.runs.map((x) => x.portfolio))];
    expect(portfolios).toEqual(['family', 'retirement', 'taxable', 'all']);
    expect(demo.runs).toHaveLength(4 * 7);
    for (const run of demo.runs) {
      const env = patternEnvelopeSchema.parse(JSON.parse(readFileSync(run.file, 'utf8')));
      expect(env.ledger_commit_hash).toBe(demo.commit);
      expect(env.pricing_pack_id).toBe(demo.pricingPackId);
      expect(env.trace_id.length).toBeGreaterThan(0);
      for (const [name, panel] of Object.entries(env.panels)) {
        expect([run.pattern, name, panel.data === null]).toEqual([run.pattern, name, false]);
        expect([run.pattern, name, panel.stale]).toEqual([run.pattern, name, false]);
      }
    }
  });

  it('uses clearly labelled demo data for macro and news, and reconciles the store it wrote', () => {
    const get = (portfolio: string, pattern: string) =>
      demo.runs.find((x) => x.portfolio === portfolio && x.pattern === pattern)!.envelope;
    const macro = get('all', 'macro_regime');
    expect((macro.panels.regime!.data as { regime: string }).regime).toBe('easing');
    expect(macro.panels.regime!.provenance.map((p) => p.provider)).toEqual(['demo']);
    const news = get('all', 'news_digest').panels.digest!;
    expect((news.data as { count: number }).count).toBeGreaterThan(0);
    expect(news.rights.attribution).toContain('demo');
    for (const portfolio of ['family', 'retirement', 'taxable', 'all'])
      expect(
        (get(portfolio, 'reconciliation').panels.reconciliation!.data as { status: string }).status,
      ).toBe('matched');
    // The store is encrypted and re-openable with the generated passphrase.
    expect(readFileSync(path.join(demo.dataDir, 'dawsos.db')).subarray(0, 15).toString('latin1')).not.toBe(
      'SQLite format 3',
    );
    expect(statSync(demo.passphraseFile).mode & 0o077).toBe(0);
  });

  it('is deterministic: a second demo elsewhere gives the same commit, pack and panels', async () => {
    const two = await runDemo({ out: path.join(tmp, 'two'), vaultCost: TEST_COST, portfolios: ['taxable'] });
    expect(two.commit).toBe(demo.commit);
    expect(two.pricingPackId).toBe(demo.pricingPackId);
    for (const run of two.runs) {
      const first = demo.runs.find((x) => x.portfolio === run.portfolio && x.pattern === run.pattern)!;
      expect(canonicalJson(run.envelope.panels)).toBe(canonicalJson(first.envelope.panels));
    }
  }, 120_000);

  it('dawsos demo refuses a folder that already holds a demo workspace', async () => {
    let out = '';
    const io = { stdout: (t: string) => (out += t), stderr: () => undefined };
    const env = { DAWSOS_HOME: path.join(tmp, 'home') };
    expect(await runCli(['demo', '--out', path.join(tmp, 'one')], { io, env, cwd: tmp })).toBe(1);
    expect(existsSync(path.join(tmp, 'one', 'workspace', 'ledger', 'main.beancount'))).toBe(true);
  });

  it('ships exactly what the deterministic generator produces', () => {
    const dir = path.resolve('resources', 'demo');
    const { files } = generateDemoLedger();
    for (const [name, content] of files)
      expect(readFileSync(path.join(dir, 'ledger', name), 'utf8')).toBe(content);
    expect(JSON.parse(readFileSync(path.join(dir, 'macro.json'), 'utf8'))).toEqual(demoMacro());
    expect(JSON.parse(readFileSync(path.join(dir, 'news.json'), 'utf8'))).toEqual(demoNews());
  });
});

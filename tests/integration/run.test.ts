// `dawsos run` and `dawsos patterns list` through the CLI host on a real git repository: the
// envelope names the commit, the pack and the trace; re-running with the same (commit, pack) gives
// byte-identical panels; a new commit is picked up; uncommitted edits are never read.
import { appendFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../main/orchestrator/canonical-json';
import { patternEnvelopeSchema } from '../../shared/ipc/patterns';
import { cli, makeHandRepo, type HandRepo } from './agents-fixture';

let r: HandRepo;

beforeAll(() => {
  r = makeHandRepo();
});
afterAll(() => rmSync(r.tmp, { recursive: true, force: true }));

async function runJson(...args: string[]) {
  const res = await cli(r, ['run', ...args, '--ledger', r.ledger, '--json']);
  expect(res.code).toBe(0);
  return { env: patternEnvelopeSchema.parse(JSON.parse(res.out)), err: res.err };
}

describe('dawsos run', () => {
  it('prints an envelope with pack id, commit hash and trace id, and byte-identical panels on a re-run', async () => {
    const head = r.git('rev-parse', 'HEAD');
    const a = await runJson('portfolio_overview', '--portfolio', 'main', '--benchmark', 'BMK');
    const b = await runJson('portfolio_overview', '--portfolio', 'main', '--benchmark', 'BMK');
    for (const e of [a.env, b.env]) {
      expect(e.pattern_id).toBe('portfolio_overview');
      expect(e.portfolio_id).toBe('main');
      expect(e.ledger_commit_hash).toBe(head);
      expect(e.pricing_pack_id).toMatch(/^[0-9a-f]{64}$/);
      expect(e.trace_id.length).toBeGreaterThan(0);
      expect(Object.keys(e.panels).sort()).toEqual([
        'allocation',
        'concentration',
        'income',
        'performance',
        'valuation',
      ]);
      for (const panel of Object.values(e.panels)) {
        expect(panel.data).not.toBeNull();
        expect(panel.provenance.length).toBeGreaterThan(0);
      }
    }
    expect(a.env.trace_id).not.toBe(b.env.trace_id);
    expect(b.env.pricing_pack_id).toBe(a.env.pricing_pack_id);
    expect(canonicalJson(b.env.panels)).toBe(canonicalJson(a.env.panels));
  });

  it('selects accounts by pattern the same as by portfolio name', async () => {
    const byName = await runJson('performance', '--portfolio', 'main');
    const byPattern = await runJson('performance', '--accounts', 'Assets:Broker:*');
    expect(byPattern.env.portfolio_id).toBe('accounts:Assets:Broker:*');
    expect(canonicalJson(byPattern.env.panels.performance!.data)).toBe(
      canonicalJson({
        ...(byName.env.panels.performance!.data as object),
        portfolio_id: 'accounts:Assets:Broker:*',
      }),
    );
  });

  it('reads the HEAD commit, never uncommitted edits, and picks up a new commit', async () => {
    const before = await runJson('portfolio_overview', '--portfolio', 'main');
    appendFileSync(
      r.ledger,
      '\n2024-01-05 * "Deposit"\n  Assets:Broker:Cash  500 USD\n  Assets:Bank  -500 USD\n',
    );
    const dirty = await runJson('portfolio_overview', '--portfolio', 'main');
    expect(dirty.err).toContain('uncommitted changes');
    expect(dirty.env.ledger_commit_hash).toBe(before.env.ledger_commit_hash);
    expect(canonicalJson(dirty.env.panels.valuation)).toBe(canonicalJson(before.env.panels.valuation));
    r.git('commit', '--quiet', '-am', 'deposit');
    const after = await runJson('portfolio_overview', '--portfolio', 'main');
    expect(after.env.ledger_commit_hash).toBe(r.git('rev-parse', 'HEAD'));
    expect(after.env.ledger_commit_hash).not.toBe(before.env.ledger_commit_hash);
    // Same price directives, so the same pack; the value grows by the deposit.
    expect(after.env.pricing_pack_id).toBe(before.env.pricing_pack_id);
    expect((after.env.panels.valuation!.data as { total_value: string }).total_value).toBe('1547.5');
  });

  it('refuses bad usage with exit 2 and an unknown portfolio with a stable code', async () => {
    expect(
      (await cli(r, ['run', 'performance', '--ledger', r.ledger, '--portfolio', 'x', '--accounts', 'y']))
        .code,
    ).toBe(2);
    expect((await cli(r, ['run', 'nope', '--ledger', r.ledger])).code).toBe(2);
    expect((await cli(r, ['run', 'performance', '--ledger', r.ledger, '--from', '2024-13-01'])).code).toBe(2);
    const res = await cli(r, ['run', 'performance', '--ledger', r.ledger, '--portfolio', 'nobody', '--json']);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.out)).toEqual({
      error: {
        code: 'PORTFOLIO_NOT_IN_LEDGER',
        message: 'No account of the ledger belongs to this portfolio.',
      },
    });
  });
});

describe('dawsos patterns list', () => {
  it('lists the seven shipped patterns with their panels', async () => {
    const res = await cli(r, ['patterns', 'list', '--json']);
    expect(res.code).toBe(0);
    const { patterns } = JSON.parse(res.out) as { patterns: { id: string; panels: string[] }[] };
    expect(patterns.map((p) => p.id)).toEqual([
      'holdings_detail',
      'macro_regime',
      'news_digest',
      'performance',
      'portfolio_overview',
      'reconciliation',
      'risk',
    ]);
    expect(patterns.find((p) => p.id === 'risk')!.panels).toEqual(['risk', 'concentration']);
  });
});

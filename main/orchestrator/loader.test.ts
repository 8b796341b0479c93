import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PATTERN_CAPABILITY_NAMES } from './capability-catalogue';
import { bundledPatternsDir, loadPatterns } from './loader';
import { PatternValidationError, stepDependencies } from './pattern';
import { catalogueRegistry } from './testing';

const SHIPPED = [
  'holdings_detail',
  'macro_regime',
  'news_digest',
  'performance',
  'portfolio_overview',
  'reconciliation',
  'risk',
];

let tmp: string | undefined;
afterEach(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
  tmp = undefined;
});

describe('shipped patterns', () => {
  it('all seven load and validate against a registry of the documented capabilities', async () => {
    const patterns = await loadPatterns(bundledPatternsDir(), catalogueRegistry());
    expect([...patterns.keys()]).toEqual(SHIPPED);
  });

  it('use every documented capability and nothing else', async () => {
    const patterns = await loadPatterns(bundledPatternsDir(), catalogueRegistry());
    const used = new Set([...patterns.values()].flatMap((p) => p.steps.map((s) => s.capability)));
    expect([...used].sort()).toEqual([...PATTERN_CAPABILITY_NAMES].sort());
  });

  it('fail to load when a capability they need is not registered', async () => {
    const missing = PATTERN_CAPABILITY_NAMES.filter((name) => name !== 'macro_hound.regime');
    await expect(loadPatterns(bundledPatternsDir(), catalogueRegistry(missing))).rejects.toThrow(
      /macro_regime\.json is invalid: step "regime": unknown capability "macro_hound.regime"/,
    );
  });

  it('have independent first steps, so a run starts several at once', async () => {
    const overview = (await loadPatterns(bundledPatternsDir(), catalogueRegistry())).get(
      'portfolio_overview',
    );
    const roots = overview?.steps.filter((step) => stepDependencies(step).length === 0).map((s) => s.id);
    expect(roots?.length).toBeGreaterThan(1);
  });
});

describe('loadPatterns', () => {
  it('names the file that is not JSON', async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'dawsos-patterns-'));
    await writeFile(path.join(tmp, 'broken.json'), '{ not json');
    const error = await loadPatterns(tmp, catalogueRegistry()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PatternValidationError);
    expect((error as Error).message).toBe('Pattern file broken.json is invalid: not valid JSON');
    expect((error as Error).message).not.toContain(tmp);
  });

  it('ignores files that are not .json', async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'dawsos-patterns-'));
    await writeFile(path.join(tmp, 'README.md'), '# notes');
    expect((await loadPatterns(tmp, catalogueRegistry())).size).toBe(0);
  });

  it('finds resources/patterns from a module two folders deep (source tree or out/main)', () => {
    const dir = bundledPatternsDir();
    expect(bundledPatternsDir(path.join(dir, '..', '..', 'out', 'main', 'cli.js'))).toBe(dir);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../shared/errors';
import { APP_VERSION } from '../version';
import type { CliCommand } from './command';
import { runCli } from './run';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function harness(commands?: CliCommand[]) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-cli-'));
  dirs.push(home);
  const out: string[] = [];
  const err: string[] = [];
  const run = (argv: string[]) =>
    runCli(argv, {
      io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t) },
      env: { DAWSOS_HOME: home },
      cwd: home,
      ...(commands ? { commands } : {}),
    });
  return { home, out, err, run };
}

describe('dawsos CLI host', () => {
  it('prints the version', async () => {
    const h = harness();
    expect(await h.run(['--version'])).toBe(0);
    expect(h.out.join('')).toBe(`${APP_VERSION}\n`);
  });

  it('lists commands on --help and refuses unknown commands with exit 2', async () => {
    const h = harness();
    expect(await h.run(['--help'])).toBe(0);
    expect(h.out.join('')).toContain('doctor');
    expect(await h.run(['frobnicate'])).toBe(2);
    expect(h.err.join('')).toContain("unknown command 'frobnicate'");
  });

  it('doctor --json reports every check and the store location inside DAWSOS_HOME', async () => {
    const h = harness();
    const code = await h.run(['doctor', '--json']);
    const report = JSON.parse(h.out.join('')) as {
      ok: boolean;
      dataDir: string;
      store: { state: string; path: string };
      checks: { name: string; ok: boolean; detail: string }[];
    };
    expect(report.dataDir).toBe(h.home);
    expect(report.store).toMatchObject({ state: 'absent', path: path.join(h.home, 'dawsos.db') });
    expect(report.checks.map((c) => c.name)).toEqual(['node', 'sqlite', 'keychain', 'git', 'data folder']);
    expect(report.checks.find((c) => c.name === 'sqlite')?.ok).toBe(true);
    expect(report.checks.find((c) => c.name === 'git')?.ok).toBe(true);
    expect(code).toBe(report.checks.every((c) => c.ok) ? 0 : 1);
    expect(report.ok).toBe(code === 0);
    // The CLI logs to the data folder, never to a user's real one.
    expect(fs.existsSync(path.join(h.home, 'logs', 'dawsos.log'))).toBe(true);
  });

  it('turns a user-facing error into its message (and JSON with --json), and a crash into a trace id', async () => {
    const failing: CliCommand = {
      name: 'fail known',
      summary: 's',
      usage: 'dawsos fail known',
      run: () => Promise.reject(new UserFacingError('LEDGER_DIRTY', 'The ledger has uncommitted changes.')),
    };
    const crashing: CliCommand = {
      name: 'fail crash',
      summary: 's',
      usage: 'dawsos fail crash',
      run: () => Promise.reject(new Error('secret path /home/bob/x')),
    };
    const h = harness([failing, crashing]);
    expect(await h.run(['fail', 'known'])).toBe(1);
    expect(h.err.join('')).toContain('The ledger has uncommitted changes.');
    expect(await h.run(['fail', 'known', '--json'])).toBe(1);
    expect(JSON.parse(h.out.join(''))).toEqual({
      error: { code: 'LEDGER_DIRTY', message: 'The ledger has uncommitted changes.' },
    });
    expect(await h.run(['fail', 'crash'])).toBe(1);
    expect(h.err.join('')).toMatch(/Something went wrong \(trace [0-9a-f-]{36}\)/);
    expect(h.err.join('')).not.toContain('/home/bob');
  });

  it('reports bad flags as usage errors with exit 2', async () => {
    const h = harness();
    expect(await h.run(['doctor', '--nope'])).toBe(2);
    expect(h.err.join('')).toContain('Usage: dawsos doctor');
  });
});

// The `dawsos` command as a user runs it: the package bin over the built CLI bundle.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const bin = path.join(repo, 'bin/dawsos.mjs');

beforeAll(async () => {
  if (!fs.existsSync(path.join(repo, 'out/main/cli.js'))) {
    await run(
      process.execPath,
      [path.join(repo, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
      { cwd: repo },
    );
  }
}, 180_000);

describe('dawsos binary', () => {
  it('prints the package version', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as {
      version: string;
    };
    const { stdout } = await run(process.execPath, [bin, '--version']);
    expect(stdout.trim()).toBe(version);
  });

  it('keeps its data in DAWSOS_HOME', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-bin-'));
    const result = await run(process.execPath, [bin, 'doctor', '--json'], {
      env: { ...process.env, DAWSOS_HOME: home },
    }).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    const report = JSON.parse(result.stdout) as { dataDir: string };
    expect(report.dataDir).toBe(home);
    expect(fs.readdirSync(path.join(home, 'logs'))).toContain('dawsos.log');
    fs.rmSync(home, { recursive: true, force: true });
  });
});

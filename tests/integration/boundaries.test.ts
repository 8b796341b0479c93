// The layer rules must actually bite: a throwaway tree with one forbidden import per rule is
// cruised with the project's own dependency-cruiser config, and each violation must be reported.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
let dir: string;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  fs.writeFileSync(path.join(dir, file), text);
}

async function cruise(...roots: string[]): Promise<{ failed: boolean; output: string }> {
  try {
    const { stdout } = await run(
      process.execPath,
      [
        path.join(repo, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        ...roots,
        '--config',
        '.dependency-cruiser.cjs',
      ],
      { cwd: dir },
    );
    return { failed: false, output: stdout };
  } catch (error) {
    const e = error as { stdout: string; stderr: string };
    return { failed: true, output: `${e.stdout}${e.stderr}` };
  }
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-boundaries-'));
  for (const file of ['.dependency-cruiser.cjs', 'tsconfig.node.json', 'tsconfig.base.json']) {
    fs.copyFileSync(path.join(repo, file), path.join(dir, file));
  }
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'));
  fs.cpSync(path.join(repo, 'types'), path.join(dir, 'types'), { recursive: true });
  write('main/ok/core.ts', "import fs from 'node:fs';\nexport const ok = fs.existsSync('.');\n");
  write('renderer/ok.ts', 'export const ok = 1;\n');
  write('shared/clean.ts', "import { z } from 'zod';\nexport const schema = z.string();\n");
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('dependency-cruiser layer rules', () => {
  it('accepts a tree that keeps the rules', async () => {
    const result = await cruise('main', 'shared');
    expect(result.output).toContain('no dependency violations');
    expect(result.failed).toBe(false);
  });

  it.each([
    [
      'shared/ importing node:fs',
      'shared/bad.ts',
      "import fs from 'node:fs';\nexport const x = fs;\n",
      'shared-no-node-builtins',
    ],
    [
      'shared/ importing main/',
      'shared/bad.ts',
      "import { ok } from '../main/ok/core';\nexport const x = ok;\n",
      'shared-is-runtime-free',
    ],
    [
      'renderer/ importing main/',
      'renderer/bad.ts',
      "import { ok } from '../main/ok/core';\nexport const x = ok;\n",
      'renderer-only-shared-and-browser-packages',
    ],
    [
      'renderer/ importing node:path',
      'renderer/bad.ts',
      "import path from 'node:path';\nexport const x = path;\n",
      'renderer-no-node',
    ],
    [
      'main/ outside the shell importing electron',
      'main/ok/bad.ts',
      "import { app } from 'electron';\nexport const x = app;\n",
      'electron-',
    ],
  ])('rejects %s', async (_name, file, text, rule) => {
    write(file, text);
    try {
      const result = await cruise('main', 'shared', 'renderer');
      expect(result.failed).toBe(true);
      expect(result.output).toContain(rule);
    } finally {
      fs.rmSync(path.join(dir, file));
    }
  });
});

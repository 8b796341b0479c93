// Packaging, checked offline. (a) electron-builder validates electron-builder.yml against its own
// schema. (b) electron-builder packs `--linux dir` from a temporary copy of the project (its
// node_modules linked, not copied) with `electronDist` pointed at a stand-in Electron, so nothing
// is downloaded; the afterPack hook flips the stand-in's fuse wire for real. Then the asar is
// listed: it must hold the built main, CLI, preload and renderer and none of the tests, source maps,
// .env files or fixtures planted in the copy.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listPackage } from '@electron/asar';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { Arch, build, Platform, type Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ELECTRON_DEFAULT_WIRE, fakeElectronBinary, readFuseWire } from '../../build/fuse-wire';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const BUILT = ['out/main/index.js', 'out/main/cli.js', 'out/preload/index.cjs', 'out/renderer/index.html'];

const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  optionalDependencies: { electron: string };
};

let temp: string;
const repoHadDist = existsSync(path.join(REPO, 'dist'));

beforeAll(() => {
  temp = mkdtempSync(path.join(os.tmpdir(), 'dawsos-packaging-'));
  if (!BUILT.every((file) => existsSync(path.join(REPO, file)))) {
    execFileSync('npx', ['electron-vite', 'build'], { cwd: REPO, stdio: 'ignore' });
  }
});

afterAll(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
});

describe('electron-builder.yml', () => {
  async function loadConfig(): Promise<Configuration> {
    return getConfig(REPO, null, null);
  }

  it('passes electron-builder’s own schema validation', async () => {
    const config = await loadConfig();
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('would catch a mistake (the validation is real)', async () => {
    const config = await loadConfig();
    const bad = { ...config, asarr: true } as Configuration;
    await expect(validateConfiguration(bad, new DebugLogger(false))).rejects.toThrow(/asarr/);
  });

  it('pins the app identity, Electron version, asar, packed files and the afterPack hook', async () => {
    const config = await loadConfig();
    expect(config.appId).toBe('app.dawsos.desktop');
    expect(config.productName).toBe('DawsOS');
    expect(config.electronVersion).toBe(pkg.optionalDependencies.electron);
    expect(config.directories?.output).toBe('dist');
    expect(config.asar).toBe(true);
    expect(config.npmRebuild).toBe(false);
    // electron-builder normalises `files` into one file set.
    expect(config.files).toEqual([
      {
        filter: [
          'out/**',
          'package.json',
          'bin/**',
          'resources/**',
          '!**/*.map',
          '!**/*.test.*',
          '!**/.env*',
          '!tests/**',
          '!**/fixtures/**',
        ],
      },
    ]);
    expect(config.asarUnpack).toEqual([
      '**/*.node',
      'node_modules/better-sqlite3-multiple-ciphers/**',
      'node_modules/@napi-rs/**',
    ]);
    expect(config.afterPack).toBe('build/after-pack.cjs');
    expect(existsSync(path.join(REPO, 'build', 'after-pack.cjs'))).toBe(true);
  });

  it('targets AppImage and deb on Linux, dmg on macOS, nsis on Windows', async () => {
    const config = await loadConfig();
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toEqual(['dmg']);
    expect(config.win?.target).toEqual(['nsis']);
  });
});

describe('electron-builder --linux dir with a stand-in Electron', () => {
  let project: string;
  let appOutDir: string;
  let entries: string[];

  beforeAll(async () => {
    project = path.join(temp, 'project');
    mkdirSync(project);
    for (const item of [
      'package.json',
      'package-lock.json',
      'electron-builder.yml',
      'out',
      'bin',
      'resources',
    ]) {
      if (existsSync(path.join(REPO, item)))
        cpSync(path.join(REPO, item), path.join(project, item), { recursive: true });
    }
    mkdirSync(path.join(project, 'build'));
    cpSync(path.join(REPO, 'build', 'after-pack.cjs'), path.join(project, 'build', 'after-pack.cjs'));
    symlinkSync(path.join(REPO, 'node_modules'), path.join(project, 'node_modules'), 'dir');

    // What must never ship, planted where a careless pattern would pick it up.
    mkdirSync(path.join(project, 'tests', 'fixtures'), { recursive: true });
    writeFileSync(path.join(project, 'tests', 'app.test.ts'), 'test source');
    writeFileSync(path.join(project, 'tests', 'fixtures', 'ledger.beancount'), 'fixture');
    writeFileSync(path.join(project, '.env'), 'FMP_API_KEY=secret-in-root');
    writeFileSync(path.join(project, 'out', 'main', '.env.local'), 'POLYGON_KEY=secret-in-out');
    writeFileSync(path.join(project, 'out', 'main', 'router.test.js'), 'compiled test');
    writeFileSync(path.join(project, 'out', 'main', 'extra.js.map'), '{}');
    mkdirSync(path.join(project, 'out', 'renderer', 'fixtures'), { recursive: true });
    writeFileSync(path.join(project, 'out', 'renderer', 'fixtures', 'portfolio.json'), '{}');
    mkdirSync(path.join(project, 'main'));
    writeFileSync(path.join(project, 'main', 'source.ts'), 'export {};');

    const electronDist = path.join(temp, 'electron-dist');
    mkdirSync(electronDist);
    writeFileSync(path.join(electronDist, 'electron'), fakeElectronBinary());
    chmodSync(path.join(electronDist, 'electron'), 0o755);
    writeFileSync(path.join(electronDist, 'LICENSE'), 'stand-in');

    const output = path.join(temp, 'dist');
    await build({
      projectDir: project,
      targets: Platform.LINUX.createTarget('dir', Arch.x64),
      publish: 'never',
      config: { electronDist, directories: { output } },
    });
    appOutDir = path.join(output, 'linux-unpacked');
    entries = listPackage(path.join(appOutDir, 'resources', 'app.asar'), { isPack: false }).map((entry) =>
      entry.split(path.sep).join('/'),
    );
  }, 120_000);

  it('packs the built main, CLI, preload, renderer and launcher', () => {
    for (const file of [...BUILT, 'package.json', 'bin/dawsos.mjs']) {
      expect(entries, file).toContain(`/${file}`);
    }
  });

  it('packs no tests, source maps, .env files, fixtures or sources', () => {
    const leaks = entries.filter(
      (entry) =>
        /\.map$/.test(entry) ||
        /\.test\./.test(entry) ||
        /(^|\/)\.env/.test(entry) ||
        /(^|\/)fixtures(\/|$)/.test(entry) ||
        /^\/tests(\/|$)/.test(entry),
    );
    expect(leaks).toEqual([]);
    const appFiles = entries.filter((entry) => !entry.startsWith('/node_modules/'));
    expect(appFiles.filter((entry) => /^\/(main|preload|renderer|shared|build)(\/|$)/.test(entry))).toEqual(
      [],
    );
    expect(appFiles.filter((entry) => entry.endsWith('.ts'))).toEqual([]);
  });

  it('packs production dependencies only', () => {
    expect(entries).toContain('/node_modules/zod');
    for (const dev of ['vitest', 'electron-builder', 'typescript', 'eslint', '@playwright/test']) {
      expect(entries, dev).not.toContain(`/node_modules/${dev}`);
    }
  });

  it('leaves native modules outside the asar', () => {
    expect(
      existsSync(
        path.join(
          appOutDir,
          'resources',
          'app.asar.unpacked',
          'node_modules',
          'better-sqlite3-multiple-ciphers',
        ),
      ),
    ).toBe(true);
  });

  it('ran the afterPack hook: the executable’s fuses are flipped', () => {
    const wire = readFuseWire(readFileSync(path.join(appOutDir, 'dawsos')));
    expect(ELECTRON_DEFAULT_WIRE).toBe('10110001');
    // RunAsNode, CookieEncryption, NodeOptions, Inspect, AsarIntegrity, OnlyAsar, V8Snapshot, FileProtocol
    expect(wire).toBe('01001100');
  });

  it('wrote nothing into the repository', () => {
    expect(existsSync(path.join(REPO, 'dist'))).toBe(repoHadDist);
  });
});

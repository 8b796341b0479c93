import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FuseV1Options, FuseVersion, type FuseConfig } from '@electron/fuses';
import { afterAll, describe, expect, it } from 'vitest';
import { FUSE_SENTINEL, fakeElectronBinary, readFuseWire } from './fuse-wire';

interface AfterPackContext {
  appOutDir: string;
  electronPlatformName: string;
  packager: { appInfo: { productFilename: string }; executableName?: string };
}

/** What build/after-pack.mjs exports (plain JavaScript, loaded by electron-builder as is). */
interface AfterPackModule {
  FUSES: Readonly<Record<keyof typeof FuseV1Options, boolean | undefined>>;
  fuseConfig: (electronPlatformName: string) => FuseConfig;
  electronBinaryPath: (context: AfterPackContext) => string;
  afterPack: (context: AfterPackContext) => Promise<void>;
}

const hook = (await import(new URL('./after-pack.cjs', import.meta.url).href)) as AfterPackModule;
const { afterPack, electronBinaryPath, FUSES, fuseConfig } = hook;

const temp = mkdtempSync(path.join(os.tmpdir(), 'dawsos-fuses-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('fuse configuration', () => {
  const config = fuseConfig('linux') as unknown as Record<string, unknown>;

  // One line per fuse: removing or flipping any one fails its own test.
  it.each([
    ['RunAsNode', false],
    ['EnableNodeOptionsEnvironmentVariable', false],
    ['EnableNodeCliInspectArguments', false],
    ['OnlyLoadAppFromAsar', true],
    ['EnableEmbeddedAsarIntegrityValidation', true],
    ['EnableCookieEncryption', true],
    ['GrantFileProtocolExtraPrivileges', false],
  ] as const)('%s is %s', (name, value) => {
    expect(FUSES[name]).toBe(value);
    expect(config[String(FuseV1Options[name])]).toBe(value);
  });

  it('is a V1 wire and leaves no configured fuse out', () => {
    expect(config.version).toBe(FuseVersion.V1);
    expect(Object.keys(FUSES)).toHaveLength(7);
  });

  it('exports the afterPack function electron-builder looks up by name', () => {
    expect(typeof hook.afterPack).toBe('function');
  });

  it('re-signs ad hoc on macOS only', () => {
    expect(fuseConfig('darwin').resetAdHocDarwinSignature).toBe(true);
    expect(fuseConfig('mas').resetAdHocDarwinSignature).toBe(true);
    expect(fuseConfig('linux').resetAdHocDarwinSignature).toBe(false);
    expect(fuseConfig('win32').resetAdHocDarwinSignature).toBe(false);
  });
});

describe('electronBinaryPath', () => {
  const packager = { appInfo: { productFilename: 'DawsOS' }, executableName: 'dawsos' };
  it('finds the executable electron-builder produced on each platform', () => {
    expect(electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'linux', packager })).toBe(
      path.join('/o', 'dawsos'),
    );
    expect(electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'win32', packager })).toBe(
      path.join('/o', 'DawsOS.exe'),
    );
    expect(electronBinaryPath({ appOutDir: '/o', electronPlatformName: 'darwin', packager })).toBe(
      path.join('/o', 'DawsOS.app'),
    );
  });
});

describe('afterPack', () => {
  it('flips the fuse wire of the packed binary', async () => {
    const binary = path.join(temp, 'dawsos');
    writeFileSync(binary, fakeElectronBinary());
    expect(readFuseWire(readFileSync(binary))).toBe('10110001');
    await afterPack({
      appOutDir: temp,
      electronPlatformName: 'linux',
      packager: { appInfo: { productFilename: 'DawsOS' }, executableName: 'dawsos' },
    });
    const flipped = readFileSync(binary);
    // RunAsNode, CookieEncryption, NodeOptions, Inspect, AsarIntegrity, OnlyAsar, V8Snapshot, FileProtocol
    expect(readFuseWire(flipped)).toBe('01001100');
    expect(flipped.includes(Buffer.from(FUSE_SENTINEL))).toBe(true);
  });

  it('fails the build when the binary has no fuse wire', async () => {
    const binary = path.join(temp, 'nofuses');
    writeFileSync(binary, 'not electron');
    await expect(
      afterPack({
        appOutDir: temp,
        electronPlatformName: 'linux',
        packager: { appInfo: { productFilename: 'DawsOS' }, executableName: 'nofuses' },
      }),
    ).rejects.toThrow(/sentinel/);
  });
});

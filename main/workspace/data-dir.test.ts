import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataPaths, resolveDataDir } from './data-dir';

describe('resolveDataDir', () => {
  it('uses DAWSOS_HOME when set, so tests and scripts never touch real data', () => {
    expect(resolveDataDir({ platform: 'linux', env: { DAWSOS_HOME: '/tmp/x' }, homedir: '/home/a' })).toBe(
      '/tmp/x',
    );
    expect(resolveDataDir({ platform: 'darwin', env: { DAWSOS_HOME: 'rel' }, homedir: '/Users/a' })).toBe(
      path.resolve('rel'),
    );
  });

  it("defaults to each platform's app-data folder", () => {
    expect(resolveDataDir({ platform: 'linux', env: {}, homedir: '/home/a' })).toBe('/home/a/.config/DawsOS');
    expect(resolveDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/xdg' }, homedir: '/home/a' })).toBe(
      '/xdg/DawsOS',
    );
    expect(resolveDataDir({ platform: 'darwin', env: {}, homedir: '/Users/a' })).toBe(
      '/Users/a/Library/Application Support/DawsOS',
    );
    expect(
      resolveDataDir({
        platform: 'win32',
        env: { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' },
        homedir: 'C:\\Users\\a',
      }),
    ).toBe(path.join('C:\\Users\\a\\AppData\\Roaming', 'DawsOS'));
  });

  it('ignores a blank DAWSOS_HOME', () => {
    expect(resolveDataDir({ platform: 'linux', env: { DAWSOS_HOME: '  ' }, homedir: '/home/a' })).toBe(
      '/home/a/.config/DawsOS',
    );
  });

  it('keeps store, logs and settings inside the data folder', () => {
    const paths = dataPaths('/d');
    for (const p of [paths.store, paths.logFile, paths.settings, paths.cache])
      expect(p.startsWith('/d/')).toBe(true);
  });
});

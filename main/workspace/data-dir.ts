// The one data folder the app and the CLI share (store, settings, caches, logs). It is the
// platform's app-data location unless DAWSOS_HOME names another, so tests and scripts never touch a
// user's real data. The Electron shell points Electron's own userData here too.
import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'DawsOS';

export interface DataDirEnv {
  readonly platform: NodeJS.Platform;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homedir: string;
}

export function resolveDataDir(
  { platform, env, homedir }: DataDirEnv = {
    platform: process.platform,
    env: process.env,
    homedir: os.homedir(),
  },
): string {
  const override = env.DAWSOS_HOME?.trim();
  if (override) return path.resolve(override);
  switch (platform) {
    case 'darwin':
      return path.join(homedir, 'Library', 'Application Support', APP_DIR_NAME);
    case 'win32':
      return path.join(env.APPDATA ?? path.join(homedir, 'AppData', 'Roaming'), APP_DIR_NAME);
    default:
      return path.join(env.XDG_CONFIG_HOME?.trim() || path.join(homedir, '.config'), APP_DIR_NAME);
  }
}

/** Where each kind of file lives inside the data folder. */
export function dataPaths(dataDir: string) {
  return {
    dataDir,
    store: path.join(dataDir, 'dawsos.db'),
    logFile: path.join(dataDir, 'logs', 'dawsos.log'),
    settings: path.join(dataDir, 'settings.json'),
    cache: path.join(dataDir, 'cache'),
  } as const;
}
export type DataPaths = ReturnType<typeof dataPaths>;

// The app's version, injected at build time from package.json (see electron.vite.config.ts);
// sources run directly (tests, tsx) read it from package.json instead.
import { createRequire } from 'node:module';

declare const __DAWSOS_VERSION__: string | undefined;

function readVersion(): string {
  if (typeof __DAWSOS_VERSION__ === 'string') return __DAWSOS_VERSION__;
  const loadModule = createRequire(import.meta.url);
  return (loadModule('../package.json') as { version: string }).version;
}

export const APP_VERSION = readVersion();

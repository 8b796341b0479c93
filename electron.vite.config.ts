// Builds the three Electron targets. main/ also yields the CLI and worker entries, so the CLI and
// the app run the very same compiled core.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
  optionalDependencies: { electron: string };
};
const { version } = pkg;
// electron is optional (its binary cannot be downloaded everywhere we build); electron-vite reads
// the major version from the installed package, so give it the one package.json pins.
process.env.ELECTRON_MAJOR_VER ??= pkg.optionalDependencies.electron.replace(/^\D*/, '').split('.')[0];
const define = { __DAWSOS_VERSION__: JSON.stringify(version) };

export default defineConfig({
  main: {
    define,
    build: {
      outDir: 'out/main',
      sourcemap: true,
      rolldownOptions: {
        input: {
          index: resolve('main/electron/main.ts'),
          cli: resolve('main/cli/index.ts'),
          'ledger-worker': resolve('main/ledger/worker.ts'),
          'patterns-worker': resolve('main/workspace/patterns-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads must be a single CommonJS file with nothing left to require.
      externalizeDeps: false,
      isolatedEntries: true,
      rolldownOptions: {
        input: { index: resolve('preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    define,
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      minify: true,
      rolldownOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});

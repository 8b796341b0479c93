// Starts one of the core's worker threads, from the built bundle or from TypeScript sources.
//
// Built (electron-vite): each worker is an entry of its own beside the main bundle
// (`out/main/<name>.js`), found next to the calling module or one level up from a shared chunk.
// From sources (tests, tsx): the worker registers tsx's loader first and then imports the entry
// (`execArgv: ['--import', 'tsx']` does not reach a worker's entry module on Node 20).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export interface WorkerEntry {
  /** The calling module's `import.meta.url`. */
  readonly from: string;
  /** The entry's TypeScript source, relative to the calling module (e.g. `./worker.ts`). */
  readonly source: string;
  /** The built entry's file name in out/main (e.g. `ledger-worker.js`). */
  readonly built: string;
}

/** Starts the worker, or returns null when the built entry is nowhere to be found. */
export function startWorker(entry: WorkerEntry, options: WorkerOptions = {}): Worker | null {
  if (entry.from.endsWith('.ts')) {
    const tsxPackage = createRequire(entry.from).resolve('tsx/package.json');
    const api = new URL('./dist/esm/api/index.mjs', pathToFileURL(tsxPackage)).href;
    const module = new URL(entry.source, entry.from).href;
    const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(module)}); });`;
    return new Worker(code, { ...options, eval: true });
  }
  for (const candidate of [`./${entry.built}`, `../${entry.built}`]) {
    const url = new URL(candidate, entry.from);
    if (existsSync(fileURLToPath(url))) return new Worker(url, options);
  }
  return null;
}

#!/usr/bin/env node
// The `dawsos` command: runs the built CLI (`npm run build` writes out/main/cli.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../out/main/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('dawsos: the CLI is not built yet; run `npm run build` in the DawsOS folder first.\n');
  process.exit(2);
}
await import(cli.href);

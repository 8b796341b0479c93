// Loads the pattern files from a folder. The app, the CLI and the tests all read the same
// `resources/patterns/*.json`, and every file is validated against the capability registry when it
// is loaded, so a broken pattern stops the host at start-up with the file and step named.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CapabilityRegistry } from './capability';
import { PatternValidationError, validatePattern, type Pattern } from './pattern';

export const PATTERNS_SUBDIR = path.join('resources', 'patterns');

/**
 * The shipped patterns folder: `resources/patterns` in the nearest ancestor of this module (the repo
 * from source, the app folder from `out/main/`).
 */
export function bundledPatternsDir(from: string = fileURLToPath(import.meta.url)): string {
  let dir = path.dirname(from);
  for (let i = 0; i < 6; i += 1) {
    const candidate = path.join(dir, PATTERNS_SUBDIR);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error('The patterns folder (resources/patterns) was not found beside the app.');
}

/** Every `*.json` in `dir`, validated; keyed by pattern id, in file-name order. */
export async function loadPatterns(dir: string, registry: CapabilityRegistry): Promise<Map<string, Pattern>> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.json')).sort();
  const patterns = new Map<string, Pattern>();
  for (const file of files) {
    const text = await readFile(path.join(dir, file), 'utf8');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new PatternValidationError(file, ['not valid JSON']);
    }
    const pattern = validatePattern(raw, file, registry);
    patterns.set(pattern.id, pattern);
  }
  return patterns;
}

// Loads a ledger the way Beancount's loader does: parse the top file and its includes (breadth
// first, each file once), sort all directives, book, run the transformations (pad, the user's
// plugins, balance checks) and validate. Options and plugins come from the top file only, as in
// Beancount (an included file's `operating_currency` is merged; its other options are ignored).
import { book } from './booking';
import { normalizePath } from './glob';
import { defaultOptions, parseText } from './parser';
import {
  BEANCOUNT_PLUGINS_NOT_RUN,
  autoAccountsPlugin,
  balancePlugin,
  implicitPricesPlugin,
  padPlugin,
  sortEntries,
} from './plugins';
import type { LedgerSource } from './source';
import type { Entry, LedgerError, LedgerOptions } from './types';
import { validate } from './validate';

export interface LoadProgress {
  bytesParsed: number;
  /** Bytes of the files read so far (grows as includes are discovered). */
  totalBytes: number;
  entriesBooked: number;
}

export interface LoadedLedger {
  entries: Entry[];
  errors: LedgerError[];
  options: LedgerOptions;
  /** Every file read, relative to the source root, in the order read. */
  files: string[];
}

export interface LoadOptions {
  onProgress?: (progress: LoadProgress) => void;
}

/** Beancount's own ops modules, which the loader already runs (or which need a real folder). */
const BUILTIN_OPS = new Set(['beancount.ops.pad', 'beancount.ops.balance', 'beancount.ops.documents']);

export async function loadLedger(
  source: LedgerSource,
  mainFile: string,
  loadOptions: LoadOptions = {},
): Promise<LoadedLedger> {
  const errors: LedgerError[] = [];
  const options = defaultOptions();
  const files: string[] = [];
  const seen = new Set<string>();
  const queue = [mainFile];
  const fileEntries: Entry[][] = [];
  let plugins: { name: string; config: string | null; line: number; file: string }[] = [];
  let bytesParsed = 0;
  let totalBytes = 0;
  const progress = (entriesBooked: number): void =>
    loadOptions.onProgress?.({ bytesParsed, totalBytes, entriesBooked });
  let top = true;
  while (queue.length) {
    const file = queue.shift()!;
    if (seen.has(file)) {
      errors.push({ type: 'other', file: null, line: null, message: `Duplicate filename parsed: "${file}"` });
      continue;
    }
    let text: string;
    try {
      text = await source.readFile(file);
    } catch {
      errors.push({
        type: 'missing_include',
        file: null,
        line: null,
        message: `File "${file}" does not exist`,
      });
      continue;
    }
    seen.add(file);
    files.push(file);
    totalBytes += text.length;
    const fileOptions = top ? options : defaultOptions();
    const parsed = parseText(text, file, fileOptions);
    bytesParsed += text.length;
    progress(0);
    fileEntries.push(parsed.entries);
    for (const e of parsed.errors) errors.push(e);
    if (top) plugins = parsed.plugins.map((p) => ({ ...p, file }));
    else
      for (const c of fileOptions.operatingCurrencies)
        if (!options.operatingCurrencies.includes(c)) options.operatingCurrencies.push(c);
    top = false;
    for (const include of parsed.includes) {
      let matched: string[];
      try {
        matched = await source.expandInclude(include.pattern, file);
      } catch {
        matched = [];
      }
      if (matched.length === 0)
        errors.push({
          type: 'missing_include',
          file: null,
          line: null,
          message: `File glob "${include.pattern}" does not match any files`,
        });
      for (const m of matched) queue.push(m);
    }
  }
  let entries = sortEntries(fileEntries.length === 1 ? fileEntries[0]! : fileEntries.flat());
  const booked = book(entries, options, { onProgress: (n) => progress(n) });
  entries = booked.entries;
  for (const e of booked.errors) errors.push(e);

  const raw = options.pluginProcessingMode === 'raw';
  if (!raw) entries = padPlugin(entries, options, errors);
  for (const plugin of plugins) {
    if (plugin.name === 'beancount.plugins.auto_accounts') entries = autoAccountsPlugin(entries);
    else if (plugin.name === 'beancount.plugins.implicit_prices')
      entries = sortEntries(implicitPricesPlugin(entries));
    else if (BUILTIN_OPS.has(plugin.name)) continue;
    else if (BEANCOUNT_PLUGINS_NOT_RUN.has(plugin.name))
      errors.push({
        type: 'plugin',
        file: null,
        line: null,
        message: `Plugin not supported by DawsOS: "${plugin.name}"`,
        severity: 'warning',
      });
    else
      errors.push({
        type: 'plugin',
        file: null,
        line: null,
        message: `Error importing "${plugin.name}"`,
        severity: 'warning',
      });
  }
  if (!raw) {
    // beancount.ops.documents: every Document must name an existing file.
    for (let ei = 0; ei < entries.length; ei++) {
      const e = entries[ei]!;
      if (e.kind !== 'document') continue;
      let found: string[];
      try {
        found = await source.expandInclude(e.filename, e.file);
      } catch {
        found = [];
      }
      if (found.length === 0) {
        const slash = e.file.lastIndexOf('/');
        const shown =
          e.filename.startsWith('/') || slash < 0
            ? e.filename
            : normalizePath(`${e.file.slice(0, slash)}/${e.filename}`);
        errors.push({
          type: 'other',
          file: e.file,
          line: e.line,
          message: `File does not exist: "${shown}"`,
        });
      }
    }
    entries = balancePlugin(entries, options, errors);
  }
  validate(entries, options, errors);
  return { entries, errors, options, files };
}

/** Sorts errors the way the CLI and the fixtures list them: file, line, type, message. */
export function sortErrors(errors: LedgerError[]): LedgerError[] {
  return [...errors].sort((a, b) => {
    const fa = a.file ?? '';
    const fb = b.file ?? '';
    if (fa !== fb) return fa < fb ? -1 : 1;
    const la = a.line ?? 0;
    const lb = b.line ?? 0;
    if (la !== lb) return la - lb;
    if (a.type !== b.type) return a.type < b.type ? -1 : 1;
    return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
  });
}

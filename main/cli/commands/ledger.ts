// `dawsos ledger check|balances|holdings FILE [--at YYYY-MM-DD] [--json]`: load a Beancount ledger
// (with its includes) and print its errors, balances or holdings in the stable JSON of docs/cli.md.
// When FILE lies in a git repository the result names the HEAD commit and whether the working tree
// was dirty (the working tree is what is read).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { FsLedgerSource, resolveLedgerFile } from '../../ledger/fs-source';
import { openLedgerRepo } from '../../ledger/git';
import { loadLedger, sortErrors } from '../../ledger/loader';
import type { LedgerSource } from '../../ledger/source';
import type { LedgerError } from '../../ledger/types';
import { openStore } from '../../store/open';
import { balances, holdings } from '../../ledger/views';
import { auditLedgerLoads } from '../../workspace/ledger-audit';
import type { LedgerLoadRecord } from '../../workspace/workspace';
import {
  EXIT_FAILURE,
  EXIT_OK,
  UsageError,
  printJson,
  type CliCommand,
  type CliContext,
  type CliIo,
} from '../command';
import { openVault } from './store';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

interface LedgerInfo {
  commit: string | null;
  dirty: boolean;
}

interface Loaded {
  ledger: Awaited<ReturnType<typeof loadLedger>>;
  info: LedgerInfo | null;
  /** Error locations relative to the folder of FILE. */
  errors: LedgerError[];
}

/**
 * Once the store exists every ledger load goes to its audit log. The store is opened with the
 * vault the user chose (keychain, or a passphrase from DAWSOS_STORE_PASSPHRASE); when it cannot be
 * opened the command still answers and says the load was not recorded.
 */
async function auditLoad(context: CliContext, record: LedgerLoadRecord): Promise<void> {
  if (!existsSync(context.paths.store)) return;
  try {
    const { vault } = openVault({}, 'passphrase-file', context);
    const store = await openStore({ file: context.paths.store, vault });
    try {
      auditLedgerLoads(store.db, [record]);
    } finally {
      store.close();
    }
  } catch (error) {
    context.logger.warn({ err: error }, 'ledger load not recorded in the audit log');
    context.io.stderr(
      'dawsos ledger: note: this load is not in the audit log (the store could not be opened: unlock the keychain, or set DAWSOS_STORE_PASSPHRASE)\n',
    );
  }
}

async function load(context: CliContext, file: string, commit?: string): Promise<Loaded> {
  const real = await resolveLedgerFile(context.cwd, file);
  const dir = path.dirname(real);
  let root = dir;
  let info: LedgerInfo | null;
  let source: LedgerSource | null = null;
  if (commit !== undefined) {
    // An older commit: its files are read from git's object database; the working tree is untouched.
    const repo = await openLedgerRepo(dir);
    root = repo.root;
    const at = (await repo.commitSource(commit)) as LedgerSource & { commit?: string };
    source = at;
    info = { commit: at.commit ?? commit, dirty: false };
  } else {
    try {
      const repo = await openLedgerRepo(dir);
      const head = await repo.headInfo();
      root = repo.root;
      info = { commit: head.commit, dirty: head.dirty };
    } catch {
      info = null; // not in a git repository (or git unavailable): load the folder as it is
    }
  }
  const toPosix = (p: string): string => p.split(path.sep).join('/');
  const mainFile = toPosix(path.relative(root, real));
  const ledger = await loadLedger(source ?? new FsLedgerSource(root), mainFile);
  await auditLoad(context, {
    commit: info?.commit ?? 'worktree',
    dirty: info?.dirty ?? false,
    files: ledger.files.length,
    entries: ledger.entries.length,
    errors: ledger.errors.length,
  });
  const errors = sortErrors(
    ledger.errors.map((e) =>
      e.file === null || e.file.startsWith('<')
        ? e
        : { ...e, file: toPosix(path.relative(dir, path.resolve(root, e.file))) },
    ),
  );
  return { ledger, info, errors };
}

function parse(args: string[]): {
  file: string;
  at: string | undefined;
  json: boolean;
  commit: string | undefined;
} {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      at: { type: 'string' },
      commit: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UsageError('expected exactly one ledger FILE');
  if (values.at !== undefined && (!DATE_RE.test(values.at) || Number.isNaN(Date.parse(values.at))))
    throw new UsageError('--at takes a date as YYYY-MM-DD');
  return { file: positionals[0]!, at: values.at, json: values.json, commit: values.commit };
}

function errorJson(e: LedgerError): Record<string, unknown> {
  const out: Record<string, unknown> = { type: e.type, file: e.file, line: e.line, message: e.message };
  if (e.severity === 'warning') out.severity = 'warning';
  return out;
}

const isError = (e: LedgerError): boolean => e.severity !== 'warning';

function printErrorsText(io: CliIo, errors: LedgerError[]): void {
  for (const e of errors) {
    const where = e.file === null ? '' : `${e.file}:${e.line ?? 0}: `;
    io.stdout(`${where}${e.severity === 'warning' ? 'warning' : 'error'} [${e.type}] ${e.message}\n`);
  }
}

function withInfo(value: Record<string, unknown>, info: LedgerInfo | null): Record<string, unknown> {
  return info ? { ...value, ledger: info } : value;
}

function infoLine(io: CliIo, info: LedgerInfo | null): void {
  if (info) io.stdout(`commit ${info.commit ?? '(none)'}${info.dirty ? ' (working tree dirty)' : ''}\n`);
}

export const ledgerCheckCommand: CliCommand = {
  name: 'ledger check',
  summary: 'Load a Beancount ledger and list its errors (exit 1 if any)',
  usage: 'dawsos ledger check FILE [--commit REV] [--json]',
  async run(args, context) {
    const { io } = context;
    const { file, json, commit } = parse(args);
    const { info, errors, ledger } = await load(context, file, commit);
    const failed = errors.some(isError);
    if (json) printJson(io, withInfo({ errors: errors.map(errorJson) }, info));
    else {
      printErrorsText(io, errors);
      infoLine(io, info);
      const count = errors.filter(isError).length;
      io.stdout(`${ledger.entries.length} directives, ${count} error${count === 1 ? '' : 's'}\n`);
    }
    return failed ? EXIT_FAILURE : EXIT_OK;
  },
};

export const ledgerBalancesCommand: CliCommand = {
  name: 'ledger balances',
  summary: 'Balances per account and currency (units), optionally before a date',
  usage: 'dawsos ledger balances FILE [--at YYYY-MM-DD] [--commit REV] [--json]',
  async run(args, context) {
    const { io } = context;
    const { file, at, json, commit } = parse(args);
    const { ledger, info, errors } = await load(context, file, commit);
    const result = balances(ledger.entries, at);
    if (json) printJson(io, withInfo({ balances: result }, info));
    else {
      infoLine(io, info);
      const width = Math.max(0, ...Object.keys(result).map((a) => a.length));
      for (const [account, currencies] of Object.entries(result))
        for (const [currency, number] of Object.entries(currencies))
          io.stdout(`${account.padEnd(width)}  ${number.padStart(20)} ${currency}\n`);
    }
    const count = errors.filter(isError).length;
    if (count)
      io.stderr(`dawsos ledger balances: the ledger has ${count} errors; see 'dawsos ledger check'\n`);
    return EXIT_OK;
  },
};

export const ledgerHoldingsCommand: CliCommand = {
  name: 'ledger holdings',
  summary: 'Open lots with cost basis per account and commodity, optionally before a date',
  usage: 'dawsos ledger holdings FILE [--at YYYY-MM-DD] [--commit REV] [--json]',
  async run(args, context) {
    const { io } = context;
    const { file, at, json, commit } = parse(args);
    const { ledger, info, errors } = await load(context, file, commit);
    const result = holdings(ledger.entries, at);
    if (json) printJson(io, withInfo({ holdings: result }, info));
    else {
      infoLine(io, info);
      for (const h of result) {
        const cost = h.cost_currency ? `  cost ${h.cost_total} ${h.cost_currency}` : '';
        io.stdout(`${h.account}  ${h.units} ${h.currency}${cost}\n`);
        for (const lot of h.lots)
          io.stdout(
            `    ${lot.units} ${h.currency} {${lot.cost} ${lot.currency}${lot.date ? `, ${lot.date}` : ''}${lot.label ? `, "${lot.label}"` : ''}}\n`,
          );
      }
    }
    const count = errors.filter(isError).length;
    if (count)
      io.stderr(`dawsos ledger holdings: the ledger has ${count} errors; see 'dawsos ledger check'\n`);
    return EXIT_OK;
  },
};

// `dawsos providers status | replay | set-key | test-key`: the market-data providers over the
// encrypted store and the vault. set-key reads the key from stdin or `--key-file FILE`, never from
// argv (other local users can read a process's arguments), and prints nothing of it back.
// The vault is chosen as for every store command (`--vault`, `--passphrase-file`).
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { UserFacingError } from '../../../shared/errors';
import type { ProviderAlert } from '../../../shared/ipc/providers';
import { ProviderService } from '../../providers/service';
import { PROVIDER_LABELS, PROVIDER_NAMES, type ProviderName } from '../../providers/types';
import { openStore, type Store } from '../../store/open';
import { EXIT_FAILURE, EXIT_OK, printJson, UsageError, type CliCommand, type CliContext } from '../command';
import { openVault, vaultOptions } from './store';

export class ProviderKeyInputError extends UserFacingError {
  constructor() {
    super(
      'PROVIDER_KEY_INPUT',
      'No API key was read: pipe it on stdin or pass --key-file FILE (a file holding only the key).',
    );
  }
}

/** Where set-key reads a key from when no --key-file is given. */
export type StdinReader = () => Promise<string>;

/**
 * Piped stdin is read to its end. At a terminal one line is read after a prompt on stderr (so the
 * user is not left waiting for an end-of-file they do not know to type).
 */
async function readProcessStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    process.stderr.write('API key (one line): ');
    const lines = readline.createInterface({ input: process.stdin, terminal: false });
    try {
      for await (const line of lines) return line;
      return '';
    } finally {
      lines.close();
    }
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
}

/** The key is the first line; a trailing newline (as `echo` or an editor writes) is not part of it. */
function firstLine(text: string): string {
  return (text.split(/\r?\n/, 1)[0] ?? '').trim();
}

function providerArg(positionals: string[]): ProviderName {
  const [name, ...rest] = positionals;
  if (name === undefined || rest.length > 0) throw new UsageError('name one provider');
  const provider = PROVIDER_NAMES.find((p) => p === name);
  if (!provider) throw new UsageError(`unknown provider; use one of ${PROVIDER_NAMES.join(', ')}`);
  return provider;
}

function alertLine(alert: ProviderAlert): string {
  const label = PROVIDER_LABELS[alert.provider];
  return alert.kind === 'quota'
    ? `warning: ${label} quota at ${alert.threshold}% (${alert.used} of ${alert.quota} for ${alert.period})\n`
    : `${label} circuit ${alert.state}\n`;
}

/** Opens the store and the vault, runs `work` with a provider service over them, closes both. */
async function withProviders<T>(
  values: { vault?: string | boolean; [flag: string]: string | boolean | undefined },
  context: CliContext,
  work: (service: ProviderService) => Promise<T>,
): Promise<T> {
  const { vault } = openVault(values, 'passphrase-file', context);
  const opened: Store = await openStore({ file: context.paths.store, vault });
  const service = new ProviderService({
    store: () => opened,
    logger: context.logger,
    registry: { env: context.env },
  });
  service.attachVault(vault);
  const unsubscribe = values.json ? () => undefined : service.onAlert((a) => context.io.stderr(alertLine(a)));
  try {
    const result = await work(service);
    await service.idle();
    return result;
  } finally {
    unsubscribe();
    service.close();
    opened.close();
  }
}

const common = { json: { type: 'boolean', default: false }, ...vaultOptions('passphrase-file') } as const;
const VAULT_USAGE = '[--vault keychain|passphrase] [--passphrase-file FILE]';

export const providersStatusCommand: CliCommand = {
  name: 'providers status',
  summary: 'Show each market-data provider: key configured, circuit, quota, last success and failure',
  usage: `dawsos providers status ${VAULT_USAGE} [--json]`,
  async run(args, context) {
    const { values } = parseArgs({ args, options: common });
    const providers = await withProviders(values, context, (service) => service.status());
    if (values.json) printJson(context.io, { providers });
    else {
      for (const p of providers) {
        const quota = p.quota === null ? `${p.quota_used} requests` : `${p.quota_used}/${p.quota}`;
        const failure = p.last_failure_at
          ? `last failure ${p.last_failure_at} (${p.last_failure_reason ?? '?'})`
          : 'no failure';
        context.io.stdout(
          `${p.label.padEnd(8)} ${p.configured ? 'configured' : 'no key    '}  circuit ${p.breaker.padEnd(9)} quota ${quota} (${p.period})  last success ${p.last_success_at ?? 'never'}  ${failure}  dead letters ${p.dead_letters}\n`,
        );
      }
    }
    return EXIT_OK;
  },
};

export const providersReplayCommand: CliCommand = {
  name: 'providers replay',
  summary: 'Replay failed provider requests now (idempotent: nothing is stored twice)',
  usage: `dawsos providers replay [--provider fmp|polygon|fred|newsapi] ${VAULT_USAGE} [--json]`,
  async run(args, context) {
    const { values } = parseArgs({ args, options: { ...common, provider: { type: 'string' } } });
    const provider = values.provider === undefined ? undefined : providerArg([values.provider]);
    const reports = await withProviders(values, context, (service) => service.replay(provider));
    const failed = reports.reduce((n, r) => n + r.failed, 0);
    if (values.json) printJson(context.io, { reports });
    else
      for (const r of reports)
        context.io.stdout(
          `${PROVIDER_LABELS[r.provider].padEnd(8)} replayed ${r.replayed}, failed ${r.failed}, still waiting ${r.remaining}\n`,
        );
    return failed === 0 ? EXIT_OK : EXIT_FAILURE;
  },
};

export function providersSetKeyCommand(readStdin: StdinReader = readProcessStdin): CliCommand {
  return {
    name: 'providers set-key',
    summary: "Store a provider's API key in the vault (read from stdin or --key-file, never argv)",
    usage: `dawsos providers set-key fmp|polygon|fred|newsapi [--key-file FILE] ${VAULT_USAGE} [--json]`,
    async run(args, context) {
      const { values, positionals } = parseArgs({
        args,
        options: { ...common, 'key-file': { type: 'string' } },
        allowPositionals: true,
      });
      const provider = providerArg(positionals);
      let text: string;
      try {
        text =
          values['key-file'] === undefined
            ? await readStdin()
            : fs.readFileSync(path.resolve(context.cwd, values['key-file']), 'utf8');
      } catch {
        throw new ProviderKeyInputError();
      }
      const key = firstLine(text);
      if (key === '') throw new ProviderKeyInputError();
      const { kind, vault } = openVault(values, 'passphrase-file', context);
      const service = new ProviderService({ store: () => null, logger: context.logger });
      service.attachVault(vault);
      await service.setKey(provider, key);
      if (values.json) printJson(context.io, { provider, configured: true, vault: kind });
      else context.io.stdout(`stored the ${PROVIDER_LABELS[provider]} key in the ${kind} vault\n`);
      return EXIT_OK;
    },
  };
}

export const providersTestKeyCommand: CliCommand = {
  name: 'providers test-key',
  summary: "Make one cheap real request with a provider's stored key",
  usage: `dawsos providers test-key fmp|polygon|fred|newsapi ${VAULT_USAGE} [--json]`,
  async run(args, context) {
    const { values, positionals } = parseArgs({ args, options: common, allowPositionals: true });
    const provider = providerArg(positionals);
    const result = await withProviders(values, context, (service) => service.testKey(provider));
    if (values.json) printJson(context.io, result);
    else if (result.ok) context.io.stdout(`${PROVIDER_LABELS[provider]} key works\n`);
    else context.io.stdout(`${PROVIDER_LABELS[provider]} key test failed: ${result.reason ?? ''}\n`);
    return result.ok ? EXIT_OK : EXIT_FAILURE;
  },
};

/** The providers commands; `readStdin` is for tests (the default reads the process's stdin). */
export function createProvidersCommands(readStdin?: StdinReader): readonly CliCommand[] {
  return [
    providersStatusCommand,
    providersReplayCommand,
    providersSetKeyCommand(readStdin),
    providersTestKeyCommand,
  ];
}

export const providersCommands: readonly CliCommand[] = createProvidersCommands();

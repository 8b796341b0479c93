// `dawsos run PATTERN --ledger PATH [--portfolio NAME | --accounts PATTERN] [--from D] [--to D]
//  [--benchmark COMMODITY] [--risk-free RATE] [--datasets DIR] [--store] [--providers] [--json]`
// Loads the ledger at its HEAD commit, pins the pricing pack chain (with --store or --providers:
// the store's packs, built there from the store's ledgers and this one when missing; otherwise
// assembled in memory from the ledger's price directives by the same code), runs the pattern and
// prints its envelope for the period (from, to].
// --providers reads fundamentals (FMP), macro series (FRED) and news (NewsAPI) from the providers
// whose keys are in the vault, through the store (last good values, dead letters, quota).
// `dawsos patterns list [--json]` lists the shipped patterns.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DemoMacroSource, DemoNewsSource } from '../../agents/data-harvester/demo-datasets';
import { ACCOUNTS_ID_PREFIX, ALL_PORTFOLIOS_ID, selectPortfolio } from '../../agents/book/selection';
import { isIsoDate } from '../../analytics/dates';
import { StorePatternRunStore } from '../../orchestrator/store-run-store';
import { ProviderService } from '../../providers/service';
import { openStore, type Store } from '../../store/open';
import type { KeyVault } from '../../vault/key-vault';
import { workspaceOrchestrator } from '../../workspace/patterns';
import { storePinning } from '../../workspace/app-price-source';
import { shippedPatternSummaries, STORE_STATE_PATTERNS } from '../../workspace/patterns-service';
import { providerSources } from '../../workspace/provider-datasets';
import { auditLedgerLoads } from '../../workspace/ledger-audit';
import { StorePositions } from '../../workspace/store-positions';
import { summarizeEnvelope } from '../../workspace/summary';
import { Workspace, type WorkspaceEnvironmentOptions } from '../../workspace/workspace';
import { EXIT_OK, UsageError, printJson, type CliCommand, type CliContext } from '../command';
import { openVault, vaultOptions } from './store';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const RATE_RE = /^-?\d+(\.\d+)?$/;

export function portfolioIdOf(portfolio: string | undefined, accounts: string | undefined): string {
  if (portfolio !== undefined && accounts !== undefined)
    throw new UsageError('give --portfolio or --accounts, not both');
  if (portfolio !== undefined) {
    if (portfolio.length === 0 || portfolio.length > 64) throw new UsageError('--portfolio takes a name');
    return portfolio;
  }
  if (accounts !== undefined) {
    if (accounts.length === 0 || accounts.length > 64 - ACCOUNTS_ID_PREFIX.length)
      throw new UsageError('--accounts takes an account pattern such as Assets:Broker:*');
    return `${ACCOUNTS_ID_PREFIX}${accounts}`;
  }
  return ALL_PORTFOLIOS_ID;
}

/** Dataset sources from a folder holding macro.json and/or news.json (the demo's format). */
export function datasetSources(dir: string | undefined, cwd: string): WorkspaceEnvironmentOptions {
  if (dir === undefined) return {};
  const abs = path.resolve(cwd, dir);
  const out: WorkspaceEnvironmentOptions = {};
  if (existsSync(path.join(abs, 'macro.json'))) out.macro = new DemoMacroSource(path.join(abs, 'macro.json'));
  if (existsSync(path.join(abs, 'news.json'))) out.news = new DemoNewsSource(path.join(abs, 'news.json'));
  if (!out.macro && !out.news)
    throw new UsageError('--datasets names a folder without macro.json or news.json');
  return out;
}

export async function openWorkspaceStore(
  values: Record<string, string | boolean | undefined>,
  context: CliContext,
): Promise<Store> {
  return (await openWorkspaceStoreAndVault(values, context)).store;
}

async function openWorkspaceStoreAndVault(
  values: Record<string, string | boolean | undefined>,
  context: CliContext,
): Promise<{ store: Store; vault: KeyVault }> {
  const { vault } = openVault(values, 'passphrase-file', context);
  return { store: await openStore({ file: context.paths.store, vault }), vault };
}

export const runCommand: CliCommand = {
  name: 'run',
  summary: 'Run an analysis pattern on a ledger and print its envelope',
  usage:
    'dawsos run PATTERN --ledger PATH [--portfolio NAME | --accounts PATTERN] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--benchmark COMMODITY] [--risk-free RATE] [--datasets DIR] [--store] [--providers] [--vault keychain|passphrase] [--passphrase-file FILE] [--json]',
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        ledger: { type: 'string' },
        portfolio: { type: 'string' },
        accounts: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        benchmark: { type: 'string' },
        'risk-free': { type: 'string' },
        'tolerance-bp': { type: 'string' },
        datasets: { type: 'string' },
        store: { type: 'boolean', default: false },
        providers: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        ...vaultOptions('passphrase-file'),
      },
    });
    if (positionals.length !== 1) throw new UsageError('expected exactly one PATTERN');
    if (values.ledger === undefined) throw new UsageError('--ledger PATH is required');
    for (const flag of ['from', 'to'] as const)
      if (values[flag] !== undefined && !(DATE_RE.test(values[flag]) && isIsoDate(values[flag])))
        throw new UsageError(`--${flag} takes a date as YYYY-MM-DD`);
    if (values.from !== undefined && values.to !== undefined && values.from >= values.to)
      throw new UsageError('--from must be before --to');
    if (values['risk-free'] !== undefined && !RATE_RE.test(values['risk-free']))
      throw new UsageError('--risk-free takes a decimal annual rate such as 0.02');
    const portfolioId = portfolioIdOf(values.portfolio, values.accounts);
    const patternId = positionals[0]!;

    const workspace = await Workspace.open({ ledgerFile: values.ledger, cwd: context.cwd });
    if (workspace.dirty)
      context.io.stderr('dawsos run: the ledger has uncommitted changes; they are not included\n');
    let store: Store | null = null;
    let providers: ProviderService | null = null;
    try {
      let fromProviders: WorkspaceEnvironmentOptions = {};
      if (values.store || values.providers) {
        const opened = await openWorkspaceStoreAndVault(values, context);
        store = opened.store;
        if (values.providers) {
          const providerStore = store;
          providers = new ProviderService({
            store: () => providerStore,
            logger: context.logger,
            registry: { env: context.env },
          });
          providers.attachVault(opened.vault);
          fromProviders = await providerSources(providers);
        }
      }
      const orchestrator = await workspaceOrchestrator(workspace, {
        ...fromProviders,
        ...datasetSources(values.datasets, context.cwd),
        ...(store && values.store ? { storedPositions: new StorePositions(store.db) } : {}),
        // With --store, runs of a portfolio the store holds are recorded in (and served from) pattern_runs.
        ...(store && values.store && storeHoldsPortfolio(store, portfolioId)
          ? { runStore: new StorePatternRunStore(() => store?.db ?? null) }
          : {}),
        logger: context.logger,
      });
      const pattern = orchestrator.pattern(patternId);
      if (!pattern) throw new UsageError(`unknown pattern '${patternId}'; see 'dawsos patterns list'`);
      const candidates: Record<string, string | undefined> = {
        from: values.from,
        to: values.to,
        as_of: values.to,
        benchmark: values.benchmark,
        risk_free: values['risk-free'],
        tolerance_bp: values['tolerance-bp'],
      };
      const params: Record<string, string> = {};
      for (const [name, value] of Object.entries(candidates))
        if (value !== undefined && name in pattern.inputs) params[name] = value;
      // With the store open (--store or --providers), the run's packs are the store's.
      const pin = await workspace.pin(
        values.to ?? null,
        workspace.commit,
        store ? storePinning(store, workspace.ledgerFile) : null,
      );
      // An unknown portfolio is refused before anything runs (a stable code, no empty panels).
      selectPortfolio((await workspace.load(pin.ledger_commit_hash)).entries, portfolioId);
      const envelope = await orchestrator.execute(
        patternId,
        {
          portfolio_id: portfolioId,
          ledger_commit_hash: pin.ledger_commit_hash,
          pricing_pack_id: pin.pricing_pack_id,
          params,
        },
        { fresh: STORE_STATE_PATTERNS.has(patternId) },
      );
      if (values.json) printJson(context.io, envelope);
      else context.io.stdout(`${summarizeEnvelope(envelope).join('\n')}\n`);
      return EXIT_OK;
    } finally {
      // With a store open, the ledger loads of this run go to its audit log.
      if (store) auditLedgerLoads(store.db, workspace.takeLoadRecords());
      await providers?.idle();
      providers?.close();
      store?.close();
    }
  },
};

function storeHoldsPortfolio(store: Store, portfolioId: string): boolean {
  return store.db.prepare('SELECT 1 FROM portfolios WHERE portfolio_id = ?').get(portfolioId) !== undefined;
}

export const patternsListCommand: CliCommand = {
  name: 'patterns list',
  summary: 'List the analysis patterns, their parameters and panels',
  usage: 'dawsos patterns list [--json]',
  run(args, { io }) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    // The shipped patterns, validated against the agents' capabilities (no ledger is read).
    const patterns = shippedPatternSummaries();
    if (values.json) printJson(io, { patterns });
    else
      for (const p of patterns) {
        const inputs = Object.keys(p.inputs);
        io.stdout(
          `${p.id.padEnd(20)} ${p.title}\n${' '.repeat(21)}panels: ${p.panels.join(', ')}${inputs.length ? `; parameters: ${inputs.join(', ')}` : ''}\n`,
        );
      }
    return Promise.resolve(EXIT_OK);
  },
};

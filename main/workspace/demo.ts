// The headless demo: creates a workspace from the shipped demo data (resources/demo/) in a given or
// temporary folder — a git repository holding the demo ledger, a data folder with an encrypted
// store — runs every pattern for every demo portfolio, and writes the envelopes as JSON. No keys,
// no network: prices come from the ledger (as packs stored in the demo store), macro and news from
// the demo datasets.
//
// Vault: the passphrase vault, with a random passphrase generated for this demo and saved beside
// the store (demo-passphrase.txt, mode 0600). A keychain is not there on a headless machine and the
// demo must not touch the user's; the in-memory vault would leave a store nobody can open after the
// demo, whereas this one can be opened again (`dawsos reconcile --vault passphrase
// --passphrase-file ...`). It is demo data, so keeping its passphrase on disk is acceptable.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { UserFacingError } from '../../shared/errors';
import type { PatternEnvelope } from '../../shared/ipc/patterns';
import { DemoMacroSource, DemoNewsSource } from '../agents/data-harvester/demo-datasets';
import { BookCache } from '../agents/environment';
import { ALL_PORTFOLIOS_ID, ledgerPortfolioNames } from '../agents/book/selection';
import { gitClient } from '../ledger/git/client';
import { StorePatternRunStore } from '../orchestrator/store-run-store';
import { createStore } from '../store/open';
import { saveVaultChoice } from '../vault/choose';
import type { ScryptCost } from '../vault/kdf';
import { PassphraseVault, passphraseVaultFile } from '../vault/passphrase-vault';
import { dataPaths } from './data-dir';
import { workspaceOrchestrator } from './patterns';
import { storePinning } from './app-price-source';
import { auditLedgerLoads } from './ledger-audit';
import { recordPositions, StorePositions } from './store-positions';
import { Workspace } from './workspace';

export const DEMO_BENCHMARK = 'WRLD';
export const DEMO_RISK_FREE = '0.02';
/** Fixed commit identity and time, so the demo ledger's commit hash is the same on every machine. */
export const DEMO_COMMIT_TIME = '2025-01-01T00:00:00Z';

/** resources/demo beside this module (repo from source, app folder from out/main/). */
export function bundledDemoDir(from: string = fileURLToPath(import.meta.url)): string {
  let dir = path.dirname(from);
  for (let i = 0; i < 6; i += 1) {
    const candidate = path.join(dir, 'resources', 'demo');
    if (existsSync(path.join(candidate, 'ledger', 'main.beancount'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error('The demo data (resources/demo) was not found beside the app.');
}

function copyTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from).sort()) {
    const src = path.join(from, entry);
    const dst = path.join(to, entry);
    if (statSync(src).isDirectory()) copyTree(src, dst);
    else copyFileSync(src, dst);
  }
}

export interface DemoOptions {
  out: string;
  demoDir?: string;
  logger?: Logger;
  /** scrypt cost of the demo vault (tests lower it). */
  vaultCost?: ScryptCost;
  /** Only these portfolios (default: every portfolio of the demo ledger, then "all"). */
  portfolios?: readonly string[];
  /** Environment for git (PATH at least). */
  gitEnv?: Readonly<Record<string, string | undefined>>;
}

export interface DemoRun {
  portfolio: string;
  pattern: string;
  file: string;
  envelope: PatternEnvelope;
}

export interface DemoResult {
  ledgerFile: string;
  dataDir: string;
  passphraseFile: string;
  commit: string;
  pricingPackId: string;
  runs: DemoRun[];
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const demoDir = options.demoDir ?? bundledDemoDir();
  const out = path.resolve(options.out);
  const ledgerDir = path.join(out, 'workspace', 'ledger');
  const datasetsDir = path.join(out, 'workspace', 'datasets');
  const dataDir = path.join(out, 'workspace', 'data');
  const envelopesDir = path.join(out, 'envelopes');
  if (existsSync(path.join(out, 'workspace'))) throw new DemoOutExistsError();

  // 1. The ledger repository: the demo ledger committed with a fixed identity and time.
  copyTree(path.join(demoDir, 'ledger'), ledgerDir);
  mkdirSync(datasetsDir, { recursive: true });
  for (const f of ['macro.json', 'news.json']) copyFileSync(path.join(demoDir, f), path.join(datasetsDir, f));
  const gitEnv = {
    PATH: options.gitEnv?.PATH ?? process.env.PATH,
    HOME: out,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'DawsOS demo',
    GIT_AUTHOR_EMAIL: 'demo@example.invalid',
    GIT_COMMITTER_NAME: 'DawsOS demo',
    GIT_COMMITTER_EMAIL: 'demo@example.invalid',
    GIT_AUTHOR_DATE: DEMO_COMMIT_TIME,
    GIT_COMMITTER_DATE: DEMO_COMMIT_TIME,
  };
  const git = gitClient(ledgerDir, { env: gitEnv });
  await git.raw(['-c', 'init.defaultBranch=main', 'init', '--quiet']);
  await git.raw(['add', '--', '.']);
  await git.raw(['-c', 'commit.gpgsign=false', 'commit', '--quiet', '-m', 'DawsOS demo ledger (demo data)']);

  // 2. The data folder and its encrypted store, opened with a generated demo passphrase.
  const paths = dataPaths(dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const passphrase = randomBytes(24).toString('base64url');
  const passphraseFile = path.join(dataDir, 'demo-passphrase.txt');
  writeFileSync(passphraseFile, `${passphrase}\n`, { mode: 0o600 });
  saveVaultChoice(paths.settings, 'passphrase');
  const vault = new PassphraseVault({
    file: passphraseVaultFile(paths.store),
    passphrase,
    ...(options.vaultCost ? { cost: options.vaultCost } : {}),
  });
  const store = await createStore({ file: paths.store, vault });
  try {
    // 3. Every pattern for every portfolio, with the store's positions recorded first.
    const ledgerFile = path.join(ledgerDir, 'main.beancount');
    const workspace = await Workspace.open({ ledgerFile });
    // The demo's runs are pinned to packs stored in the demo store (built from the demo ledger).
    const pin = await workspace.pin(null, workspace.commit, storePinning(store, ledgerFile));
    const snapshot = await workspace.load(pin.ledger_commit_hash);
    const portfolios = options.portfolios ?? [...ledgerPortfolioNames(snapshot.entries), ALL_PORTFOLIOS_ID];
    const books = new BookCache(workspace.environment());
    for (const portfolio of portfolios) {
      const pinned = await books.pinned({ portfolio_id: portfolio, ...pin });
      recordPositions(store.db, 'demo', portfolio, pinned, pin.as_of);
    }
    const orchestrator = await workspaceOrchestrator(workspace, {
      macro: new DemoMacroSource(path.join(datasetsDir, 'macro.json')),
      news: new DemoNewsSource(path.join(datasetsDir, 'news.json')),
      storedPositions: new StorePositions(store.db),
      // Every run is recorded in the demo store's pattern_runs, as the app records its runs.
      runStore: new StorePatternRunStore(() => store.db),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    const runs: DemoRun[] = [];
    for (const portfolio of portfolios) {
      for (const summary of orchestrator.list()) {
        const params: Record<string, string> = {};
        if ('benchmark' in summary.inputs) params.benchmark = DEMO_BENCHMARK;
        if ('risk_free' in summary.inputs) params.risk_free = DEMO_RISK_FREE;
        const envelope = await orchestrator.execute(summary.id, {
          portfolio_id: portfolio,
          ledger_commit_hash: pin.ledger_commit_hash,
          pricing_pack_id: pin.pricing_pack_id,
          params,
        });
        const file = path.join(envelopesDir, portfolio, `${summary.id}.json`);
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, `${JSON.stringify(envelope, null, 2)}\n`);
        runs.push({ portfolio, pattern: summary.id, file, envelope });
      }
    }
    auditLedgerLoads(store.db, workspace.takeLoadRecords());
    return {
      ledgerFile,
      dataDir,
      passphraseFile,
      commit: pin.ledger_commit_hash,
      pricingPackId: pin.pricing_pack_id,
      runs,
    };
  } finally {
    store.close();
  }
}

export class DemoOutExistsError extends UserFacingError {
  constructor() {
    super('DEMO_OUT_EXISTS', 'The demo output folder already holds a workspace; choose an empty folder.');
  }
}

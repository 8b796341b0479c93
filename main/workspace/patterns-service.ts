// The `patterns:*` IPC handlers of the app: the orchestrator's createPatternHandlers over the
// workspaces of the store's portfolios. A portfolio may be read when the store is open and holds
// it (not archived) with a ledger location (`ledger_repo`: the ledger's top file, or a folder
// holding `main.beancount`). Each portfolio's ledger is a Workspace, reopened when its HEAD moves;
// a run is pinned to HEAD and the store's pricing pack at the last price date (built in the store
// when missing, see main/pricing/run-packs.ts) unless the caller pins an earlier commit. The
// store's portfolio id is the ledger's portfolio name (`portfolio:` metadata, or `all`, or
// `accounts:<pattern>`). The pattern list is read once, synchronously, from the
// shipped files.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import type { PatternProgress, PatternSummary } from '../../shared/ipc/patterns';
import { registerAgents } from '../agents';
import { selectPortfolio } from '../agents/book/selection';
import { CapabilityRegistry } from '../orchestrator/capability';
import { createPatternHandlers, type PortfolioAccess, type RunPinning } from '../orchestrator/handlers';
import { bundledPatternsDir } from '../orchestrator/loader';
import type { PatternOrchestrator, PatternRunOptions, PatternRunRequest } from '../orchestrator/orchestrator';
import { patternSummaries, validatePattern } from '../orchestrator/pattern';
import { StorePatternRunStore } from '../orchestrator/store-run-store';
import { openLedgerRepo } from '../ledger/git';
import type { Store } from '../store/open';
import { workspaceOrchestrator } from './patterns';
import { ledgerFileOf, storePinning } from './app-price-source';
import { auditLedgerLoads } from './ledger-audit';
import { StorePositions } from './store-positions';
import { PackNotFoundError, Workspace, type WorkspaceEnvironmentOptions } from './workspace';

/**
 * Patterns whose result depends on what the store holds (reconciliation compares the store's
 * positions), which the run key does not cover: they always run, never answer from the cache.
 */
export const STORE_STATE_PATTERNS: ReadonlySet<string> = new Set(['reconciliation']);

type PatternDatasets = Omit<WorkspaceEnvironmentOptions, 'storedPositions'>;

/** Which data sets are present: an orchestrator is rebuilt when this changes between runs. */
function datasetsShape(datasets: PatternDatasets): string {
  return (Object.keys(datasets) as (keyof PatternDatasets)[])
    .filter((k) => datasets[k] !== undefined)
    .sort()
    .join(',');
}

export interface WorkspacePatternsOptions {
  store: () => Store | null;
  logger: Logger;
  emitProgress?: (event: PatternProgress) => void;
  /**
   * Data sets besides the ledger: fixed, or asked for again before every run (the providers whose
   * keys are in the vault can change while the app runs).
   */
  datasets?: PatternDatasets | (() => Promise<PatternDatasets>);
  patternsDir?: string;
}

interface PortfolioRow {
  ledger_repo: string | null;
  archived_at: string | null;
}

/** The shipped patterns' summaries, read synchronously (validated against the agents' capabilities). */
export function shippedPatternSummaries(dir: string = bundledPatternsDir()): PatternSummary[] {
  const registry = new CapabilityRegistry();
  const unused = (): Promise<never> => Promise.reject(new Error('not available when listing patterns'));
  registerAgents(registry, { ledger: unused, prices: unused });
  const patterns = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((file) => validatePattern(JSON.parse(readFileSync(path.join(dir, file), 'utf8')), file, registry));
  return patternSummaries(patterns);
}

export class WorkspacePatterns {
  private summaries: PatternSummary[] | null = null;
  private readonly open = new Map<
    string,
    { workspace: Workspace; orchestrator: PatternOrchestrator; shape: string; store: Store | null }
  >();
  /** Every run is recorded in the store's pattern_runs, and a fresh recorded run is served again. */
  private readonly runStore = new StorePatternRunStore(() => this.options.store()?.db ?? null);

  constructor(private readonly options: WorkspacePatternsOptions) {}

  private row(portfolioId: string): PortfolioRow | null {
    const store = this.options.store();
    if (!store) return null;
    return (
      (store.db
        .prepare('SELECT ledger_repo, archived_at FROM portfolios WHERE portfolio_id = ?')
        .get(portfolioId) as PortfolioRow | undefined) ?? null
    );
  }

  readonly access: PortfolioAccess = {
    canRead: (portfolioId) => {
      const row = this.row(portfolioId);
      return row !== null && row.archived_at === null && row.ledger_repo !== null;
    },
  };

  private async workspaceFor(portfolioId: string) {
    const row = this.row(portfolioId);
    if (!row?.ledger_repo) throw new PackNotFoundError();
    const file = ledgerFileOf(row.ledger_repo);
    const datasets =
      typeof this.options.datasets === 'function' ? await this.options.datasets() : this.options.datasets;
    const shape = datasetsShape(datasets ?? {});
    // The orchestrator reads the store's positions through the connection open when it was built:
    // a store locked and reopened since gets a new one.
    const store = this.options.store();
    const cached = this.open.get(file);
    let workspace: Workspace | null = null;
    if (cached) {
      let head: string | null;
      try {
        head = (await (await openLedgerRepo(path.dirname(file))).headInfo()).commit;
      } catch {
        head = null;
      }
      if (head === null || head === cached.workspace.commit) {
        if (cached.shape === shape && cached.store === store) return cached;
        workspace = cached.workspace;
      }
    }
    workspace ??= await Workspace.open({ ledgerFile: file });
    const orchestrator = await workspaceOrchestrator(workspace, {
      ...datasets,
      ...(store ? { storedPositions: new StorePositions(store.db) } : {}),
      runStore: this.runStore,
      logger: this.options.logger,
      ...(this.options.patternsDir ? { patternsDir: this.options.patternsDir } : {}),
    });
    const entry = { workspace, orchestrator, shape, store };
    this.open.set(file, entry);
    return entry;
  }

  readonly pinning: RunPinning = {
    pin: async (request, onProgress) => {
      const { workspace } = await this.workspaceFor(request.portfolio_id);
      // With the store open, the run is pinned to the store's packs (built there when missing).
      const store = this.options.store();
      const pin = await workspace.pin(
        null,
        request.ledger_commit_hash ?? workspace.commit,
        store
          ? {
              ...storePinning(store, workspace.ledgerFile),
              ...(onProgress
                ? {
                    onProgress: (done: number, total: number) =>
                      onProgress({
                        fraction: total === 0 ? 1 : done / total,
                        message: `building pricing packs: ${done} of ${total} dates`,
                      }),
                  }
                : {}),
            }
          : null,
      );
      this.auditLoads(workspace);
      selectPortfolio((await workspace.load(pin.ledger_commit_hash)).entries, request.portfolio_id);
      if (request.pricing_pack_id !== undefined && request.pricing_pack_id !== pin.pricing_pack_id)
        throw new PackNotFoundError();
      return { pricing_pack_id: pin.pricing_pack_id, ledger_commit_hash: pin.ledger_commit_hash };
    },
  };

  readonly orchestrator: Pick<PatternOrchestrator, 'list' | 'execute'> = {
    list: () => (this.summaries ??= shippedPatternSummaries(this.options.patternsDir)),
    execute: async (patternId: string, request: PatternRunRequest, runOptions?: PatternRunOptions) => {
      const { workspace, orchestrator } = await this.workspaceFor(request.portfolio_id);
      try {
        return await orchestrator.execute(
          patternId,
          request,
          STORE_STATE_PATTERNS.has(patternId) ? { ...runOptions, fresh: true } : runOptions,
        );
      } finally {
        this.auditLoads(workspace);
      }
    },
  };

  /** Every ledger load goes to the audit log while the store is open. */
  private auditLoads(workspace: Workspace): void {
    const store = this.options.store();
    if (store) auditLedgerLoads(store.db, workspace.takeLoadRecords());
  }

  /** Portfolios the store holds with a ledger and not archived (what the daily reconciliation covers). */
  readablePortfolios(): string[] {
    const store = this.options.store();
    if (!store) return [];
    return (
      store.db
        .prepare(
          'SELECT portfolio_id FROM portfolios WHERE archived_at IS NULL AND ledger_repo IS NOT NULL ORDER BY portfolio_id',
        )
        .all() as { portfolio_id: string }[]
    ).map((r) => r.portfolio_id);
  }

  /** The reconciliation pattern for one portfolio at HEAD (for DailyReconciliation). */
  async reconcile(portfolioId: string) {
    const pin = await this.pinning.pin({ portfolio_id: portfolioId });
    return this.orchestrator.execute('reconciliation', { portfolio_id: portfolioId, ...pin, params: {} });
  }

  handlers() {
    return createPatternHandlers({
      orchestrator: this.orchestrator,
      access: this.access,
      pinning: this.pinning,
      emitProgress: (event) => {
        if (this.options.emitProgress) this.options.emitProgress(event);
        else
          this.options.logger.debug({ pattern: event.pattern_id, status: event.status }, 'pattern progress');
      },
    });
  }
}

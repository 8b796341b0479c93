// Reconciliation while the app is open: shortly after start and then once a day, every readable
// portfolio is reconciled (the `reconciliation` pattern: ledger at HEAD vs the store's positions).
// Results are recorded like any pattern run; the log gets the counts only (no values). The timer is
// unref'd so it never keeps a process alive, and one run never overlaps the next.
import type { Logger } from 'pino';
import type { PatternEnvelope } from '../../shared/ipc/patterns';

export const RECONCILE_INTERVAL_MS = 24 * 60 * 60 * 1000;
/** Delay after start before the first run, so start-up work goes first. */
export const RECONCILE_FIRST_DELAY_MS = 60 * 1000;

export interface DailyReconciliationOptions {
  /** The portfolios to reconcile (e.g. the store's portfolios that have a ledger). */
  portfolios: () => string[] | Promise<string[]>;
  /** Runs the reconciliation pattern for one portfolio. */
  reconcile: (portfolioId: string) => Promise<PatternEnvelope>;
  logger: Logger;
  intervalMs?: number;
  firstDelayMs?: number;
}

export interface ReconciliationSummary {
  portfolio_id: string;
  status: 'matched' | 'mismatch' | 'unavailable' | 'failed';
  differences: number;
}

export class DailyReconciliation {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running: Promise<ReconciliationSummary[]> | null = null;

  constructor(private readonly options: DailyReconciliationOptions) {}

  start(): void {
    if (this.timer) return;
    this.schedule(this.options.firstDelayMs ?? RECONCILE_FIRST_DELAY_MS);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      void this.runOnce().finally(() => {
        if (this.timer) this.schedule(this.options.intervalMs ?? RECONCILE_INTERVAL_MS);
      });
    }, delay);
    this.timer.unref?.();
  }

  /** Reconciles every portfolio now (an on-demand run joins one already in progress). */
  runOnce(): Promise<ReconciliationSummary[]> {
    this.running ??= this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<ReconciliationSummary[]> {
    const out: ReconciliationSummary[] = [];
    for (const portfolio_id of await this.options.portfolios()) {
      try {
        const envelope = await this.options.reconcile(portfolio_id);
        const data = envelope.panels.reconciliation?.data as {
          status?: string;
          differences?: unknown[];
        } | null;
        const status =
          data?.status === 'matched' || data?.status === 'mismatch' ? data.status : 'unavailable';
        out.push({ portfolio_id, status, differences: data?.differences?.length ?? 0 });
      } catch (error) {
        this.options.logger.warn({ errName: (error as Error).name }, 'scheduled reconciliation failed');
        out.push({ portfolio_id, status: 'failed', differences: 0 });
      }
    }
    const mismatched = out.filter((s) => s.status === 'mismatch').length;
    this.options.logger.info({ portfolios: out.length, mismatched }, 'scheduled reconciliation finished');
    return out;
  }
}

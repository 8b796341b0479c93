// Handlers for the `patterns:*` channels. `patterns:execute` checks first that the current user may
// read the portfolio (through the PortfolioAccess port) and refuses before anything runs: asking for
// someone else's portfolio id never reaches a capability. Progress goes to the injected emitter,
// tagged with the call's trace id, which is also the envelope's.
import { UserFacingError } from '../../shared/errors';
import type { DomainHandlers } from '../../shared/ipc/contract';
import type { PatternProgress, patternsContract } from '../../shared/ipc/patterns';
import type { PatternOrchestrator } from './orchestrator';

/** Which portfolios the current user may read (the store's or the team workspace's rules). */
export interface PortfolioAccess {
  canRead(portfolioId: string): boolean | Promise<boolean>;
}

/** How pinning is going, when it has work to do (building the pricing packs a run needs). */
export interface PinProgress {
  fraction: number;
  message: string;
}

/** Chooses the ledger commit and pricing pack a run uses: the ones asked for, or the latest. */
export interface RunPinning {
  pin(
    request: {
      portfolio_id: string;
      pricing_pack_id?: string;
      ledger_commit_hash?: string;
    },
    onProgress?: (progress: PinProgress) => void,
  ): Promise<{ pricing_pack_id: string; ledger_commit_hash: string }>;
}

export class PortfolioForbiddenError extends UserFacingError {
  constructor() {
    // The same answer for a portfolio that does not exist, so ids cannot be probed.
    super('PORTFOLIO_FORBIDDEN', 'You do not have access to this portfolio.');
  }
}

export interface PatternHandlerDeps {
  orchestrator: Pick<PatternOrchestrator, 'list' | 'execute'>;
  access: PortfolioAccess;
  pinning: RunPinning;
  emitProgress: (event: PatternProgress) => void;
}

export function createPatternHandlers(deps: PatternHandlerDeps): DomainHandlers<typeof patternsContract> {
  return {
    list: () => ({ patterns: deps.orchestrator.list() }),
    execute: async (request, context) => {
      if (!(await deps.access.canRead(request.portfolio_id))) throw new PortfolioForbiddenError();
      // Pinning may first build the pricing packs the run needs (a first run on a long ledger):
      // its progress goes out before the first step's, as a run-level event (step_id null, no
      // step settled yet: done = total = 0).
      const pinned = await deps.pinning.pin(
        {
          portfolio_id: request.portfolio_id,
          pricing_pack_id: request.pricing_pack_id,
          ledger_commit_hash: request.ledger_commit_hash,
        },
        ({ fraction, message }) =>
          deps.emitProgress({
            trace_id: context.traceId,
            pattern_id: request.pattern_id,
            step_id: null,
            status: 'progress',
            done: 0,
            total: 0,
            fraction,
            message,
          }),
      );
      return deps.orchestrator.execute(
        request.pattern_id,
        { portfolio_id: request.portfolio_id, ...pinned, params: request.params ?? {} },
        { traceId: context.traceId, onProgress: deps.emitProgress },
      );
    },
  };
}

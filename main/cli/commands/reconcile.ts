// `dawsos reconcile --ledger PATH [--portfolio NAME | --accounts PATTERN] [--tolerance-bp N]
//  [--record] [--json]` plus the store's vault flags: recomputes the portfolio's positions from
// the ledger at HEAD and compares them with the latest positions the store holds, valued with the
// store's pricing packs (built from the ledger's price directives where the store lacks them).
// `--record` first stores the ledger's positions at the pack date (what the app does after each
// import). Exit 1 when a position differs by more than the tolerance.
import { parseArgs } from 'node:util';
import { BookCache } from '../../agents/environment';
import { selectPortfolio } from '../../agents/book/selection';
import { workspaceOrchestrator } from '../../workspace/patterns';
import { recordPositions, StorePositions } from '../../workspace/store-positions';
import { summarizeEnvelope } from '../../workspace/summary';
import { storePinning } from '../../workspace/app-price-source';
import { Workspace } from '../../workspace/workspace';
import { EXIT_FAILURE, EXIT_OK, UsageError, printJson, type CliCommand } from '../command';
import { vaultOptions } from './store';
import { openWorkspaceStore, portfolioIdOf } from './run';

export const reconcileCommand: CliCommand = {
  name: 'reconcile',
  summary: 'Compare the positions in the store with the ledger at HEAD (exit 1 on a difference)',
  usage:
    'dawsos reconcile --ledger PATH [--portfolio NAME | --accounts PATTERN] [--tolerance-bp N] [--record] [--vault keychain|passphrase] [--passphrase-file FILE] [--json]',
  async run(args, context) {
    const { values } = parseArgs({
      args,
      options: {
        ledger: { type: 'string' },
        portfolio: { type: 'string' },
        accounts: { type: 'string' },
        'tolerance-bp': { type: 'string', default: '1' },
        record: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        ...vaultOptions('passphrase-file'),
      },
    });
    if (values.ledger === undefined) throw new UsageError('--ledger PATH is required');
    if (!/^\d+(\.\d+)?$/.test(values['tolerance-bp']))
      throw new UsageError('--tolerance-bp takes a non-negative decimal');
    const portfolioId = portfolioIdOf(values.portfolio, values.accounts);
    const workspace = await Workspace.open({ ledgerFile: values.ledger, cwd: context.cwd });
    const store = await openWorkspaceStore(values, context);
    try {
      // The store is open: the run is valued with the store's packs, as the app's reconciliation is.
      const pin = await workspace.pin(null, workspace.commit, storePinning(store, workspace.ledgerFile));
      const request = { portfolio_id: portfolioId, ...pin };
      selectPortfolio((await workspace.load(pin.ledger_commit_hash)).entries, portfolioId);
      if (values.record) {
        const pinned = await new BookCache(workspace.environment()).pinned(request);
        recordPositions(store.db, 'user', portfolioId, pinned, pin.as_of);
      }
      const orchestrator = await workspaceOrchestrator(workspace, {
        storedPositions: new StorePositions(store.db),
        logger: context.logger,
      });
      const envelope = await orchestrator.execute('reconciliation', {
        ...request,
        params: { tolerance_bp: values['tolerance-bp'] },
      });
      if (values.json) printJson(context.io, envelope);
      else context.io.stdout(`${summarizeEnvelope(envelope).join('\n')}\n`);
      const data = envelope.panels.reconciliation?.data as { status?: string } | null | undefined;
      return data?.status === 'matched' ? EXIT_OK : EXIT_FAILURE;
    } finally {
      store.close();
    }
  },
};

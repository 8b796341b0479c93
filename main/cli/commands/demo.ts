// `dawsos demo [--out DIR] [--json]`: builds a workspace from the shipped demo data (git repository
// + encrypted store), runs every pattern for every demo portfolio, prints a readable summary and
// writes the envelopes as JSON under DIR/envelopes/. Offline; no keys. See main/workspace/demo.ts.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runDemo } from '../../workspace/demo';
import { summarizeEnvelope } from '../../workspace/summary';
import { EXIT_OK, printJson, type CliCommand } from '../command';

const SUMMARY_PATTERNS = ['portfolio_overview', 'risk', 'reconciliation'];

export const demoCommand: CliCommand = {
  name: 'demo',
  summary: 'Build a demo workspace, run every pattern offline and print a summary',
  usage: 'dawsos demo [--out DIR] [--json]',
  async run(args, { io, cwd, logger }) {
    const { values } = parseArgs({
      args,
      options: { out: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    const out = values.out
      ? path.resolve(cwd, values.out)
      : mkdtempSync(path.join(os.tmpdir(), 'dawsos-demo-'));
    const result = await runDemo({ out, logger });
    if (values.json) {
      printJson(io, {
        out,
        ledger: result.ledgerFile,
        data_dir: result.dataDir,
        ledger_commit_hash: result.commit,
        pricing_pack_id: result.pricingPackId,
        envelopes: result.runs.map((r) => ({ portfolio: r.portfolio, pattern: r.pattern, file: r.file })),
      });
      return EXIT_OK;
    }
    const lines = [
      'DawsOS demo (DEMO DATA: invented companies, prices and news)',
      `ledger   ${result.ledgerFile}`,
      `commit   ${result.commit}`,
      `pack     ${result.pricingPackId}`,
      '',
    ];
    for (const run of result.runs) {
      const shown =
        SUMMARY_PATTERNS.includes(run.pattern) || (run.portfolio === 'all' && run.pattern === 'macro_regime');
      if (shown) lines.push(...summarizeEnvelope(run.envelope), '');
    }
    lines.push(
      `${result.runs.length} envelopes written under ${path.join(out, 'envelopes')}`,
      `store: ${result.dataDir} (passphrase vault; passphrase in ${result.passphraseFile})`,
    );
    io.stdout(`${lines.join('\n')}\n`);
    return EXIT_OK;
  },
};

// Loading a large ledger in the worker: the main event loop keeps running (a timer keeps
// ticking while the worker parses and books), progress arrives, and the result equals an
// in-process load of the same files. The worker reads its files through the main thread's
// LedgerSource, so any source works.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsLedgerSource } from '../../main/ledger/fs-source';
import { createLedgerWorker, loadLedgerInWorker } from '../../main/ledger/load-in-worker';
import type { LoadProgress } from '../../main/ledger/loader';
import { loadLedger, sortErrors } from '../../main/ledger/loader';
import { generateSyntheticLedger } from '../../main/ledger/synthetic/generate';
import { balances, holdings } from '../../main/ledger/views';

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'dawsos-ledger-worker-'));
  const { text } = generateSyntheticLedger({ seed: 7, targetPostings: 60_000, years: 4 });
  writeFileSync(path.join(dir, 'main.beancount'), 'include "book.beancount"\n');
  writeFileSync(path.join(dir, 'book.beancount'), text);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadLedgerInWorker', () => {
  it('keeps the event loop responsive, reports progress and matches an in-process load', async () => {
    const source = new FsLedgerSource(dir);
    const progress: LoadProgress[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const ticksAtStart = ticks;
    let result;
    try {
      result = await loadLedgerInWorker(source, 'main.beancount', { onProgress: (p) => progress.push(p) });
    } finally {
      clearInterval(timer);
    }
    // The timer ran while the worker worked: the main thread was never blocked for the load.
    expect(ticks - ticksAtStart).toBeGreaterThan(5);
    expect(progress.length).toBeGreaterThan(2);
    const last = progress[progress.length - 1]!;
    expect(last.bytesParsed).toBe(last.totalBytes);
    expect(last.entriesBooked).toBe(result.transactions);
    expect(progress.some((p) => p.entriesBooked > 0 && p.entriesBooked < result.transactions)).toBe(true);

    const local = await loadLedger(source, 'main.beancount');
    expect(result.errors).toEqual(sortErrors(local.errors));
    expect(result.files).toEqual(['main.beancount', 'book.beancount']);
    expect(result.balances).toEqual(balances(local.entries));
    expect(result.holdings).toEqual(holdings(local.entries));
    expect(result.errors).toEqual([]);
  });

  it('a kept worker serves several loads in turn, each with its own files', async () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'dawsos-ledger-worker-b-'));
    try {
      writeFileSync(
        path.join(other, 'main.beancount'),
        '2024-01-01 open Assets:A\n2024-01-01 open Equity:B\n2024-01-02 * "x"\n  Assets:A  5.00 EUR\n  Equity:B\n',
      );
      const worker = createLedgerWorker();
      try {
        const [big, small, again] = await Promise.all([
          worker.load(new FsLedgerSource(dir), 'main.beancount'),
          worker.load(new FsLedgerSource(other), 'main.beancount'),
          worker.load(new FsLedgerSource(other), 'main.beancount'),
        ]);
        expect(big.transactions).toBeGreaterThan(1000);
        expect(small.balances).toEqual({ 'Assets:A': { EUR: '5.00' }, 'Equity:B': { EUR: '-5.00' } });
        expect(again).toEqual(small);
      } finally {
        await worker.close();
      }
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('reports a ledger that cannot be read as errors, not as a crash', async () => {
    const result = await loadLedgerInWorker(new FsLedgerSource(dir), 'missing.beancount');
    expect(result.errors.map((e) => e.type)).toEqual(['missing_include']);
    expect(result.balances).toEqual({});
  });
});

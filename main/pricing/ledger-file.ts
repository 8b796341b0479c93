// Loads a ledger file from disk (with its includes, relative to its folder) as a pricing source.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { FsLedgerSource } from '../ledger/fs-source';
import { loadLedger, type LoadedLedger } from '../ledger/loader';
import { PricingLedgerFileError } from './errors';
import { defaultBaseCurrencies, ledgerPriceSource } from './ledger-source';
import type { PriceSource } from './sources';

export async function ledgerFileSource(
  file: string,
  baseCurrencies?: readonly string[],
): Promise<{ source: PriceSource; baseCurrencies: string[]; ledger: LoadedLedger }> {
  const absolute = path.resolve(file);
  try {
    if (!(await stat(absolute)).isFile()) throw new Error('not a file');
  } catch {
    throw new PricingLedgerFileError();
  }
  const ledger = await loadLedger(new FsLedgerSource(path.dirname(absolute)), path.basename(absolute));
  const bases =
    baseCurrencies && baseCurrencies.length > 0
      ? [...baseCurrencies]
      : defaultBaseCurrencies(ledger.options.operatingCurrencies);
  return {
    source: ledgerPriceSource({
      entries: ledger.entries,
      baseCurrencies: bases,
      operatingCurrencies: ledger.options.operatingCurrencies,
    }),
    baseCurrencies: bases,
    ledger,
  };
}

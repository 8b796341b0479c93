// The store-backed adapters of every provider port, built over one open store.
import type { Db } from '../../store/sqlcipher';
import { StoreProviderDataSink } from './data-sink';
import { StoreDeadLetterStore } from './dead-letters';
import { StoreLastGoodCache } from './last-good';
import { StoreQuotaLedger } from './quota';

export interface StoreProviderPorts {
  readonly sink: StoreProviderDataSink;
  readonly lastGood: StoreLastGoodCache;
  readonly deadLetters: StoreDeadLetterStore;
  readonly quota: StoreQuotaLedger;
}

export function storeProviderPorts(db: Db, now: () => number = Date.now): StoreProviderPorts {
  return {
    sink: new StoreProviderDataSink(db, now),
    lastGood: new StoreLastGoodCache(db),
    deadLetters: new StoreDeadLetterStore(db, now),
    quota: new StoreQuotaLedger(db, now),
  };
}

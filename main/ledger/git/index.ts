// The git-backed ledger: which commit a load read, reading an older commit without touching the
// working tree, and the one audited write (append an entry and commit it).
export type { GitOptions } from './client';
export { openLedgerRepo } from './repo';
export type { HeadInfo, LedgerRepo } from './repo';
export { gitCommitSource } from './commit-source';
export { recordTransaction, recordOptionsSchema } from './record';
export type { RecordOptions } from './record';
export { formatTransaction, transactionInputSchema, quoteString } from './format';
export type { TransactionInput, PostingInput } from './format';
export { globToRegExp, matchGlob } from './glob';
export * from './errors';

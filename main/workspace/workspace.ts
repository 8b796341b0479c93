// A workspace: the data folder (DAWSOS_HOME), the ledger repository, and optionally the encrypted
// store. It loads the ledger at the HEAD commit (read from git's object database, so uncommitted
// edits never leak into a result that names a commit), pins each run to a chain of pricing packs —
// the store's packs when a store is open (built there when missing), else the same chain
// assembled in memory from the ledger's price directives (main/pricing/run-packs.ts) — and gives
// the agents their environment (AgentEnvironment), whose prices are the pinned chain.
//
// Outside git the ledger is read from disk and its "commit" is the SHA-256 of the files it read
// (in load order), so results still name exactly the content they were computed from.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { UserFacingError } from '../../shared/errors';
import type { AgentEnvironment, LedgerSnapshot } from '../agents/environment';
import { baseCurrency } from '../agents/book/book';
import { lastPriceDate, type PriceSource } from '../agents/book/prices';
import type { FundamentalsSource, MacroSource, NewsSource } from '../agents/data-harvester/sources';
import type { StoredPositionsSource } from '../agents/reconciler/stored-positions';
import { FsLedgerSource, resolveLedgerFile } from '../ledger/fs-source';
import { openLedgerRepo, type LedgerRepo } from '../ledger/git';
import { loadLedger } from '../ledger/loader';
import type { LedgerSource } from '../ledger/source';
import { ensureRunPacks, memoryRunPacks, type RunLedger } from '../pricing/run-packs';
import type { PriceSource as PackSource } from '../pricing/sources';
import type { Db } from '../store/sqlcipher';

export class LedgerHasErrorsError extends UserFacingError {
  constructor() {
    super('LEDGER_HAS_ERRORS', "The ledger has errors; run 'dawsos ledger check' and fix them first.");
  }
}

export class LedgerHasNoPricesError extends UserFacingError {
  constructor() {
    super('LEDGER_HAS_NO_PRICES', 'The ledger has no price directives to build a pricing pack from.');
  }
}

export class LedgerNotCommittedError extends UserFacingError {
  constructor() {
    super(
      'LEDGER_NOT_COMMITTED',
      'The ledger file is in a git repository but not in its HEAD commit; commit it first.',
    );
  }
}

export class PackNotFoundError extends UserFacingError {
  constructor() {
    super('PACK_NOT_FOUND', 'That pricing pack is not available in this workspace.');
  }
}

export class CommitNotLoadedError extends UserFacingError {
  constructor() {
    super('LEDGER_COMMIT_NOT_LOADED', 'That ledger commit is not the one this workspace loaded.');
  }
}

export interface WorkspaceOpenOptions {
  /** The ledger's top file (absolute, or relative to cwd). */
  ledgerFile: string;
  cwd?: string;
}

export interface LedgerPin {
  ledger_commit_hash: string;
  pricing_pack_id: string;
  as_of: string;
}

export interface WorkspaceEnvironmentOptions {
  macro?: MacroSource;
  news?: NewsSource;
  fundamentals?: FundamentalsSource;
  storedPositions?: StoredPositionsSource;
}

/**
 * How a run's packs are pinned while a store is open: the store's packs (ensureRunPacks), built
 * from `source` when some are missing (default: the run's ledger alone). See storePinning
 * (app-price-source.ts) for the app's, which builds from every portfolio's ledger.
 */
export interface PinStore {
  readonly db: Db;
  source?(run: RunLedger): Promise<PackSource>;
  /** Hears how building missing packs goes (dates with their pack so far, of those being built). */
  onProgress?(done: number, total: number): void;
}

/** One ledger load, as the audit log records it (no amounts, no account names). */
export interface LedgerLoadRecord {
  commit: string;
  /** Whether the working tree differed from the commit when it was loaded (HEAD loads only). */
  dirty: boolean;
  files: number;
  entries: number;
  errors: number;
}

/** Pinned chains a workspace keeps (runs pin, then execute: a few concurrent runs fit). */
export const PINNED_CHAINS = 4;

export class Workspace {
  private readonly snapshots = new Map<string, LedgerSnapshot>();
  /** Loads not yet handed to the audit log (see takeLoadRecords). */
  private loadRecords: LedgerLoadRecord[] = [];
  /**
   * The chains of the latest pins, by pack id (at most PINNED_CHAINS: a long-lived workspace in the
   * app's worker must not keep every chain it ever pinned; each can be tens of MB).
   */
  private readonly packs = new Map<string, PriceSource>();
  /** The pack built for (commit, pack date), so pinning the same run twice hashes the prices once. */
  private readonly packsByPin = new Map<string, PriceSource>();

  private rememberPack(packId: string, source: PriceSource): void {
    this.packs.delete(packId);
    this.packs.set(packId, source);
    for (const [id] of this.packs) {
      if (this.packs.size <= PINNED_CHAINS) break;
      this.packs.delete(id);
      for (const [key, held] of this.packsByPin) if (held.packId === id) this.packsByPin.delete(key);
    }
  }

  private constructor(
    readonly root: string,
    readonly mainFile: string,
    readonly repo: LedgerRepo | null,
    /** HEAD (or the content hash outside git). */
    readonly commit: string,
    /** True when the working tree differs from HEAD (those changes are not read). */
    readonly dirty: boolean,
  ) {}

  static async open(options: WorkspaceOpenOptions): Promise<Workspace> {
    const real = await resolveLedgerFile(options.cwd ?? process.cwd(), options.ledgerFile);
    const dir = path.dirname(real);
    let repo: LedgerRepo | null;
    try {
      repo = await openLedgerRepo(dir);
    } catch {
      repo = null;
    }
    const toPosix = (p: string): string => p.split(path.sep).join('/');
    if (repo) {
      const head = await repo.headInfo();
      if (head.commit !== null) {
        const ws = new Workspace(
          repo.root,
          toPosix(path.relative(repo.root, real)),
          repo,
          head.commit,
          head.dirty,
        );
        await ws.load(head.commit);
        return ws;
      }
    }
    // Not in git (or no commit yet): read the folder and name it by its content.
    const source = new FsLedgerSource(dir);
    const mainFile = path.basename(real);
    const loaded = await loadLedger(source, mainFile);
    const hash = createHash('sha256');
    for (const f of loaded.files) hash.update(`${f}\0${await source.readFile(f)}\0`);
    const ws = new Workspace(dir, mainFile, null, hash.digest('hex'), false);
    ws.accept(ws.commit, loaded);
    return ws;
  }

  private accept(commit: string, loaded: Awaited<ReturnType<typeof loadLedger>>): LedgerSnapshot {
    this.loadRecords.push({
      commit,
      dirty: commit === this.commit && this.dirty,
      files: loaded.files.length,
      entries: loaded.entries.length,
      errors: loaded.errors.length,
    });
    if (loaded.errors.some((e) => e.severity !== 'warning')) throw new LedgerHasErrorsError();
    const snapshot: LedgerSnapshot = { commit, entries: loaded.entries, options: loaded.options };
    this.snapshots.set(commit, snapshot);
    return snapshot;
  }

  /**
   * The loads since the last call, for a host with an open store to write to the audit log
   * (auditLedgerLoads). A host without a store has no audit log to write them to.
   */
  takeLoadRecords(): LedgerLoadRecord[] {
    const records = this.loadRecords;
    this.loadRecords = [];
    return records;
  }

  /** The booked ledger at `commit` (HEAD unless another commit of the same repository is asked). */
  async load(commit: string): Promise<LedgerSnapshot> {
    const hit = this.snapshots.get(commit);
    if (hit) return hit;
    if (!this.repo) throw new CommitNotLoadedError();
    const source: LedgerSource = await this.repo.commitSource(commit);
    const resolved = (source as LedgerSource & { commit: string }).commit;
    const again = this.snapshots.get(resolved);
    if (again) return again;
    return this.accept(resolved, await loadLedger(source, this.mainFile));
  }

  /** The ledger's top file (absolute). */
  get ledgerFile(): string {
    return path.join(this.root, this.mainFile);
  }

  /**
   * Pins a run: the commit (HEAD) and the pricing pack for `to` (default: the last price date).
   * With `store`, the pack is one of the store's (built there when missing, see ensureRunPacks);
   * without, the chain is assembled in memory from the ledger's price directives and reused while
   * the commit and date hold.
   */
  async pin(to: string | null, commit: string = this.commit, store?: PinStore | null): Promise<LedgerPin> {
    const snapshot = await this.load(commit);
    const asOf = to ?? lastPriceDate(snapshot.entries);
    if (asOf === null) throw new LedgerHasNoPricesError();
    const run: RunLedger = {
      entries: snapshot.entries,
      base: baseCurrency(snapshot.options),
      operating: snapshot.options.operatingCurrencies,
      asOf,
      key: snapshot.commit,
    };
    if (store) {
      const packs = await ensureRunPacks(store.db, {
        ...run,
        ...(store.source ? { source: (r: RunLedger) => store.source!(r) } : {}),
        ...(store.onProgress
          ? { onProgress: (done: number, total: number) => store.onProgress!(done, total) }
          : {}),
      });
      this.rememberPack(packs.packId, packs.prices);
      return { ledger_commit_hash: snapshot.commit, pricing_pack_id: packs.packId, as_of: asOf };
    }
    const key = `${snapshot.commit}\u0000${asOf}`;
    let source = this.packsByPin.get(key);
    if (!source) {
      source = await memoryRunPacks(run);
      this.packsByPin.set(key, source);
    }
    this.rememberPack(source.packId, source);
    return { ledger_commit_hash: snapshot.commit, pricing_pack_id: source.packId, as_of: asOf };
  }

  environment(options: WorkspaceEnvironmentOptions = {}): AgentEnvironment {
    return {
      ledger: (commit) => this.load(commit),
      prices: (packId) => {
        const pack = this.packs.get(packId);
        return pack ? Promise.resolve(pack) : Promise.reject(new PackNotFoundError());
      },
      ...options,
    };
  }
}

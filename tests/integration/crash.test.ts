// Power-loss safety: a child process commits some audited work, then starts a large write
// transaction big enough to spill uncommitted pages into the WAL, and is SIGKILLed in the middle
// of it. The store must reopen with integrity_check ok and exactly the last committed state.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../main/audit/chain';
import { createStore, openStore, storeKeyAccount } from '../../main/store/open';
import { createPortfolio } from '../../main/store/repositories/portfolios';
import { MemoryVault } from '../../main/vault/memory-vault';

const repo = path.resolve(import.meta.dirname, '../..');
const COMMITTED_BATCHES = 10;
const NOTES_PER_BATCH = 500;
/** The uncommitted transaction must have written at least this much WAL before the kill. */
const MIN_UNCOMMITTED_WAL_BYTES = 4 * 1024 * 1024;

let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-crash-'));
  file = path.join(dir, 'dawsos.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const CHILD = `
import { withAudit } from ${JSON.stringify(path.join(repo, 'main/audit/chain.ts'))};
import { openStore, storeKeyAccount } from ${JSON.stringify(path.join(repo, 'main/store/open.ts'))};
import { MemoryVault } from ${JSON.stringify(path.join(repo, 'main/vault/memory-vault.ts'))};

const file = process.env.CRASH_STORE;
const vault = new MemoryVault();
await vault.set(storeKeyAccount(file), process.env.CRASH_KEY);
const store = await openStore({ file, vault });
const db = store.db;
db.pragma('cache_size = 64'); // small page cache: uncommitted pages spill into the WAL
const note = db.prepare("INSERT INTO notes (portfolio_id, note_id, body, created_at, updated_at) VALUES ('p1', ?, ?, 'now', 'now')");
for (let batch = 0; batch < ${COMMITTED_BATCHES}; batch += 1) {
  withAudit(db, { actor: 'user', action: 'note.batch', target: 'portfolio:p1', payload: batch }, () => {
    for (let i = 0; i < ${NOTES_PER_BATCH}; i += 1) note.run('c-' + batch + '-' + i, 'committed ' + i);
  });
}
process.stdout.write('committed\\n');
db.exec('BEGIN IMMEDIATE');
const filler = 'x'.repeat(2000);
let signalled = false;
for (let i = 0; ; i += 1) {
  note.run('u-' + i, filler);
  if (i % 500 === 0) db.prepare("INSERT INTO audit_log (id, ts, actor, action, target, payload_digest, prev_hash, hash) VALUES (?, 'now', 'user', 'x', 'y', ?, ?, ?)").run(100000 + i, '0'.repeat(64), '0'.repeat(64), i.toString(16).padStart(64, '0'));
  if (!signalled && i === 5000) {
    process.stdout.write('mid-transaction\\n');
    signalled = true;
  }
}
`;

function runUntilKilled(
  script: string,
  env: Record<string, string>,
): Promise<{ walAtKill: number; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: repo,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let walAtKill = 0;
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('mid-transaction') && walAtKill === 0) {
        walAtKill = fs.statSync(`${file}-wal`).size;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ walAtKill, signal });
      else reject(new Error(`child exited with ${String(code)} before it was killed: ${err}`));
    });
  });
}

describe('a crash in the middle of a write transaction', () => {
  it('reopens consistent, with exactly the last committed state', async () => {
    const vault = new MemoryVault();
    const store = await createStore({ file, vault });
    createPortfolio(store.db, 'user', { portfolioId: 'p1', name: 'Main', baseCurrency: 'USD' });
    store.close();
    const key = (await vault.get(storeKeyAccount(file))) as string;
    const script = path.join(dir, 'child.mts');
    fs.writeFileSync(script, CHILD);

    const { walAtKill, signal } = await runUntilKilled(script, { CRASH_STORE: file, CRASH_KEY: key });
    expect(signal).toBe('SIGKILL');
    expect(walAtKill).toBeGreaterThan(MIN_UNCOMMITTED_WAL_BYTES);
    expect(fs.existsSync(`${file}-wal`)).toBe(true);

    const reopened = await openStore({ file, vault });
    try {
      expect(reopened.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(reopened.db.prepare("SELECT count(*) FROM notes WHERE note_id LIKE 'c-%'").pluck().get()).toBe(
        COMMITTED_BATCHES * NOTES_PER_BATCH,
      );
      expect(reopened.db.prepare("SELECT count(*) FROM notes WHERE note_id LIKE 'u-%'").pluck().get()).toBe(
        0,
      );
      expect(verifyAuditChain(reopened.db)).toMatchObject({ ok: true, rows: 1 + COMMITTED_BATCHES });
    } finally {
      reopened.close();
    }
  });
});

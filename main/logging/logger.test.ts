import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, MemorySink } from './logger';
import { registerSecret } from './redact';
import { RotatingFile } from './rotating-file';
import { runWithTrace } from './trace';

const API_KEY = 'fmp-LIVE-9f8e7d6c5b4a';
const PASSPHRASE = 'correct horse battery staple';
const STORE_KEY = 'a3f1c9e2b7d84f60a3f1c9e2b7d84f60a3f1c9e2b7d84f60a3f1c9e2b7d84f60';
const TOKEN = 'ghp_TOKENVALUE1234567890';

describe('logger redaction', () => {
  it('keeps API keys, passphrases, store keys, tokens and portfolio values out of every line', () => {
    const sink = new MemorySink();
    const log = createLogger({ sink, level: 'debug' });
    registerSecret(API_KEY);
    log.info({ provider: 'fmp', apiKey: API_KEY }, 'configured provider');
    log.debug(
      { request: { url: `https://financialmodelingprep.com/stable/quote?symbol=AAPL&apikey=${API_KEY}` } },
      'fetch',
    );
    log.info({ vault: { passphrase: PASSPHRASE, storeKey: STORE_KEY } }, 'vault opened');
    log.warn({ headers: { Authorization: `Bearer ${TOKEN}`, 'X-Api-Key': API_KEY } }, 'headers');
    log.info({ holdings: [{ symbol: 'AAPL', units: '120', cost: '145.30' }] }, 'holdings loaded');
    log.info(
      { position: { amount: '98765.43', currency: 'USD' }, marketValue: '1234567.89', balance: '555.55' },
      'valued',
    );
    log.error({ err: new Error(`request failed for key ${API_KEY}`) }, `provider error: token=${TOKEN}`);
    log.info(`secret inline ${API_KEY} and Bearer ${TOKEN}`);
    const deep = { a: { b: { c: { d: { passphrase: PASSPHRASE } } } } };
    log.info(deep, 'deep');

    const text = sink.text();
    for (const forbidden of [
      API_KEY,
      PASSPHRASE,
      STORE_KEY,
      TOKEN,
      '98765.43',
      '1234567.89',
      '555.55',
      '145.30',
      '"120"',
    ]) {
      expect(text, `log output leaks ${forbidden}`).not.toContain(forbidden);
    }
    // The lines are still useful: structure and non-sensitive fields survive.
    expect(text).toContain('"provider":"fmp"');
    expect(text).toContain('holdings loaded');
    expect(text).toContain('[redacted]');
    for (const line of sink.lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
  });

  it('stamps each line with the trace id of the call it belongs to', async () => {
    const sink = new MemorySink();
    const log = createLogger({ sink });
    await runWithTrace('trace-abc', async () => {
      await Promise.resolve();
      log.info('inside the call');
    });
    log.info('outside any call');
    const [inside, outside] = sink.lines.map((line) => JSON.parse(line) as { trace_id: string | null });
    expect(inside?.trace_id).toBe('trace-abc');
    expect(outside?.trace_id).toBeNull();
  });

  it('survives cyclic objects', () => {
    const sink = new MemorySink();
    const log = createLogger({ sink });
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    log.info(cyclic, 'cyclic');
    expect(sink.text()).toContain('[truncated]');
  });
});

describe('RotatingFile', () => {
  it('caps each file at its size, keeps the newest lines and at most maxFiles files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dawsos-log-'));
    const file = path.join(dir, 'logs', 'dawsos.log');
    const out = new RotatingFile(file, 1000, 3);
    for (let i = 0; i < 100; i++) out.write(`${JSON.stringify({ i, pad: 'x'.repeat(80) })}\n`);
    out.close();
    const files = fs.readdirSync(path.dirname(file)).sort();
    expect(files).toEqual(['dawsos.log', 'dawsos.log.1', 'dawsos.log.2']);
    for (const name of files)
      expect(fs.statSync(path.join(dir, 'logs', name)).size).toBeLessThanOrEqual(1000);
    const current = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(JSON.parse(current.at(-1) ?? '{}')).toMatchObject({ i: 99 });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

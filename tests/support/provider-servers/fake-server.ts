// The common part of every fake provider server: a node:http server on 127.0.0.1 (random port),
// a request log, and switches for every way a real provider fails. Each provider's subclass
// answers in that provider's own format (paths, JSON shapes, error bodies).
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FailureKind =
  | 'ok'
  | '500'
  | '503'
  | '429'
  | 'timeout'
  | 'slow'
  | 'reset'
  | 'truncated'
  | 'malformed'
  | 'wrong-schema'
  | 'empty'
  | 'invalid-key';

export interface FailureSpec {
  readonly kind: FailureKind;
  /** For 503 and 429: the Retry-After header, delta-seconds ("2") or an HTTP-date. */
  readonly retryAfter?: string;
  /** For 'slow': how long to wait before answering normally (default 200 ms). */
  readonly delayMs?: number;
}

export type FailureMode = FailureKind | FailureSpec;

export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers?: Record<string, string>;
}

export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  /** Whether the request carried the server's expected key (query or header). */
  readonly authorised: boolean;
}

export interface FakeServerOptions {
  /** The key the server accepts; any other key gets the provider's invalid-key answer. */
  readonly apiKey: string;
}

function spec(mode: FailureMode): FailureSpec {
  return typeof mode === 'string' ? { kind: mode } : mode;
}

export const json = (status: number, value: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  body: JSON.stringify(value),
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
});

export abstract class FakeProviderServer {
  readonly requests: LoggedRequest[] = [];
  private readonly server: http.Server;
  private readonly sockets = new Set<Socket>();
  private readonly queue: FailureSpec[] = [];
  private mode: FailureSpec = { kind: 'ok' };
  private port = 0;

  protected constructor(protected readonly options: FakeServerOptions) {
    this.server = http.createServer((req, res) => this.serve(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** The provider's name, for messages. */
  abstract readonly name: string;

  /** Listens on 127.0.0.1; port 0 (the default) picks a free one. */
  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The base URL a client is given, e.g. http://127.0.0.1:41234 */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The next `n` requests fail with `mode`; after them the standing mode applies again. */
  failNext(n: number, mode: FailureMode): void {
    for (let i = 0; i < n; i++) this.queue.push(spec(mode));
  }

  /** Every request from now on behaves as `mode` ('ok' for normal answers). Clears failNext. */
  setMode(mode: FailureMode): void {
    this.queue.length = 0;
    this.mode = spec(mode);
  }

  /** Requests seen, in total or for one path (e.g. "/stable/quote"). */
  requestCount(path?: string): number {
    return path === undefined ? this.requests.length : this.requests.filter((r) => r.path === path).length;
  }

  /** Request counts per path. */
  countsByPath(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.requests) out[r.path] = (out[r.path] ?? 0) + 1;
    return out;
  }

  resetLog(): void {
    this.requests.length = 0;
  }

  /** The provider's normal answer. */
  protected abstract answer(path: string, query: URLSearchParams): Reply;
  /** The key a request carried (query parameter or header). */
  protected abstract keyOf(req: http.IncomingMessage, query: URLSearchParams): string | null;
  protected abstract invalidKey(): Reply;
  protected abstract rateLimited(retryAfter?: string): Reply;
  protected abstract serverError(status: number, retryAfter?: string): Reply;
  protected abstract wrongSchema(path: string): Reply;
  protected abstract empty(path: string, query: URLSearchParams): Reply;

  private serve(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', this.baseUrl);
    const key = this.keyOf(req, url.searchParams);
    const authorised = key === this.options.apiKey;
    this.requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      authorised,
    });
    const failure = this.queue.shift() ?? this.mode;
    const send = (reply: Reply): void => {
      res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
      res.end(reply.body);
    };
    const normal = (): Reply => {
      if (!authorised) return this.invalidKey();
      try {
        return this.answer(url.pathname, url.searchParams);
      } catch {
        return this.serverError(500);
      }
    };
    switch (failure.kind) {
      case 'ok':
        return send(normal());
      case '500':
        return send(this.serverError(500));
      case '503':
        return send(this.serverError(503, failure.retryAfter ?? '1'));
      case '429':
        return send(this.rateLimited(failure.retryAfter));
      case 'timeout':
        return; // Never answers; the socket is destroyed when the server stops.
      case 'slow': {
        const timer = setTimeout(() => send(normal()), failure.delayMs ?? 200);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      case 'reset':
        req.socket.destroy();
        return;
      case 'truncated': {
        const full = normal();
        return send({
          ...full,
          status: 200,
          body: full.body.slice(0, Math.max(1, Math.floor(full.body.length / 2))),
        });
      }
      case 'malformed':
        return send({
          status: 200,
          body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
          headers: { 'content-type': 'text/html' },
        });
      case 'wrong-schema':
        return send(this.wrongSchema(url.pathname));
      case 'empty':
        return send(this.empty(url.pathname, url.searchParams));
      case 'invalid-key':
        return send(this.invalidKey());
    }
  }
}

// Local fake provider servers for integration tests, browser tests and benchmarks.
//
//   const servers = await startProviderServers({ keys: { fmp: 'k1', … } });
//   createProviderRegistry({ baseUrls: servers.baseUrls, … });
//   servers.fmp.failNext(3, '503'); servers.fmp.setMode({ kind: '429', retryAfter: '2' });
//   servers.fmp.requestCount('/stable/quote');
//   await servers.stop();
import { FakeFmpServer } from './fmp';
import { FakeFredServer } from './fred';
import { FakeNewsApiServer } from './newsapi';
import { FakePolygonServer } from './polygon';

export { FakeProviderServer } from './fake-server';
export type { FailureKind, FailureMode, FailureSpec, LoggedRequest } from './fake-server';
export { FakeFmpServer, FakeFredServer, FakeNewsApiServer, FakePolygonServer };
export * from './fixtures';

export type ProviderServerName = 'fmp' | 'polygon' | 'fred' | 'newsapi';

export interface ProviderServersOptions {
  /** The key each server accepts. */
  readonly keys: Readonly<Record<ProviderServerName, string>>;
  /** Polygon's largest page (default 50,000, as the real one); small values exercise next_url paging. */
  readonly polygonMaxPageSize?: number;
  /** Fixed ports (e.g. for a developer run); random free ports by default. */
  readonly ports?: Partial<Readonly<Record<ProviderServerName, number>>>;
}

export interface ProviderServers {
  readonly fmp: FakeFmpServer;
  readonly polygon: FakePolygonServer;
  readonly fred: FakeFredServer;
  readonly newsapi: FakeNewsApiServer;
  readonly baseUrls: Readonly<Record<ProviderServerName, string>>;
  /** Every server back to normal answers, logs cleared. */
  reset(): void;
  stop(): Promise<void>;
}

export async function startProviderServers(options: ProviderServersOptions): Promise<ProviderServers> {
  const port = (name: ProviderServerName): number => options.ports?.[name] ?? 0;
  const fmp = await new FakeFmpServer({ apiKey: options.keys.fmp }).start(port('fmp'));
  const polygon = await new FakePolygonServer({
    apiKey: options.keys.polygon,
    ...(options.polygonMaxPageSize === undefined ? {} : { maxPageSize: options.polygonMaxPageSize }),
  }).start(port('polygon'));
  const fred = await new FakeFredServer({ apiKey: options.keys.fred }).start(port('fred'));
  const newsapi = await new FakeNewsApiServer({ apiKey: options.keys.newsapi }).start(port('newsapi'));
  const all = [fmp, polygon, fred, newsapi];
  return {
    fmp,
    polygon,
    fred,
    newsapi,
    baseUrls: { fmp: fmp.baseUrl, polygon: polygon.baseUrl, fred: fred.baseUrl, newsapi: newsapi.baseUrl },
    reset() {
      for (const server of all) {
        server.setMode('ok');
        server.resetLog();
      }
    },
    async stop() {
      await Promise.all(all.map((server) => server.stop()));
    },
  };
}

// Runs the four fake provider servers until interrupted, for a developer session or a browser
// test run in another process:
//
//   npx tsx tests/support/provider-servers/serve.ts [--base-port 4101]
//
// It prints the DAWSOS_DEV_PROVIDER_BASE_URL_<NAME> lines to export, and the key each server
// accepts (test keys, not secrets: store them in the vault as the provider keys).
import { parseArgs } from 'node:util';
import { startProviderServers, type ProviderServerName } from './index';

const DEV_KEYS: Readonly<Record<ProviderServerName, string>> = {
  fmp: 'dev-fmp-key',
  polygon: 'dev-polygon-key',
  fred: 'dev-fred-key',
  newsapi: 'dev-newsapi-key',
};

const { values } = parseArgs({ options: { 'base-port': { type: 'string', default: '4101' } } });
const base = Number(values['base-port']);
const servers = await startProviderServers({
  keys: DEV_KEYS,
  ports: { fmp: base, polygon: base + 1, fred: base + 2, newsapi: base + 3 },
});
for (const [name, url] of Object.entries(servers.baseUrls)) {
  process.stdout.write(
    `export DAWSOS_DEV_PROVIDER_BASE_URL_${name.toUpperCase()}=${url}   # key: ${DEV_KEYS[name as ProviderServerName]}\n`,
  );
}
const stop = (): void => {
  void servers.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

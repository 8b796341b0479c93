// `dawsos doctor [--json]`: can this machine run DawsOS, and where is its data?
import { parseArgs } from 'node:util';
import { runDoctor } from '../../health/doctor';
import { storeFileStatus } from '../../store/status';
import { APP_VERSION } from '../../version';
import { EXIT_FAILURE, EXIT_OK, printJson, type CliCommand } from '../command';

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'Check keychain, store, Node, native modules and git',
  usage: 'dawsos doctor [--json]',
  async run(args, { io, paths }) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    const checks = await runDoctor(paths);
    const store = storeFileStatus(paths.store);
    const ok = checks.every((check) => check.ok);
    if (values.json) {
      printJson(io, {
        version: APP_VERSION,
        ok,
        dataDir: paths.dataDir,
        store: { state: store.state, path: store.path, sizeBytes: store.sizeBytes },
        checks,
      });
    } else {
      io.stdout(
        `DawsOS ${APP_VERSION}\ndata folder: ${paths.dataDir}\nstore: ${store.state} (${store.path})\n`,
      );
      for (const check of checks)
        io.stdout(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.detail}\n`);
    }
    return ok ? EXIT_OK : EXIT_FAILURE;
  },
};

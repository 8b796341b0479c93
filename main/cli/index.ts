// Entry point of the `dawsos` command (bin/dawsos.mjs loads the built copy of this file).
import { runCli } from './run';

const code = await runCli(process.argv.slice(2), {
  io: { stdout: (text) => process.stdout.write(text), stderr: (text) => process.stderr.write(text) },
  env: process.env,
  cwd: process.cwd(),
});
process.exitCode = code;

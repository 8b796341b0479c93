// The CLI host: picks the command from argv, gives it the data folder and a logger, and turns
// errors into exit codes and clear messages. In-process and testable; main/cli/index.ts runs it.
import os from 'node:os';
import { UserFacingError } from '../../shared/errors';
import { createFileLogger } from '../logging/logger';
import { newTraceId, runWithTrace } from '../logging/trace';
import { APP_VERSION } from '../version';
import { dataPaths, resolveDataDir } from '../workspace/data-dir';
import {
  EXIT_FAILURE,
  EXIT_USAGE,
  UsageError,
  type CliCommand,
  type CliContext,
  type CliIo,
} from './command';
import { commands as defaultCommands } from './commands';

export interface CliEnvironment {
  io: CliIo;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  commands?: readonly CliCommand[];
}

function helpText(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `DawsOS ${APP_VERSION}: local-first portfolio intelligence\n\nUsage: dawsos <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nData folder: $DAWSOS_HOME, or the platform's app-data folder.\n`;
}

/** The command whose name matches the most leading words of argv. */
function findCommand(
  argv: string[],
  commands: readonly CliCommand[],
): { command: CliCommand; rest: string[] } | null {
  let best: { command: CliCommand; rest: string[] } | null = null;
  for (const command of commands) {
    const words = command.name.split(' ');
    if (
      words.every((word, i) => argv[i] === word) &&
      (!best || words.length > best.command.name.split(' ').length)
    ) {
      best = { command, rest: argv.slice(words.length) };
    }
  }
  return best;
}

export async function runCli(argv: string[], environment: CliEnvironment): Promise<number> {
  const { io, env, cwd } = environment;
  const commands = environment.commands ?? defaultCommands;
  if (argv[0] === '--version' || argv[0] === '-v') {
    io.stdout(`${APP_VERSION}\n`);
    return 0;
  }
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.stdout(helpText(commands));
    return argv.length === 0 ? EXIT_USAGE : 0;
  }
  const found = findCommand(argv, commands);
  if (!found) {
    io.stderr(`dawsos: unknown command '${argv.slice(0, 2).join(' ')}'. Run 'dawsos --help'.\n`);
    return EXIT_USAGE;
  }
  const { command, rest } = found;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`Usage: ${command.usage}\n\n${command.summary}\n`);
    return 0;
  }
  const paths = dataPaths(resolveDataDir({ platform: process.platform, env, homedir: os.homedir() }));
  const logger = createFileLogger(paths.logFile, env.DAWSOS_LOG_LEVEL === 'debug' ? 'debug' : 'info');
  const context: CliContext = { io, paths, env, cwd, logger };
  const traceId = newTraceId();
  const json = rest.includes('--json');
  return runWithTrace(traceId, async () => {
    logger.info({ command: command.name }, 'cli command started');
    try {
      const code = await command.run(rest, context);
      logger.info({ command: command.name, exit: code }, 'cli command finished');
      return code;
    } catch (error) {
      if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
        io.stderr(`dawsos ${command.name}: ${(error as Error).message}\nUsage: ${command.usage}\n`);
        return EXIT_USAGE;
      }
      const known = error instanceof UserFacingError;
      const code = known ? error.code : 'INTERNAL';
      const message = known ? error.message : `Something went wrong (trace ${traceId}); see ${paths.logFile}`;
      logger.error({ command: command.name, err: error }, 'cli command failed');
      if (json) io.stdout(`${JSON.stringify({ error: { code, message } }, null, 2)}\n`);
      else io.stderr(`dawsos ${command.name}: ${message}\n`);
      return EXIT_FAILURE;
    }
  });
}

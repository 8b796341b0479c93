// What a CLI command is. Each command parses its own flags (node:util parseArgs) and returns its
// exit code: 0 success, 1 the command ran and found problems or failed, 2 bad usage.
import type { Logger } from 'pino';
import type { DataPaths } from '../workspace/data-dir';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface CliContext {
  readonly io: CliIo;
  readonly paths: DataPaths;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly logger: Logger;
}

export interface CliCommand {
  /** The words that select it, e.g. `doctor` or `ledger check`. */
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  run(args: string[], context: CliContext): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

/** Prints a value as the stable JSON the docs describe (two-space indent, trailing newline). */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

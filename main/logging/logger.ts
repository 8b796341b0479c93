// The one structured logger every host uses (pino, JSON lines). Each line carries the trace id of
// the call it belongs to, and everything passes through the redaction rules before it is written.
import pino from 'pino';
import type { Logger } from 'pino';
import { redactString, redactValue } from './redact';
import { RotatingFile } from './rotating-file';
import { currentTraceId } from './trace';

export type { Logger };

export interface LogSink {
  write(line: string): void;
}

export interface LoggerOptions {
  level?: pino.LevelWithSilent;
  /** Where lines go: a rotating file in the data folder for the app and CLI, a buffer in tests. */
  sink: LogSink;
}

export function createLogger({ level = 'info', sink }: LoggerOptions): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      mixin: () => ({ trace_id: currentTraceId() ?? null }),
      formatters: {
        level: (label) => ({ level: label }),
        log: (record) => redactValue(record) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const redacted = args.map((arg) => (typeof arg === 'string' ? redactString(arg) : arg));
          method.apply(this, redacted as Parameters<typeof method>);
        },
      },
      serializers: { err: (err: unknown) => redactValue(err) },
    },
    { write: (line: string) => sink.write(line) },
  );
}

/** The app's and CLI's log file: `<data folder>/logs/dawsos.log`, size-capped and rotated. */
export function createFileLogger(file: string, level: pino.LevelWithSilent = 'info'): Logger {
  return createLogger({ level, sink: new RotatingFile(file) });
}

/** Collects lines in memory, for tests that assert on what was logged. */
export class MemorySink implements LogSink {
  readonly lines: string[] = [];
  write(line: string): void {
    this.lines.push(line);
  }
  text(): string {
    return this.lines.join('');
  }
}

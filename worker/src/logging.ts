import { DefaultLogger, type LogEntry, type Logger, type LogLevel } from '@temporalio/worker';

/** Where the worker's log lines go: one JSON line each. */
export type LogWrite = (line: string) => void;

/** One log line as JSON: time, level, message, the service, then the entry's metadata. */
function lineOf(entry: LogEntry): string {
  return `${JSON.stringify({ time: new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString(), level: entry.level.toLowerCase(), msg: entry.message, service: 'worker', ...entry.meta })}\n`;
}

/** The logger of the worker process (passed to `Runtime.install`): structured logs, one JSON line per event. */
export function createWorkerLogger(level: LogLevel, write: LogWrite): Logger {
  return new DefaultLogger(level, (entry) => write(lineOf(entry)));
}

import { DefaultLogger, type LogEntry, type Logger, type LogLevel, type LogMetadata, type RuntimeOptions } from '@temporalio/worker';
import { BUSINESS_FAILURE } from './activities/types';

// The worker's logs are read by operators and shipped to log stores; leads are personal data. So what the
// worker logs is ids (workflow id `lead-<leadId>`, activity, attempt) and error codes, never a lead: every
// entry's metadata is rebuilt here from what is safe to print (errors by name, type, code and a trimmed
// message; strings cut short; nested data bounded), whatever the SDK, the core or our code passed in.
// Activities already throw database errors without their parameters (activities/failures.ts); this is
// the second line. And a business outcome (nobody eligible, no account) is not a failure: the SDK logs
// every non-retryable ApplicationFailure as a warning "Activity failed", which here becomes a debug line.

/** Where the worker's log lines go: one JSON line each. */
export type LogWrite = (line: string) => void;

/** The message the SDK logs when an activity throws. */
const ACTIVITY_FAILED = 'Activity failed';
/** What a business outcome is logged as instead. */
export const BUSINESS_OUTCOME = 'Activity ended with a business outcome';

const MAX_STRING = 300;
const MAX_MESSAGE = 1_000;
const MAX_ITEMS = 20;
const MAX_DEPTH = 3;
const MAX_STACK_FRAMES = 8;

/** Keys whose values are lead data or payloads (activity arguments and results, query parameters). */
const REDACTED_KEYS = new Set(['lead', 'leads', 'params', 'parameters', 'query', 'details', 'payload', 'payloads', 'input', 'args', 'arguments', 'result', 'body', 'data', 'steps', 'where', 'detail']);

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** A message as it may be logged: drizzle's parameter list cut off, email addresses masked, length bounded. */
export function safeText(text: string, max = MAX_STRING): string {
  const params = text.search(/\n\s*params:/);
  const cut = params >= 0 ? `${text.slice(0, params)} [parameters omitted]` : text;
  // Masked on a bounded prefix: the pattern's work stays small whatever the text's length.
  const masked = cut.slice(0, max + 200).replace(EMAIL, '<email>');
  return cut.length > max ? `${masked.slice(0, max)}... [${cut.length - max} more characters]` : masked;
}

/** An error as it may be logged: what it is and where it was thrown, not what it carries. */
function safeError(e: Error, depth: number): Record<string, unknown> {
  const x = e as Error & { type?: unknown; code?: unknown; nonRetryable?: unknown; cause?: unknown };
  const out: Record<string, unknown> = { name: e.name, message: safeText(e.message) };
  if (typeof x.type === 'string') out.type = safeText(x.type, 100);
  if (typeof x.code === 'string' || typeof x.code === 'number') out.code = safeText(String(x.code), 40);
  if (typeof x.nonRetryable === 'boolean') out.nonRetryable = x.nonRetryable;
  // The frames only: the stack's first line repeats the message.
  const frames = (e.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
  if (frames.length > 0) out.stack = frames.slice(0, MAX_STACK_FRAMES).map((l) => safeText(l.trim(), 200));
  if (x.cause !== undefined && x.cause !== null && depth < MAX_DEPTH) out.cause = safeValue(x.cause, depth + 1);
  return out;
}

/** Any value as it may be logged: bounded in length, items and depth; errors as `safeError`. */
function safeValue(v: unknown, depth: number): unknown {
  if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'number') return v;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'string') return safeText(v);
  if (v instanceof Error) return safeError(v, depth);
  if (v instanceof Date) return v.toISOString();
  if (typeof v !== 'object') return `[${typeof v}]`;
  if (depth >= MAX_DEPTH) return '[object]';
  if (Array.isArray(v)) {
    const items = v.slice(0, MAX_ITEMS).map((x) => safeValue(x, depth + 1));
    return v.length > MAX_ITEMS ? [...items, `[${v.length - MAX_ITEMS} more]`] : items;
  }
  const out: Record<string, unknown> = {};
  let n = 0;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (n++ >= MAX_ITEMS) {
      out['[more]'] = true;
      break;
    }
    out[k] = REDACTED_KEYS.has(k) ? '[redacted]' : safeValue(x, depth + 1);
  }
  return out;
}

/** Log metadata as it may be logged (symbol keys, such as the SDK's timestamp, are kept as they are). */
export function safeMeta(meta: LogMetadata | undefined): LogMetadata | undefined {
  if (meta === undefined) return undefined;
  const out: LogMetadata = {};
  for (const [k, v] of Object.entries(meta)) out[k] = REDACTED_KEYS.has(k) ? '[redacted]' : safeValue(v, 0);
  for (const s of Object.getOwnPropertySymbols(meta)) (out as Record<symbol, unknown>)[s] = (meta as Record<symbol, unknown>)[s];
  return out;
}

/** A business outcome the SDK logged as a failed activity: the ApplicationFailure of type BUSINESS_FAILURE. */
function businessOutcome(message: string, meta: LogMetadata | undefined): { error: Error & { type?: unknown } } | null {
  if (message !== ACTIVITY_FAILED || meta === undefined) return null;
  const error = meta.error;
  return error instanceof Error && (error as { type?: unknown }).type === BUSINESS_FAILURE ? { error } : null;
}

/**
 * The worker's Runtime logger: entries' metadata made safe to print (`safeMeta`), and business outcomes
 * logged at DEBUG as outcomes (`BUSINESS_OUTCOME`, with the outcome's message) instead of WARN failures.
 */
const RANK: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

export class WorkerLogger implements Logger {
  constructor(
    private readonly inner: Logger,
    /** Entries below this level are dropped before their metadata is made safe (the SDK logs every activity at DEBUG). */
    private readonly min: LogLevel = 'TRACE',
  ) {}

  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    const outcome = businessOutcome(message, meta);
    if (RANK[outcome !== null ? 'DEBUG' : level] < RANK[this.min]) return;
    if (outcome !== null) {
      const { error: _error, ...rest } = meta ?? {};
      this.inner.log('DEBUG', BUSINESS_OUTCOME, safeMeta({ ...rest, outcome: outcome.error.message }));
      return;
    }
    this.inner.log(level, safeText(message, MAX_MESSAGE), safeMeta(meta));
  }
  trace(message: string, meta?: LogMetadata): void {
    this.log('TRACE', message, meta);
  }
  debug(message: string, meta?: LogMetadata): void {
    this.log('DEBUG', message, meta);
  }
  info(message: string, meta?: LogMetadata): void {
    this.log('INFO', message, meta);
  }
  warn(message: string, meta?: LogMetadata): void {
    this.log('WARN', message, meta);
  }
  error(message: string, meta?: LogMetadata): void {
    this.log('ERROR', message, meta);
  }
}

/** One log line as JSON: time, level, message, the service, then the entry's (already safe) metadata. */
function lineOf(entry: LogEntry): string {
  return `${JSON.stringify({ time: new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString(), level: entry.level.toLowerCase(), msg: entry.message, service: 'worker', ...entry.meta })}\n`;
}

/** The logger of the worker process: structured logs, one JSON line per event, made safe by `WorkerLogger`. */
export function createWorkerLogger(level: LogLevel, write: LogWrite): Logger {
  return new WorkerLogger(new DefaultLogger(level, (entry) => write(lineOf(entry))), level);
}

/**
 * The worker's `Runtime.install` options: its logger, and the SDK core's own logs (connection trouble,
 * task failures) forwarded to it, so they too are JSON lines that went through `WorkerLogger`, instead of
 * text the core prints to the console by itself.
 */
export function workerRuntimeOptions(level: LogLevel, write: LogWrite): RuntimeOptions {
  return { logger: createWorkerLogger(level, write), telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } } };
}

import type { Sql } from 'postgres';

/**
 * Which statements a connection keeps prepared. drizzle asks postgres.js for an unnamed statement on every
 * query it has not been told to `.prepare()`: PostgreSQL parses and plans it each time, and postgres.js first
 * describes it in a round trip of its own and sends nothing else on that connection meanwhile (no pipelining).
 * The routing path runs the same few texts for every lead, so a text is prepared (parsed once per connection,
 * one round trip a query, pipelined) once it has recurred; texts built for one request (a search's filters,
 * a long id list) stay unnamed, so no connection accumulates a statement per request. The set is bounded.
 */
export class PreparedTexts {
  private readonly hot = new Set<string>();
  private readonly seen = new Map<string, number>();

  constructor(
    /** Runs of a text before it is prepared. */
    private readonly after = 3,
    /** Prepared texts at most (per process; each connection prepares those it runs). */
    private readonly maxHot = 500,
    /** Texts counted at most before the count starts again. */
    private readonly maxSeen = 5_000,
    /** Longer texts are never prepared (a long text is a built one). */
    private readonly maxLength = 20_000,
  ) {}

  /** Whether to run `text` as a prepared statement; counts this run. */
  shouldPrepare(text: string): boolean {
    if (this.hot.has(text)) return true;
    if (this.hot.size >= this.maxHot || text.length > this.maxLength) return false;
    const runs = (this.seen.get(text) ?? 0) + 1;
    if (runs >= this.after) {
      this.seen.delete(text);
      this.hot.add(text);
      return true;
    }
    if (this.seen.size >= this.maxSeen) this.seen.clear();
    this.seen.set(text, runs);
    return false;
  }

  get size(): number {
    return this.hot.size;
  }
}

type UnsafeOptions = { prepare?: boolean } & Record<string, unknown>;
type Callback = (client: Sql) => unknown;

/**
 * `sql` (a postgres.js client, or a transaction's) as drizzle sees it, whose queries are prepared as `texts`
 * says; the transactions and savepoints it opens hand out clients that do the same.
 */
export function preparing<T extends Sql>(sql: T, texts: PreparedTexts): T {
  return new Proxy(sql, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (text: string, args?: unknown[], options?: UnsafeOptions) =>
          target.unsafe(text, (args ?? []) as never, { ...options, prepare: options?.prepare === true || texts.shouldPrepare(text) } as never);
      }
      if (prop === 'begin' || prop === 'savepoint') {
        const open = Reflect.get(target, prop, receiver) as (...a: unknown[]) => unknown;
        return (...a: unknown[]) => {
          const fn = a.pop() as Callback;
          return open(...a, (client: Sql) => fn(preparing(client, texts)));
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

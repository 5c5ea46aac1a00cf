// A private protocol between `MemoryRoutingState` and `chooseAssignee`, not exported by the package.
//
// `wrrCurrent` hands callers a read-only view (a Proxy that ignores writes), because a caller must be able
// neither to change the state through it nor to break its own later reads. Reading through a Proxy costs
// tens of nanoseconds per key, and weighted round-robin reads every member's counter on every choice; so
// the memory state also offers the plain record behind the view under this symbol, for `chooseAssignee`
// alone, which only reads it. Any other `RoutingStateView` is read through `wrrCurrent` as before.
import type { RoutingStateView } from './types';

/** The method, keyed by this symbol, that returns a pool's counters without the read-only view. */
export const PLAIN_COUNTERS: unique symbol = Symbol('plainWrrCounters');

interface WithPlainCounters {
  [PLAIN_COUNTERS](poolKey: string): Readonly<Record<string, number>>;
}

/** The pool's counters, for reading only: the plain record when the state offers it, else `wrrCurrent`. */
export function readCounters(state: RoutingStateView, poolKey: string): Readonly<Record<string, number>> {
  const plain = (state as RoutingStateView & Partial<WithPlainCounters>)[PLAIN_COUNTERS];
  return typeof plain === 'function' ? plain.call(state, poolKey) : state.wrrCurrent(poolKey);
}

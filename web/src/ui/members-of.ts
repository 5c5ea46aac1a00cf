/**
 * The members of a union type as a list, in the order written, for a select's options. The record must name
 * every member, so when the server's type gains one (a new role, say), TypeScript names it here instead of
 * the select silently lacking it.
 * @example const STATUSES = membersOf<RunStatus>({ queued: true, running: true, waiting: true, completed: true, failed: true });
 */
export function membersOf<K extends string>(all: Record<K, true>): readonly K[] {
  return Object.keys(all) as K[];
}

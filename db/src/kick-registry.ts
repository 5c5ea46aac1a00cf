/**
 * Per-database registrations of a background loop a request can wake early (the outbox dispatcher, the backfill
 * runner): a request that wrote work for it kicks it instead of waiting for its next poll. A kick is only a
 * hint and never throws; with nothing registered it does nothing.
 */
export function kickRegistry(): { set(db: object, loop: { kick(): void } | null): void; kick(db: object): void } {
  const registry = new WeakMap<object, { kick(): void }>();
  return {
    set(db, loop) {
      if (loop) registry.set(db, loop);
      else registry.delete(db);
    },
    kick(db) {
      try {
        registry.get(db)?.kick();
      } catch {
        // Only a hint: the loop's poll finds the work anyway.
      }
    },
  };
}

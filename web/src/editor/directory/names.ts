// The names the builder shows for the directory's ids (reps, teams, queues, territories): pure, so summaries
// and result tables stay plain functions of their input and a lookup.

/** What a lookup reads of the directory: each kind's records, with their names. */
export interface NamedDirectory {
  reps: readonly { id: string; name: string }[];
  teams: readonly { id: string; name: string }[];
  queues: readonly { id: string; name: string }[];
  territories: readonly { id: string; name: string }[];
}

/** A directory kind that has names. */
export type NamedKind = keyof NamedDirectory;

/**
 * Names by id. An id the directory does not have (removed, or the directory not loaded yet) comes back as
 * it is, so nothing reads blank. `assignee` reads a rep's or a queue's id, as results name either.
 */
export interface DirectoryNames {
  name: (kind: NamedKind, id: string) => string;
  assignee: (id: string) => string;
}

/** The lookup of a directory. */
export function directoryNames(dir: NamedDirectory): DirectoryNames {
  const maps = {
    reps: new Map(dir.reps.map((r) => [r.id, r.name])),
    teams: new Map(dir.teams.map((r) => [r.id, r.name])),
    queues: new Map(dir.queues.map((r) => [r.id, r.name])),
    territories: new Map(dir.territories.map((r) => [r.id, r.name])),
  };
  return {
    name: (kind, id) => maps[kind].get(id) ?? id,
    assignee: (id) => maps.reps.get(id) ?? maps.queues.get(id) ?? id,
  };
}

/** The lookup that knows no names: every id reads as itself (tooltips, and pages without a directory). */
export const ID_NAMES: DirectoryNames = directoryNames({ reps: [], teams: [], queues: [], territories: [] });

import { GRAPH_SCHEMA_VERSION } from './graph';

/**
 * Upgrades of the graph document, one per schema version: `UPGRADES[n]` turns a version-n document into
 * version n+1. Each is a pure function over plain JSON. Version 1 is the first; none exist yet.
 */
const UPGRADES: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {};

export type MigrationResult =
  | { ok: true; doc: Record<string, unknown>; from: number }
  | { ok: false; message: string };

/** Brings a graph document of any known version up to the current one. A document without a version is taken as version 1. */
export function migrateGraph(doc: Record<string, unknown>): MigrationResult {
  const raw = doc.schemaVersion ?? 1;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1) {
    return { ok: false, message: `schemaVersion must be a whole number from 1 to ${GRAPH_SCHEMA_VERSION}` };
  }
  if (raw > GRAPH_SCHEMA_VERSION) {
    return {
      ok: false,
      message: `This graph has schemaVersion ${raw}, but this product reads up to ${GRAPH_SCHEMA_VERSION}. Upgrade the product to open it.`,
    };
  }
  let current = { ...doc, schemaVersion: raw };
  for (let v = raw; v < GRAPH_SCHEMA_VERSION; v++) {
    const up = UPGRADES[v];
    if (!up) return { ok: false, message: `No upgrade from schemaVersion ${v}` };
    current = { ...up(current), schemaVersion: v + 1 };
  }
  return { ok: true, doc: current, from: raw };
}

import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';

/**
 * The embedded database (`npm start` without DATABASE_URL): PGlite on disk, with the extensions the
 * migrations create (pg_trgm: the lead list's search index, migration lead-search). PGlite ships contrib
 * extensions as modules that must be loaded when the instance is made; a migration's CREATE EXTENSION then
 * finds it.
 */
export function createPglite(dataDir: string): Promise<PGlite> {
  return PGlite.create({ dataDir, extensions: { pg_trgm } });
}

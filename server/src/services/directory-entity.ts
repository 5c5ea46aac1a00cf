import { IdSchema } from '@lead-router/shared';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Principal } from '../auth/principal';
import type { Db, Tx } from '@lead-router/db/client';
import { reps } from '@lead-router/db/schema';
import { DomainError, invalidInput, notFound, zodDetails, type ErrorDetail } from '../errors/domain-error';
import { audit } from './audit.service';
import { assertStorable } from './storable-text';

// What every kind of directory entry (reps, teams, territories, accounts, queues) shares. Ids are the
// author-facing ones graphs name (`rep-ana`), unique per workspace. The database has no foreign keys
// between these tables (references live in JSON lists), so the directory services keep them valid: every
// write checks that the reps it names exist and locks them FOR KEY SHARE, while deleting a rep first locks
// it FOR UPDATE, so a concurrent write naming it either sees it gone (`unknown_reference`) or is seen by
// the delete's reference check (`in_use`).

/** The kinds of directory entries; also the audit log's entity types. */
export type DirectoryKind = 'rep' | 'team' | 'territory' | 'account' | 'queue' | 'company' | 'custom_field';

/**
 * The most entries of each kind a workspace may hold: the shared DirectorySchema's maxima. More would make
 * the workspace's directory snapshot invalid, and with it every compile and test run.
 */
export const DIRECTORY_LIMITS: Record<DirectoryKind, number> = {
  rep: 10_000,
  team: 1_000,
  territory: 1_000,
  account: 200_000,
  queue: 1_000,
  company: 200_000,
  custom_field: 500,
};

/** A place that names a rep, as `{ path in the written entity, rep id }`. */
export interface RepRef {
  path: string;
  repId: string;
}

/** Serialises creations of one kind in one workspace, so two at once cannot both slip under the limit. */
export async function lockKind(tx: Tx, workspaceId: string, kind: DirectoryKind): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`directory:${workspaceId}:${kind}`}, 0))`);
}

/** Refuses (`limit_reached`) when the workspace holds more of a kind than the directory may. */
export async function assertWithinLimit(tx: Tx, workspaceId: string, kind: DirectoryKind, count: number): Promise<void> {
  const max = DIRECTORY_LIMITS[kind];
  if (count > max) {
    throw new DomainError('limit_reached', `A workspace can hold at most ${max} ${plural(kind)}; this would make ${count}. Delete some first.`);
  }
}

/**
 * Checks that every rep named in `refs` exists in the workspace and holds a key-share lock on each until the
 * transaction ends (a concurrent delete waits). An `unknown_reference` lists each unknown one at its path.
 */
export async function assertRepsExist(tx: Tx, workspaceId: string, refs: readonly RepRef[]): Promise<void> {
  if (refs.length === 0) return;
  // Sorted, so two writers lock shared reps in the same order and cannot deadlock.
  const ids = [...new Set(refs.map((r) => r.repId))].sort();
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = await tx
      .select({ id: reps.id })
      .from(reps)
      .where(and(eq(reps.workspaceId, workspaceId), inArray(reps.id, ids.slice(i, i + 5000))))
      .orderBy(reps.id)
      .for('key share');
    for (const r of rows) found.add(r.id);
  }
  const missing = refs.filter((r) => !found.has(r.repId));
  if (missing.length === 0) return;
  const details: ErrorDetail[] = missing.map((r) => ({ path: r.path, message: `there is no rep "${r.repId}" in this workspace`, code: 'unknown_rep' }));
  const first = missing[0] as RepRef;
  throw new DomainError(
    'unknown_reference',
    missing.length === 1
      ? `${first.path}: there is no rep "${first.repId}" in this workspace. Create the rep first, or pick an existing one.`
      : `${missing.length} references name reps that are not in this workspace (first: ${first.path} "${first.repId}"). Create them first, or pick existing reps.`,
    details,
  );
}

/** `%text%` for ILIKE, with the pattern characters in `text` taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function plural(kind: DirectoryKind): string {
  return { rep: 'reps', team: 'teams', territory: 'territories', account: 'accounts', queue: 'queues', company: 'companies', custom_field: 'custom fields' }[kind];
}

/** An id as messages show it: at most 80 characters. */
export function shown(id: string): string {
  return id.length > 80 ? `${id.slice(0, 77)}...` : id;
}

/** An entity that a PATCH would leave invalid, or a body whose id differs from the path's. */
function idMismatch(bodyId: string, pathId: string): never {
  throw invalidInput([{ path: 'id', message: `the id cannot be changed: the body says "${bodyId}" but the path names "${pathId}"` }]);
}

/** The row lock a read takes. */
export type Lock = 'update' | 'no key update';

/** What the generic create/replace/patch/delete need to know of one kind of entry. */
export interface Store<M extends { id: string }> {
  kind: DirectoryKind;
  /** "Rep", for messages. */
  title: string;
  /** The whole entity's body schema: a patched entity must pass it too. */
  schema: z.ZodType<M>;
  normalize?(m: M): M;
  /** The reps the entity names, each at its path. */
  refs(m: M): RepRef[];
  /** Checks beyond existence (a rep managing itself, a loop of managers); `before` is null on create. */
  check?(tx: Tx, workspaceId: string, next: M, before: M | null): Promise<void>;
  find(db: Db | Tx, workspaceId: string, id: string, lock?: Lock): Promise<M | undefined>;
  /** Undefined when the id is taken. */
  insert(tx: Tx, workspaceId: string, m: M): Promise<M | undefined>;
  update(tx: Tx, workspaceId: string, m: M): Promise<M>;
  remove(tx: Tx, workspaceId: string, id: string): Promise<boolean>;
  count(tx: Tx, workspaceId: string): Promise<number>;
}

/** The body of a PUT: the whole entity; repeating the id is allowed, changing it is not. */
export type Replacement<M extends { id: string }> = Omit<M, 'id'> & { id?: string | undefined };

/** Reads and writes of one kind of directory entry, scoped to the caller's workspace; every write is audited. */
export interface EntityService<M extends { id: string }> {
  /** The entry, or `not_found` (also for another workspace's entry and for ids that cannot exist). */
  get(db: Db | Tx, workspaceId: string, id: string): Promise<M>;
  /** Creates it: `duplicate_id` when the id is taken, `unknown_reference` when it names unknown reps. */
  create(db: Db, p: Principal, input: M): Promise<M>;
  /** Replaces it whole: `not_found` when missing. */
  replace(db: Db, p: Principal, id: string, input: Replacement<M>): Promise<M>;
  /** Changes the given fields; the result must still be a valid entry (`invalid_request` naming the field otherwise). */
  patch(db: Db, p: Principal, id: string, changes: Partial<M>): Promise<M>;
}

/** Get, create, replace and patch over a store: ids checked, bodies kept storable, references checked, writes audited. */
export function entityService<M extends { id: string }>(s: Store<M>): EntityService<M> {
  const checkId = (id: string) => {
    if (!IdSchema.safeParse(id).success) throw notFound(`${s.title} ${shown(id)}`);
  };
  const normalize = (m: M) => (s.normalize ? s.normalize(m) : m);

  const saveExisting = async (tx: Tx, p: Principal, before: M, next: M): Promise<M> => {
    await s.check?.(tx, p.workspaceId, next, before);
    await assertRepsExist(tx, p.workspaceId, s.refs(next));
    const saved = await s.update(tx, p.workspaceId, next);
    const changed = Object.keys({ ...before, ...saved }).filter(
      (k) => JSON.stringify((before as Record<string, unknown>)[k]) !== JSON.stringify((saved as Record<string, unknown>)[k]),
    );
    await audit(tx, p, p.workspaceId, `${s.kind}.update`, { type: s.kind, id: saved.id }, { changed, after: saved });
    return saved;
  };

  return {
    async get(db, workspaceId, id) {
      checkId(id);
      const found = await s.find(db, workspaceId, id);
      if (!found) throw notFound(`${s.title} ${shown(id)}`);
      return found;
    },

    async create(db, p, input) {
      assertStorable(input);
      const next = normalize(input);
      return db.transaction(async (tx) => {
        await lockKind(tx, p.workspaceId, s.kind);
        const created = await s.insert(tx, p.workspaceId, next);
        if (!created) {
          throw new DomainError('duplicate_id', `A ${s.title.toLowerCase()} with the id "${next.id}" already exists. Choose another id, or change the existing one with PUT or PATCH.`, [
            { path: 'id', message: `"${next.id}" is already taken` },
          ]);
        }
        await s.check?.(tx, p.workspaceId, next, null);
        await assertRepsExist(tx, p.workspaceId, s.refs(next));
        await assertWithinLimit(tx, p.workspaceId, s.kind, await s.count(tx, p.workspaceId));
        await audit(tx, p, p.workspaceId, `${s.kind}.create`, { type: s.kind, id: created.id }, { after: created });
        return created;
      });
    },

    async replace(db, p, id, input) {
      checkId(id);
      if (input.id !== undefined && input.id !== id) idMismatch(input.id, id);
      assertStorable(input);
      const next = normalize({ ...input, id } as M);
      return db.transaction(async (tx) => {
        const before = await s.find(tx, p.workspaceId, id, 'no key update');
        if (!before) throw notFound(`${s.title} ${shown(id)}`);
        return saveExisting(tx, p, before, next);
      });
    },

    async patch(db, p, id, changes) {
      checkId(id);
      if (changes.id !== undefined && changes.id !== id) idMismatch(changes.id, id);
      assertStorable(changes);
      return db.transaction(async (tx) => {
        const before = await s.find(tx, p.workspaceId, id, 'no key update');
        if (!before) throw notFound(`${s.title} ${shown(id)}`);
        const parsed = s.schema.safeParse({ ...before, ...changes, id });
        if (!parsed.success) throw invalidInput(zodDetails(parsed.error));
        return saveExisting(tx, p, before, normalize(parsed.data));
      });
    },
  };
}

/** An entity service whose entries nothing in the directory names, so they can be deleted as they are. */
export interface RemovableEntityService<M extends { id: string }> extends EntityService<M> {
  /** Deletes it: `not_found` when missing. */
  remove(db: Db, p: Principal, id: string): Promise<void>;
}

/** entityService with `remove`: for teams, territories, accounts and queues, which nothing in the directory references. */
export function removableEntityService<M extends { id: string }>(s: Store<M>): RemovableEntityService<M> {
  return {
    ...entityService(s),
    async remove(db, p, id) {
      if (!IdSchema.safeParse(id).success) throw notFound(`${s.title} ${shown(id)}`);
      await db.transaction(async (tx) => {
        if (!(await s.remove(tx, p.workspaceId, id))) throw notFound(`${s.title} ${shown(id)}`);
        await audit(tx, p, p.workspaceId, `${s.kind}.delete`, { type: s.kind, id });
      });
    },
  };
}

/** A page of a listing ordered by id or domain; `nextCursor` continues it, null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

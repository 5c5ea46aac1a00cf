import { repFromRow } from './directory-snapshot';
import { IdSchema, type Account, type Queue, type Rep, type Team, type Territory } from '@lead-router/shared';
import type { z } from 'zod';
import { and, asc, eq, gt, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Db, Tx } from '../db/client';
import { accounts, queues, reps, teams, territories } from '../db/schema';
import { DomainError, invalidInput, notFound, zodDetails, type ErrorDetail } from '../errors/domain-error';
import { audit } from './audit.service';
import { AccountBodySchema, QueueBodySchema, RepBodySchema, TeamBodySchema, TerritoryBodySchema, assertStorable, normalizeDomains } from './directory-inputs';

// The directory's reps, teams, territories, accounts and queues. Ids are the author-facing ones graphs name
// (`rep-ana`), unique per workspace. The database has no foreign keys between these tables (references
// live in JSON lists), so this module keeps them valid: every write checks that the reps it names exist and
// locks them FOR KEY SHARE, while deleting a rep first locks it FOR UPDATE, so a concurrent write naming it
// either sees it gone (`unknown_reference`) or is seen by the delete's reference check (`in_use`).

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

function shown(id: string): string {
  return id.length > 80 ? `${id.slice(0, 77)}...` : id;
}

/** An entity that a PATCH would leave invalid, or a body whose id differs from the path's. */
function idMismatch(bodyId: string, pathId: string): never {
  throw invalidInput([{ path: 'id', message: `the id cannot be changed: the body says "${bodyId}" but the path names "${pathId}"` }]);
}

type Lock = 'update' | 'no key update';

/** What the generic create/replace/patch/delete need to know of one kind of entry. */
interface Store<M extends { id: string }> {
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

function entityService<M extends { id: string }>(s: Store<M>): EntityService<M> {
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

/** Deletes a team, territory, account or queue: `not_found` when missing. Nothing in the directory references them. */
async function removeEntry<M extends { id: string }>(s: Store<M>, db: Db, p: Principal, id: string): Promise<void> {
  if (!IdSchema.safeParse(id).success) throw notFound(`${s.title} ${shown(id)}`);
  await db.transaction(async (tx) => {
    if (!(await s.remove(tx, p.workspaceId, id))) throw notFound(`${s.title} ${shown(id)}`);
    await audit(tx, p, p.workspaceId, `${s.kind}.delete`, { type: s.kind, id });
  });
}

// ---- Reps ------------------------------------------------------------------------------------------------


export { repFromRow };

/** A rep's columns (all but the workspace and id), as every write of a rep stores them. */
export function repColumns(r: Rep) {
  return {
    name: r.name,
    email: r.email,
    timeZone: r.timeZone,
    workingHours: r.workingHours ?? null,
    outOfOffice: r.outOfOffice,
    skills: r.skills,
    capPerDay: r.caps.perDay ?? null,
    capOpenLeads: r.caps.openLeads ?? null,
    active: r.active,
    managerId: r.managerId ?? null,
  };
}

const repWhere = (workspaceId: string, id: string) => and(eq(reps.workspaceId, workspaceId), eq(reps.id, id));

/** A rep may not manage themselves, nor close a loop of managers (escalating "to the manager" must end). */
async function checkManager(tx: Tx, workspaceId: string, next: Rep, before: Rep | null): Promise<void> {
  const managerId = next.managerId ?? null;
  if (managerId === null || (before !== null && (before.managerId ?? null) === managerId)) return;
  if (managerId === next.id) {
    throw new DomainError('invalid_reference', 'A rep cannot be their own manager.', [{ path: 'managerId', message: 'a rep cannot be their own manager', code: 'manager_cycle' }]);
  }
  if (before === null) return; // nobody reports to a rep that did not exist yet
  await lockKind(tx, workspaceId, 'rep');
  const rows = await tx.select({ id: reps.id, managerId: reps.managerId }).from(reps).where(eq(reps.workspaceId, workspaceId));
  const managerOf = new Map(rows.map((r) => [r.id, r.managerId]));
  const chain: string[] = [];
  for (let cur: string | null | undefined = managerId; cur; cur = managerOf.get(cur)) {
    if (cur === next.id) {
      const loop = [next.id, ...chain, next.id].join(' -> ');
      throw new DomainError('invalid_reference', `Managers would go round in a loop: ${loop}.`, [
        { path: 'managerId', message: `"${managerId}" already reports, directly or not, to "${next.id}" (${loop})`, code: 'manager_cycle' },
      ]);
    }
    if (chain.includes(cur)) break;
    chain.push(cur);
  }
}

const repStore: Store<Rep> = {
  kind: 'rep',
  title: 'Rep',
  schema: RepBodySchema,
  refs: (r) => (r.managerId ? [{ path: 'managerId', repId: r.managerId }] : []),
  check: checkManager,
  async find(db, workspaceId, id, lock) {
    const q = db.select().from(reps).where(repWhere(workspaceId, id)).limit(1);
    const [row] = lock ? await q.for(lock) : await q;
    return row && repFromRow(row);
  },
  async insert(tx, workspaceId, r) {
    const [row] = await tx
      .insert(reps)
      .values({ workspaceId, id: r.id, ...repColumns(r) })
      .onConflictDoNothing()
      .returning();
    return row && repFromRow(row);
  },
  async update(tx, workspaceId, r) {
    const [row] = await tx.update(reps).set(repColumns(r)).where(repWhere(workspaceId, r.id)).returning();
    if (!row) throw new Error(`rep ${r.id} vanished while locked`);
    return repFromRow(row);
  },
  async remove(tx, workspaceId, id) {
    return (await tx.delete(reps).where(repWhere(workspaceId, id)).returning({ id: reps.id })).length > 0;
  },
  count: (tx, workspaceId) => tx.$count(reps, eq(reps.workspaceId, workspaceId)),
};

/** Reps: get, create, replace, patch (delete is `deleteRep`, which guards references). */
export const repService = entityService(repStore);

/** The workspace's reps in directory order, optionally only (in)active ones or those whose name or email contains `q`. */
export async function listReps(db: Db | Tx, workspaceId: string, filter: { active?: boolean; q?: string } = {}): Promise<Rep[]> {
  const where: SQL[] = [eq(reps.workspaceId, workspaceId)];
  if (filter.active !== undefined) where.push(eq(reps.active, filter.active));
  if (filter.q) {
    const match = or(ilike(reps.name, containsPattern(filter.q)), ilike(reps.email, containsPattern(filter.q)));
    if (match) where.push(match);
  }
  const rows = await db
    .select()
    .from(reps)
    .where(and(...where))
    .orderBy(asc(reps.createdAt), asc(reps.id));
  return rows.map(repFromRow);
}

/** Something in the directory that names a rep. */
export interface RepReference {
  type: 'team' | 'territory' | 'account' | 'rep';
  id: string;
  name: string;
  /** Where it names the rep. */
  field: 'members' | 'managerId' | 'repIds' | 'ownerId';
  message: string;
}

/** How many entries of each kind name a rep, and (at most `REFERENCE_SAMPLE` of each kind) which. */
export interface RepUsage {
  counts: { teams: number; territories: number; accounts: number; reps: number };
  references: RepReference[];
}

/** How many references of each kind a usage report lists by name; the counts are always complete. */
export const REFERENCE_SAMPLE = 1000;

/** Where the directory still names a rep: teams (member or manager), territories, accounts (owner), reps (manager). */
export async function findRepUsage(db: Db | Tx, workspaceId: string, repId: string): Promise<RepUsage> {
  const asMember = sql`${teams.members} @> ${JSON.stringify([{ repId }])}::jsonb`;
  const teamRows = await db
    .select({ id: teams.id, name: teams.name, managerId: teams.managerId, member: sql<boolean>`${asMember}` })
    .from(teams)
    .where(and(eq(teams.workspaceId, workspaceId), or(eq(teams.managerId, repId), asMember)))
    .orderBy(teams.id);
  const territoryRows = await db
    .select({ id: territories.id, name: territories.name })
    .from(territories)
    .where(and(eq(territories.workspaceId, workspaceId), sql`${territories.repIds} @> ${JSON.stringify([repId])}::jsonb`))
    .orderBy(territories.id);
  const owned = and(eq(accounts.workspaceId, workspaceId), eq(accounts.ownerId, repId));
  const accountRows = await db.select({ id: accounts.id, name: accounts.name }).from(accounts).where(owned).orderBy(accounts.id).limit(REFERENCE_SAMPLE);
  const accountCount = accountRows.length < REFERENCE_SAMPLE ? accountRows.length : await db.$count(accounts, owned);
  const reportRows = await db
    .select({ id: reps.id, name: reps.name })
    .from(reps)
    .where(and(eq(reps.workspaceId, workspaceId), eq(reps.managerId, repId)))
    .orderBy(reps.id);

  const references: RepReference[] = [];
  for (const t of teamRows) {
    if (t.member) references.push({ type: 'team', id: t.id, name: t.name, field: 'members', message: `member of the team "${t.name}"` });
    if (t.managerId === repId) references.push({ type: 'team', id: t.id, name: t.name, field: 'managerId', message: `manager of the team "${t.name}"` });
  }
  for (const t of territoryRows) references.push({ type: 'territory', id: t.id, name: t.name, field: 'repIds', message: `covers the territory "${t.name}"` });
  for (const a of accountRows) references.push({ type: 'account', id: a.id, name: a.name, field: 'ownerId', message: `owner of the account "${a.name}"` });
  for (const r of reportRows.slice(0, REFERENCE_SAMPLE)) references.push({ type: 'rep', id: r.id, name: r.name, field: 'managerId', message: `manager of ${r.name}` });
  return { counts: { teams: teamRows.length, territories: territoryRows.length, accounts: accountCount, reps: reportRows.length }, references };
}

/** Locks the teams, territories, accounts and reps that name a rep, in that order. */
async function lockRepReferrers(tx: Tx, workspaceId: string, repId: string): Promise<void> {
  await tx
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.workspaceId, workspaceId), or(eq(teams.managerId, repId), sql`${teams.members} @> ${JSON.stringify([{ repId }])}::jsonb`)))
    .orderBy(teams.id)
    .for('update');
  await tx
    .select({ id: territories.id })
    .from(territories)
    .where(and(eq(territories.workspaceId, workspaceId), sql`${territories.repIds} @> ${JSON.stringify([repId])}::jsonb`))
    .orderBy(territories.id)
    .for('update');
  await tx
    .select({ id: accounts.id })
    .from(accounts)
    .where(and(eq(accounts.workspaceId, workspaceId), eq(accounts.ownerId, repId)))
    .orderBy(accounts.id)
    .for('update');
  await tx
    .select({ id: reps.id })
    .from(reps)
    .where(and(eq(reps.workspaceId, workspaceId), eq(reps.managerId, repId)))
    .orderBy(reps.id)
    .for('update');
}

function describeUsage(c: RepUsage['counts']): string {
  const parts: string[] = [];
  const n = (k: number, one: string, many: string) => `${k} ${k === 1 ? one : many}`;
  if (c.teams) parts.push(n(c.teams, 'team', 'teams'));
  if (c.territories) parts.push(n(c.territories, 'territory', 'territories'));
  if (c.accounts) parts.push(n(c.accounts, 'account (as owner)', 'accounts (as owner)'));
  if (c.reps) parts.push(n(c.reps, 'rep (as their manager)', 'reps (as their manager)'));
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * Deletes a rep. While teams, territories, accounts or other reps still name the rep, refuses with
 * `in_use` listing them, and suggests deactivating instead; with `force`, removes the rep from those teams
 * and territories and clears it as account owner and manager (nothing else is deactivated), then deletes.
 */
export async function deleteRep(db: Db, p: Principal, id: string, options: { force?: boolean } = {}): Promise<RepUsage> {
  if (!IdSchema.safeParse(id).success) throw notFound(`Rep ${shown(id)}`);
  const ws = p.workspaceId;
  return db.transaction(async (tx) => {
    // Every writer locks the entry it writes before the reps it names; a forced delete, which rewrites the
    // entries naming this rep, takes their locks in that same order (entries, then the rep), so the two
    // never wait on each other in a circle.
    if (options.force) await lockRepReferrers(tx, ws, id);
    // Writers naming this rep hold a key-share lock on it: once this FOR UPDATE is granted, none can add a
    // reference the check below would miss.
    const [row] = await tx.select({ id: reps.id }).from(reps).where(repWhere(ws, id)).for('update');
    if (!row) throw notFound(`Rep ${shown(id)}`);
    const usage = await findRepUsage(tx, ws, id);
    const inUse = usage.references.length > 0;
    if (inUse && !options.force) {
      throw new DomainError(
        'in_use',
        `Rep ${id} is still used by ${describeUsage(usage.counts)}. Deactivate the rep instead (PATCH /api/reps/${id} with {"active": false}): ` +
          'they stop receiving leads and every reference stays valid. To delete anyway, send DELETE with ?force=true, which removes the rep ' +
          'from those teams and territories and clears them as account owner and manager.',
        usage.references,
      );
    }
    if (inUse) {
      const teamRows = await tx
        .select()
        .from(teams)
        .where(and(eq(teams.workspaceId, ws), or(eq(teams.managerId, id), sql`${teams.members} @> ${JSON.stringify([{ repId: id }])}::jsonb`)))
        .orderBy(teams.id)
        .for('update');
      for (const t of teamRows) {
        await tx
          .update(teams)
          .set({ members: t.members.filter((m) => m.repId !== id), managerId: t.managerId === id ? null : t.managerId })
          .where(and(eq(teams.workspaceId, ws), eq(teams.id, t.id)));
      }
      const territoryRows = await tx
        .select()
        .from(territories)
        .where(and(eq(territories.workspaceId, ws), sql`${territories.repIds} @> ${JSON.stringify([id])}::jsonb`))
        .orderBy(territories.id)
        .for('update');
      for (const t of territoryRows) {
        await tx
          .update(territories)
          .set({ repIds: t.repIds.filter((r) => r !== id) })
          .where(and(eq(territories.workspaceId, ws), eq(territories.id, t.id)));
      }
      await tx.update(accounts).set({ ownerId: null }).where(and(eq(accounts.workspaceId, ws), eq(accounts.ownerId, id)));
      await tx.update(reps).set({ managerId: null }).where(and(eq(reps.workspaceId, ws), eq(reps.managerId, id)));
    }
    await tx.delete(reps).where(repWhere(ws, id));
    await audit(tx, p, ws, 'rep.delete', { type: 'rep', id }, { force: options.force === true, removedReferences: usage.counts, references: usage.references.slice(0, 100) });
    return usage;
  });
}

// ---- Teams -----------------------------------------------------------------------------------------------

type TeamRow = typeof teams.$inferSelect;

function teamFromRow(x: TeamRow): Team {
  return { id: x.id, name: x.name, members: x.members, managerId: x.managerId };
}

const teamWhere = (workspaceId: string, id: string) => and(eq(teams.workspaceId, workspaceId), eq(teams.id, id));

const teamStore: Store<Team> = {
  kind: 'team',
  title: 'Team',
  schema: TeamBodySchema,
  refs: (t) => [
    ...t.members.map((m, i) => ({ path: `members.${i}.repId`, repId: m.repId })),
    ...(t.managerId ? [{ path: 'managerId', repId: t.managerId }] : []),
  ],
  async find(db, workspaceId, id, lock) {
    const q = db.select().from(teams).where(teamWhere(workspaceId, id)).limit(1);
    const [row] = lock ? await q.for(lock) : await q;
    return row && teamFromRow(row);
  },
  async insert(tx, workspaceId, t) {
    const [row] = await tx
      .insert(teams)
      .values({ workspaceId, id: t.id, name: t.name, members: t.members, managerId: t.managerId ?? null })
      .onConflictDoNothing()
      .returning();
    return row && teamFromRow(row);
  },
  async update(tx, workspaceId, t) {
    const [row] = await tx
      .update(teams)
      .set({ name: t.name, members: t.members, managerId: t.managerId ?? null })
      .where(teamWhere(workspaceId, t.id))
      .returning();
    if (!row) throw new Error(`team ${t.id} vanished while locked`);
    return teamFromRow(row);
  },
  async remove(tx, workspaceId, id) {
    return (await tx.delete(teams).where(teamWhere(workspaceId, id)).returning({ id: teams.id })).length > 0;
  },
  count: (tx, workspaceId) => tx.$count(teams, eq(teams.workspaceId, workspaceId)),
};

/** Teams: get, create, replace, patch. */
export const teamService = entityService(teamStore);

/** Deletes a team (`not_found` when missing). */
export const deleteTeam = (db: Db, p: Principal, id: string) => removeEntry(teamStore, db, p, id);

/** The workspace's teams in directory order. */
export async function listTeams(db: Db | Tx, workspaceId: string): Promise<Team[]> {
  const rows = await db.select().from(teams).where(eq(teams.workspaceId, workspaceId)).orderBy(asc(teams.createdAt), asc(teams.id));
  return rows.map(teamFromRow);
}

// ---- Territories -----------------------------------------------------------------------------------------

type TerritoryRow = typeof territories.$inferSelect;

function territoryFromRow(x: TerritoryRow): Territory {
  return { id: x.id, name: x.name, rules: x.rules, repIds: x.repIds, priority: x.priority };
}

const territoryWhere = (workspaceId: string, id: string) => and(eq(territories.workspaceId, workspaceId), eq(territories.id, id));

const territoryStore: Store<Territory> = {
  kind: 'territory',
  title: 'Territory',
  schema: TerritoryBodySchema,
  refs: (t) => t.repIds.map((repId, i) => ({ path: `repIds.${i}`, repId })),
  async find(db, workspaceId, id, lock) {
    const q = db.select().from(territories).where(territoryWhere(workspaceId, id)).limit(1);
    const [row] = lock ? await q.for(lock) : await q;
    return row && territoryFromRow(row);
  },
  async insert(tx, workspaceId, t) {
    const [row] = await tx
      .insert(territories)
      .values({ workspaceId, id: t.id, name: t.name, rules: t.rules, repIds: t.repIds, priority: t.priority })
      .onConflictDoNothing()
      .returning();
    return row && territoryFromRow(row);
  },
  async update(tx, workspaceId, t) {
    const [row] = await tx
      .update(territories)
      .set({ name: t.name, rules: t.rules, repIds: t.repIds, priority: t.priority })
      .where(territoryWhere(workspaceId, t.id))
      .returning();
    if (!row) throw new Error(`territory ${t.id} vanished while locked`);
    return territoryFromRow(row);
  },
  async remove(tx, workspaceId, id) {
    return (await tx.delete(territories).where(territoryWhere(workspaceId, id)).returning({ id: territories.id })).length > 0;
  },
  count: (tx, workspaceId) => tx.$count(territories, eq(territories.workspaceId, workspaceId)),
};

/** Territories: get, create, replace, patch. */
export const territoryService = entityService(territoryStore);

/** Deletes a territory (`not_found` when missing). */
export const deleteTerritory = (db: Db, p: Principal, id: string) => removeEntry(territoryStore, db, p, id);

/** The workspace's territories in directory order. */
export async function listTerritories(db: Db | Tx, workspaceId: string): Promise<Territory[]> {
  const rows = await db
    .select()
    .from(territories)
    .where(eq(territories.workspaceId, workspaceId))
    .orderBy(asc(territories.createdAt), asc(territories.id));
  return rows.map(territoryFromRow);
}

// ---- Accounts --------------------------------------------------------------------------------------------

type AccountRow = typeof accounts.$inferSelect;

function accountFromRow(x: AccountRow): Account {
  return { id: x.id, name: x.name, domains: x.domains, ownerId: x.ownerId };
}

const accountWhere = (workspaceId: string, id: string) => and(eq(accounts.workspaceId, workspaceId), eq(accounts.id, id));

const accountStore: Store<Account> = {
  kind: 'account',
  title: 'Account',
  schema: AccountBodySchema,
  normalize: (a) => ({ ...a, domains: normalizeDomains(a.domains) }),
  refs: (a) => (a.ownerId ? [{ path: 'ownerId', repId: a.ownerId }] : []),
  async find(db, workspaceId, id, lock) {
    const q = db.select().from(accounts).where(accountWhere(workspaceId, id)).limit(1);
    const [row] = lock ? await q.for(lock) : await q;
    return row && accountFromRow(row);
  },
  async insert(tx, workspaceId, a) {
    const [row] = await tx
      .insert(accounts)
      .values({ workspaceId, id: a.id, name: a.name, domains: a.domains, ownerId: a.ownerId ?? null })
      .onConflictDoNothing()
      .returning();
    return row && accountFromRow(row);
  },
  async update(tx, workspaceId, a) {
    const [row] = await tx
      .update(accounts)
      .set({ name: a.name, domains: a.domains, ownerId: a.ownerId ?? null })
      .where(accountWhere(workspaceId, a.id))
      .returning();
    if (!row) throw new Error(`account ${a.id} vanished while locked`);
    return accountFromRow(row);
  },
  async remove(tx, workspaceId, id) {
    return (await tx.delete(accounts).where(accountWhere(workspaceId, id)).returning({ id: accounts.id })).length > 0;
  },
  count: (tx, workspaceId) => tx.$count(accounts, eq(accounts.workspaceId, workspaceId)),
};

/** Accounts: get, create, replace, patch (domains are stored bare and lower-case). */
export const accountService = entityService(accountStore);

/** Deletes an account (`not_found` when missing). */
export const deleteAccount = (db: Db, p: Principal, id: string) => removeEntry(accountStore, db, p, id);

/** A page of a listing ordered by id or domain; `nextCursor` continues it, null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The workspace's accounts by id, a page at a time; `q` searches names and domains, `ownerId` filters by owner. */
export async function listAccounts(
  db: Db | Tx,
  workspaceId: string,
  query: { q?: string; ownerId?: string; limit?: number; cursor?: string } = {},
): Promise<Page<Account>> {
  const limit = query.limit ?? 100;
  const where: SQL[] = [eq(accounts.workspaceId, workspaceId)];
  if (query.cursor) where.push(gt(accounts.id, query.cursor));
  if (query.ownerId) where.push(eq(accounts.ownerId, query.ownerId));
  if (query.q) {
    const pattern = containsPattern(query.q);
    const match = or(ilike(accounts.name, pattern), sql`exists (select 1 from jsonb_array_elements_text(${accounts.domains}) as d(domain) where d.domain ilike ${pattern})`);
    if (match) where.push(match);
  }
  const rows = await db
    .select()
    .from(accounts)
    .where(and(...where))
    .orderBy(asc(accounts.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map(accountFromRow);
  return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
}

// ---- Queues ----------------------------------------------------------------------------------------------

type QueueRow = typeof queues.$inferSelect;

function queueFromRow(x: QueueRow): Queue {
  return { id: x.id, name: x.name };
}

const queueWhere = (workspaceId: string, id: string) => and(eq(queues.workspaceId, workspaceId), eq(queues.id, id));

const queueStore: Store<Queue> = {
  kind: 'queue',
  title: 'Queue',
  schema: QueueBodySchema,
  refs: () => [],
  async find(db, workspaceId, id, lock) {
    const q = db.select().from(queues).where(queueWhere(workspaceId, id)).limit(1);
    const [row] = lock ? await q.for(lock) : await q;
    return row && queueFromRow(row);
  },
  async insert(tx, workspaceId, q) {
    const [row] = await tx.insert(queues).values({ workspaceId, id: q.id, name: q.name }).onConflictDoNothing().returning();
    return row && queueFromRow(row);
  },
  async update(tx, workspaceId, q) {
    const [row] = await tx.update(queues).set({ name: q.name }).where(queueWhere(workspaceId, q.id)).returning();
    if (!row) throw new Error(`queue ${q.id} vanished while locked`);
    return queueFromRow(row);
  },
  async remove(tx, workspaceId, id) {
    return (await tx.delete(queues).where(queueWhere(workspaceId, id)).returning({ id: queues.id })).length > 0;
  },
  count: (tx, workspaceId) => tx.$count(queues, eq(queues.workspaceId, workspaceId)),
};

/** Queues: get, create, replace, patch. */
export const queueService = entityService(queueStore);

/** Deletes a queue (`not_found` when missing). */
export const deleteQueue = (db: Db, p: Principal, id: string) => removeEntry(queueStore, db, p, id);

/** The workspace's queues in directory order. */
export async function listQueues(db: Db | Tx, workspaceId: string): Promise<Queue[]> {
  const rows = await db.select().from(queues).where(eq(queues.workspaceId, workspaceId)).orderBy(asc(queues.createdAt), asc(queues.id));
  return rows.map(queueFromRow);
}

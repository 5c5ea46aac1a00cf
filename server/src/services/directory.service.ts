import type { Account, Queue, Team, Territory } from '@lead-router/shared';
import { and, asc, eq, gt, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Db, Tx } from '@lead-router/db/client';
import { accounts, queues, teams, territories } from '@lead-router/db/schema';
import { AccountBodySchema, QueueBodySchema, TeamBodySchema, TerritoryBodySchema, normalizeDomains } from './directory-inputs';
import { containsPattern, entityService, removeEntry, type Store } from './directory-entity';

// The directory's reps, teams, territories, accounts and queues. Ids are the author-facing ones graphs name
// (`rep-ana`), unique per workspace. The database has no foreign keys between these tables (references
// live in JSON lists), so this module keeps them valid: every write checks that the reps it names exist and
// locks them FOR KEY SHARE, while deleting a rep first locks it FOR UPDATE, so a concurrent write naming it
// either sees it gone (422) or is seen by the delete's reference check (409). The machinery every kind shares
// is in directory-entity.ts, the reps in directory-reps.service.ts; this module re-exports both.

export * from './directory-entity';
export * from './directory-reps.service';

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

/** Deletes a team (404 when missing). */
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

/** Deletes a territory (404 when missing). */
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

/** Deletes an account (404 when missing). */
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

/** Deletes a queue (404 when missing). */
export const deleteQueue = (db: Db, p: Principal, id: string) => removeEntry(queueStore, db, p, id);

/** The workspace's queues in directory order. */
export async function listQueues(db: Db | Tx, workspaceId: string): Promise<Queue[]> {
  const rows = await db.select().from(queues).where(eq(queues.workspaceId, workspaceId)).orderBy(asc(queues.createdAt), asc(queues.id));
  return rows.map(queueFromRow);
}

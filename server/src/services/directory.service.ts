import { repColumns, repFromRow, teamColumns, teamFromRow as teamOfRow } from '@lead-router/db/directory-rows';
import { type Account, type Queue, type Rep, type Team, type Territory } from '@lead-router/shared';
import { and, asc, eq, gt, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '@lead-router/db/client';
import { accounts, queues, reps, teams, territories } from '@lead-router/db/schema';
import { DomainError } from '../errors/domain-error';
import { accountCursor } from './cursor';
import { containsPattern, entityService, lockKind, removableEntityService, type Page, type Store } from './directory-entity';
import { AccountBodySchema, QueueBodySchema, RepBodySchema, TeamBodySchema, TerritoryBodySchema, normalizeDomains } from './directory-inputs';

// The directory's reps, teams, territories, accounts and queues: how each is stored, and its service (the
// generic reads and writes of directory-entity.ts over that store). Deleting a rep is
// directory-rep-usage.service.ts: it guards the references to the rep.

// ---- Reps ------------------------------------------------------------------------------------------------




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

// ---- Teams -----------------------------------------------------------------------------------------------

type TeamRow = typeof teams.$inferSelect;

function teamFromRow(x: TeamRow): Team {
  return teamOfRow(x);
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
      .values({ workspaceId, id: t.id, ...teamColumns(t) })
      .onConflictDoNothing()
      .returning();
    return row && teamFromRow(row);
  },
  async update(tx, workspaceId, t) {
    const [row] = await tx
      .update(teams)
      .set(teamColumns(t))
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

/** Teams: list, get, create, replace, patch, remove. */
export const teamService = { ...removableEntityService(teamStore), list: listTeams };

/** The workspace's teams in directory order. */
async function listTeams(db: Db | Tx, workspaceId: string): Promise<Team[]> {
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

/** Territories: list, get, create, replace, patch, remove. */
export const territoryService = { ...removableEntityService(territoryStore), list: listTerritories };

/** The workspace's territories in directory order. */
async function listTerritories(db: Db | Tx, workspaceId: string): Promise<Territory[]> {
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
  return { id: x.id, name: x.name, domains: x.domains, ownerId: x.ownerId, ...(x.lastActivityAt ? { lastActivityAt: x.lastActivityAt.toISOString() } : {}) };
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
      .values({ workspaceId, id: a.id, name: a.name, domains: a.domains, ownerId: a.ownerId ?? null, lastActivityAt: a.lastActivityAt ? new Date(a.lastActivityAt) : null })
      .onConflictDoNothing()
      .returning();
    return row && accountFromRow(row);
  },
  async update(tx, workspaceId, a) {
    const [row] = await tx
      .update(accounts)
      .set({ name: a.name, domains: a.domains, ownerId: a.ownerId ?? null, lastActivityAt: a.lastActivityAt ? new Date(a.lastActivityAt) : null })
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

/** Accounts: get, create, replace, patch, remove (domains are stored bare and lower-case); listAccounts pages them. */
export const accountService = removableEntityService(accountStore);

/** The workspace's accounts by id, a page at a time; `q` searches names and domains, `ownerId` filters by owner. */
export async function listAccounts(
  db: Db | Tx,
  workspaceId: string,
  query: { q?: string; ownerId?: string; limit?: number; cursor?: readonly [id: string] } = {},
): Promise<Page<Account>> {
  const limit = query.limit ?? 100;
  const where: SQL[] = [eq(accounts.workspaceId, workspaceId)];
  if (query.cursor) where.push(gt(accounts.id, query.cursor[0]));
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
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? accountCursor.encode(last.id) : null };
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

/** Queues: list, get, create, replace, patch, remove. */
export const queueService = { ...removableEntityService(queueStore), list: listQueues };

/** The workspace's queues in directory order. */
async function listQueues(db: Db | Tx, workspaceId: string): Promise<Queue[]> {
  const rows = await db.select().from(queues).where(eq(queues.workspaceId, workspaceId)).orderBy(asc(queues.createdAt), asc(queues.id));
  return rows.map(queueFromRow);
}

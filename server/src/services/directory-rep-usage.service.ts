import { IdSchema } from '@lead-router/shared';
import { and, eq, or, sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Db, Tx } from '@lead-router/db/client';
import { accounts, reps, teams, territories } from '@lead-router/db/schema';
import { DomainError, notFound } from '../errors/domain-error';
import { audit } from './audit.service';
import { shown } from './directory-entity';

// Deleting a rep guards the references the directory holds to them: teams (members, manager), territories,
// accounts (owner) and other reps (manager). Writers naming a rep lock it FOR KEY SHARE (assertRepsExist);
// the delete locks it FOR UPDATE, so none of them slips a new reference past the check.

const repWhere = (workspaceId: string, id: string) => and(eq(reps.workspaceId, workspaceId), eq(reps.id, id));

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

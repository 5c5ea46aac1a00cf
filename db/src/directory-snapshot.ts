import { DirectorySchema, WorkspaceSettingsSchema, type Directory, type RoutingStateSnapshot, type WorkspaceSettings } from '@lead-router/shared';
import { holidayYears, withPublicHolidays } from '@lead-router/shared/holidays';
import { eq } from 'drizzle-orm';
import type { Db, Tx } from './client';
import { companyFromRow, repFromRow, teamFromRow } from './directory-rows';
import { accounts, companies, customFields, poolCursors, poolDailyCounts, queues, repDailyCounts, repLoads, reps, teams, territories, workspaces } from './schema';

/**
 * The workspace's directory as the shared model has it: what the compiler checks references against and
 * test runs simulate on. Rows were validated on the way in, so parsing here only applies defaults.
 */
export async function loadDirectory(db: Db | Tx, workspaceId: string, options: { companies?: boolean; at?: number; years?: { from: number; to: number } } = {}): Promise<Directory> {
  const [r, t, te, a, q, f, c, w] = await Promise.all([
    db.select().from(reps).where(eq(reps.workspaceId, workspaceId)).orderBy(reps.createdAt, reps.id),
    db.select().from(teams).where(eq(teams.workspaceId, workspaceId)).orderBy(teams.createdAt, teams.id),
    db.select().from(territories).where(eq(territories.workspaceId, workspaceId)).orderBy(territories.createdAt, territories.id),
    db.select().from(accounts).where(eq(accounts.workspaceId, workspaceId)).orderBy(accounts.id),
    db.select().from(queues).where(eq(queues.workspaceId, workspaceId)).orderBy(queues.createdAt, queues.id),
    db.select().from(customFields).where(eq(customFields.workspaceId, workspaceId)).orderBy(customFields.createdAt, customFields.key),
    options.companies === false ? Promise.resolve([]) : db.select().from(companies).where(eq(companies.workspaceId, workspaceId)),
    db.select({ settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, workspaceId)),
  ]);
  const directory = DirectorySchema.parse({
    reps: r.map(repFromRow),
    teams: t.map(teamFromRow),
    territories: te.map((x) => ({ id: x.id, name: x.name, rules: x.rules, repIds: x.repIds, priority: x.priority })),
    accounts: a.map((x) => ({ id: x.id, name: x.name, domains: x.domains, ownerId: x.ownerId, ...(x.lastActivityAt ? { lastActivityAt: x.lastActivityAt.toISOString() } : {}) })),
    queues: q.map((x) => ({ id: x.id, name: x.name })),
    companies: c.map(companyFromRow),
    customFields: f.map((x) => ({ key: x.key, label: x.label, type: x.type, ...(x.options ? { options: x.options } : {}), ...(x.description ? { description: x.description } : {}) })),
    ...(w[0] ? { settings: w[0].settings } : {}),
  });
  // Public holidays of the calendars in use, as plain dates (issue #16): what routing and SLA clocks read,
  // here and in the workflow, instead of the holiday package. For `years`, else the year of `at` (the clock
  // the directory is routed at: a test run's start, an activity's now; by default the wall clock) and the next.
  return withPublicHolidays(directory, options.years ?? holidayYears(options.at ?? Date.now()));
}

/** Production's routing state (cursors, smooth-weight counters, loads, per-day counts of reps and team pools), for test runs to start from. */
export async function loadRoutingState(db: Db | Tx, workspaceId: string): Promise<RoutingStateSnapshot> {
  const [cursors, loads, daily, poolDaily] = await Promise.all([
    db.select().from(poolCursors).where(eq(poolCursors.workspaceId, workspaceId)),
    db.select().from(repLoads).where(eq(repLoads.workspaceId, workspaceId)),
    db.select().from(repDailyCounts).where(eq(repDailyCounts.workspaceId, workspaceId)),
    db.select().from(poolDailyCounts).where(eq(poolDailyCounts.workspaceId, workspaceId)),
  ]);
  const snapshot: Required<RoutingStateSnapshot> = { lastChosen: {}, wrrCurrent: {}, openLoad: {}, assignedOn: {}, fairness: {}, poolAssignedOn: {} };
  for (const c of cursors) {
    if (c.lastChosen !== null) snapshot.lastChosen[c.poolKey] = c.lastChosen;
    snapshot.wrrCurrent[c.poolKey] = c.wrrCurrent;
    if (c.fairness) snapshot.fairness[c.poolKey] = c.fairness;
  }
  for (const l of loads) snapshot.openLoad[l.repId] = l.openLeads;
  for (const d of daily) (snapshot.assignedOn[d.repId] ??= {})[d.day] = d.assigned;
  for (const d of poolDaily) (snapshot.poolAssignedOn[d.poolKey] ??= {})[d.day] = d.assigned;
  return snapshot;
}

/** The workspace's settings (time zone, holidays), or the defaults when none are stored. */
export async function loadWorkspaceSettings(db: Db | Tx, workspaceId: string): Promise<WorkspaceSettings> {
  const [w] = await db.select({ settings: workspaces.settings }).from(workspaces).where(eq(workspaces.id, workspaceId));
  return WorkspaceSettingsSchema.parse(w?.settings ?? {});
}

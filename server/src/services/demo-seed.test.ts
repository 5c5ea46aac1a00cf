import { LEAD_CLOSE_REASONS } from '@lead-router/shared';
import { demoDirectory } from '@lead-router/shared/fixtures';
import { and, asc, eq, inArray, like } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accounts, companies, leads, outbox, repLoads, reps, routingRuns, teams, territories, traceSteps, users, workflows } from '@lead-router/db/schema';
import { setupTestApp } from '../test/harness';
import { DEMO_HISTORY_DAYS, DEMO_HISTORY_LEADS_PER_DAY } from './demo-history';
import { DEMO_ADMIN_EMAIL, DEMO_CURL_LEAD, DEMO_LEAD_COUNT, DEMO_LEAD_SPREAD_MS, DEMO_MATCHING_ACCOUNTS, seedDemo, type DemoWorkspace } from './demo-seed';

const t = setupTestApp();
// Seeded once (users' emails are unique across workspaces): the tests read the same demo.
const now = new Date('2026-11-23T15:00:00Z');
let seeded: Promise<DemoWorkspace> | null = null;
const demoOnce = () => (seeded ??= seedDemo(t.database.db, { now }));

describe('seedDemo', () => {
  it('builds the demo workspace: directory, the hybrid graph published and active, its history, and queued sample leads arriving over two minutes', async () => {
    const demo = await demoOnce();
    const db = t.database.db;
    const ws = demo.workspaceId;

    const repRows = await db.select().from(reps).where(eq(reps.workspaceId, ws));
    expect(repRows).toHaveLength(demoDirectory.reps.length);
    expect(new Set(repRows.map((r) => r.timeZone)).size).toBeGreaterThan(3);
    expect(repRows.filter((r) => (r.outOfOffice ?? []).length > 0)).toHaveLength(1);
    expect(repRows.filter((r) => r.capOpenLeads !== null).length).toBeGreaterThan(5);
    const teamRows = await db.select().from(teams).where(eq(teams.workspaceId, ws));
    expect(teamRows).toHaveLength(2);
    expect(teamRows.every((x) => x.members.some((m) => m.weight > 1))).toBe(true);
    expect(await db.select().from(territories).where(eq(territories.workspaceId, ws))).toHaveLength(demoDirectory.territories.length);
    expect(await db.select().from(accounts).where(eq(accounts.workspaceId, ws))).toHaveLength(demoDirectory.accounts.length + DEMO_MATCHING_ACCOUNTS.length);
    expect(await db.select().from(companies).where(eq(companies.workspaceId, ws))).toHaveLength(demoDirectory.companies.length);

    const [admin] = await db.select().from(users).where(eq(users.workspaceId, ws));
    expect(admin).toMatchObject({ email: DEMO_ADMIN_EMAIL, role: 'admin' });
    // The printed password and key work through the API.
    const login = await t.call('POST', '/api/auth/login', { body: { email: DEMO_ADMIN_EMAIL, password: demo.admin.password } });
    expect(login.status).toBe(200);
    const listed = await t.call('GET', '/api/workflows', { key: demo.apiKey });
    expect(listed.status).toBe(200);
    expect(listed.body.workflows).toEqual([expect.objectContaining({ id: demo.workflowId, name: 'Inbound routing (hybrid)', status: 'active' })]);

    const [wf] = await db.select().from(workflows).where(eq(workflows.id, demo.workflowId));
    expect(wf?.activeVersionId).not.toBeNull();
    const stored = await db
      .select({ id: leads.id, receivedAt: leads.receivedAt })
      .from(leads)
      .where(and(eq(leads.workflowId, demo.workflowId), like(leads.idempotencyKey, 'demo-seed-%')))
      .orderBy(asc(leads.receivedAt));
    expect(stored).toHaveLength(DEMO_LEAD_COUNT);
    expect(stored[0]!.receivedAt.getTime()).toBe(now.getTime());
    expect(stored.at(-1)!.receivedAt.getTime()).toBe(now.getTime() + (DEMO_LEAD_COUNT - 1) * DEMO_LEAD_SPREAD_MS);
    const runs = await db.select({ status: routingRuns.status }).from(routingRuns).where(inArray(routingRuns.leadId, stored.map((s) => s.id)));
    expect(runs.every((r) => r.status === 'queued')).toBe(true);
    const queued = await db.select({ leadId: outbox.leadId }).from(outbox).where(eq(outbox.workspaceId, ws));
    expect(queued).toHaveLength(DEMO_LEAD_COUNT);
  });

  // Issue 13, item 6: the demo shows routing working, not a product whose caps fill in a minute.
  it('has two weeks of history: accepted, re-assigned, rejected and escalated leads with whole traces, and realistic open loads', async () => {
    const demo = await demoOnce();
    const db = t.database.db;
    expect(demo.history).toBe(DEMO_HISTORY_DAYS * DEMO_HISTORY_LEADS_PER_DAY);
    const history = await db
      .select({ run: routingRuns, key: leads.idempotencyKey })
      .from(routingRuns)
      .innerJoin(leads, eq(leads.id, routingRuns.leadId))
      .where(and(eq(routingRuns.workflowId, demo.workflowId), like(leads.idempotencyKey, 'seed-history-%')));
    expect(history).toHaveLength(demo.history);
    const runs = history.map((h) => h.run);
    expect(runs.every((r) => r.status === 'completed' && r.receivedAt < now && r.completedAt !== null)).toBe(true);
    const accepted = runs.filter((r) => r.acceptedAt !== null);
    expect(accepted.length / runs.length).toBeGreaterThan(0.8);
    // Speed to lead in seconds, acceptance in minutes; some leads moved on after their SLA or a rejection.
    expect(runs.every((r) => r.firstAssignedAt === null || r.firstAssignedAt.getTime() - r.receivedAt.getTime() < 5_000)).toBe(true);
    expect(runs.filter((r) => r.assignedAt && r.firstAssignedAt && r.assignedAt > r.firstAssignedAt).length).toBeGreaterThan(10);
    expect(runs.some((r) => r.assigneeType === 'queue')).toBe(true);
    expect(new Set(runs.map((r) => r.assigneeId)).size).toBeGreaterThan(4);
    const steps = await db.select({ leadId: traceSteps.leadId }).from(traceSteps).where(inArray(traceSteps.leadId, runs.slice(0, 20).map((r) => r.leadId)));
    expect(new Set(steps.map((s) => s.leadId)).size).toBe(20);

    // Worked leads were closed: earlier days' accepted leads of reps, hours after acceptance, for a mix of
    // reasons; yesterday's leads, and leads a queue holds, are still open.
    const closed = runs.filter((r) => r.closedAt !== null);
    expect(closed.length).toBeGreaterThan(accepted.length / 2);
    expect(closed.every((r) => r.assigneeType === 'rep' && r.acceptedAt !== null && r.closedAt! > r.acceptedAt && r.closedBy === r.assigneeId)).toBe(true);
    expect(new Set(closed.map((r) => r.closeReason))).toEqual(new Set(LEAD_CLOSE_REASONS));
    const yesterday = now.getTime() - 86_400_000 * 1.5;
    expect(runs.some((r) => r.closedAt === null && r.acceptedAt !== null && r.receivedAt.getTime() > yesterday)).toBe(true);
    expect(runs.filter((r) => r.assigneeType === 'queue').every((r) => r.closedAt === null)).toBe(true);

    // Loads: yesterday's leads are open, well under every cap.
    const loads = await db.select().from(repLoads).where(eq(repLoads.workspaceId, demo.workspaceId));
    expect(loads.length).toBeGreaterThan(3);
    const caps = new Map(demoDirectory.reps.map((r) => [r.id, r.caps?.openLeads ?? Infinity]));
    for (const l of loads) expect(l.openLeads, l.repId).toBeLessThanOrEqual((caps.get(l.repId) ?? 0) / 2);

    // The live sample leads and then the printed curl lead, through the active version from today's
    // state, every lead kept open by its rep (accepted leads count against the open-lead caps): the curl
    // lead still reaches a rep, as do the live leads.
    const live = await db.select({ data: leads.data }).from(leads).where(and(eq(leads.workflowId, demo.workflowId), like(leads.idempotencyKey, 'demo-seed-%'))).orderBy(asc(leads.receivedAt));
    const sim = await t.call('POST', `/api/workflows/${demo.workflowId}/simulate`, {
      key: demo.apiKey,
      body: { leads: [...live.map((l) => l.data), DEMO_CURL_LEAD], source: 1, at: now.toISOString(), waits: { default: { outcome: 'accepted', afterMinutes: 1 } }, detail: 'path' },
    });
    expect(sim.status, JSON.stringify(sim.body)).toBe(200);
    const curl = sim.body.results.at(-1);
    expect(curl.assignee, JSON.stringify(curl)).toMatch(/^rep-/);
    expect(sim.body.results.filter((r: { assignee: string | null }) => r.assignee?.startsWith('rep-')).length).toBeGreaterThan(live.length * 0.9);
  });

  it('its history has analytics (written from its traces, as the worker would): the analytics page opens on figures', async () => {
    const demo = await demoOnce();
    const db = t.database.db;
    const range = `workflowId=${demo.workflowId}&from=${new Date(now.getTime() - (DEMO_HISTORY_DAYS + 1) * 86_400_000).toISOString()}&to=${now.toISOString()}`;
    const get = async (section: string) => {
      const r = await t.call('GET', `/api/analytics/${section}?${range}`, { key: demo.apiKey });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    };
    const history = await db
      .select({ run: routingRuns })
      .from(routingRuns)
      .innerJoin(leads, eq(leads.id, routingRuns.leadId))
      .where(and(eq(routingRuns.workflowId, demo.workflowId), like(leads.idempotencyKey, 'seed-history-%')));
    const assigned = history.filter((h) => h.run.firstAssignedAt !== null).length;
    const speed = await get('speed-to-lead');
    const first = speed.summary.find((x: { metric: string; clock: string }) => x.metric === 'first_assignment' && x.clock === 'wall');
    expect(first.count).toBe(assigned);
    const sla = await get('sla');
    const waits = sla.byRep.reduce((n: number, x: { waits: number }) => n + x.waits, 0);
    expect(waits).toBeGreaterThan(history.length * 0.8);
    expect(sla.byRep.every((x: { repName: string | null }) => x.repName !== null)).toBe(true);
    const fairness = await get('fairness');
    expect(fairness.byRep.length).toBeGreaterThan(3);
    const paths = await get('paths');
    expect(paths.edges.length).toBeGreaterThan(5);
  });

  it("is the router's own history: the publish gate's backtest moves no lead of an unchanged draft, and over the whole history reproduces it", async () => {
    const demo = await demoOnce();
    for (const days of [15, 7]) {
      const r = await t.call('POST', `/api/workflows/${demo.workflowId}/backtest`, { key: demo.apiKey, body: { since: new Date(now.getTime() - days * 86_400_000).toISOString(), until: now.toISOString() } });
      expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(200);
      expect(r.body.summary.moved, `${days} days`).toBe(0);
      const { compared, matched } = r.body.fidelity;
      expect(compared, `${days} days`).toBeGreaterThan(days === 15 ? DEMO_HISTORY_DAYS * DEMO_HISTORY_LEADS_PER_DAY * 0.9 : 100);
      // A window holding the whole history starts from the empty state the history started from; one starting
      // inside it rebuilds that state from the trace (loads, day counts, the pools' turns and weighted counters).
      expect(matched / compared, `${days} days: ${matched} of ${compared}`).toBeGreaterThan(0.95);
    }
  });
});

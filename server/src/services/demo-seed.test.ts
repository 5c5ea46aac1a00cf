import { demoDirectory } from '@lead-router/shared/fixtures';
import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { accounts, companies, leads, outbox, reps, routingRuns, teams, territories, users, workflows } from '@lead-router/db/schema';
import { setupTestApp } from '../test/harness';
import { DEMO_ADMIN_EMAIL, DEMO_LEAD_COUNT, DEMO_LEAD_SPREAD_MS, seedDemo } from './demo-seed';

const t = setupTestApp();

describe('seedDemo', () => {
  it('builds the demo workspace: directory, the hybrid graph published and active, 200 queued sample leads arriving over a minute', async () => {
    const now = new Date('2026-11-23T15:00:00Z');
    const demo = await seedDemo(t.database.db, { now });
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
    expect(await db.select().from(accounts).where(eq(accounts.workspaceId, ws))).toHaveLength(demoDirectory.accounts.length);
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
    const stored = await db.select({ id: leads.id, receivedAt: leads.receivedAt }).from(leads).where(eq(leads.workflowId, demo.workflowId)).orderBy(asc(leads.receivedAt));
    expect(stored).toHaveLength(DEMO_LEAD_COUNT);
    expect(stored[0]!.receivedAt.getTime()).toBe(now.getTime());
    expect(stored.at(-1)!.receivedAt.getTime()).toBe(now.getTime() + (DEMO_LEAD_COUNT - 1) * DEMO_LEAD_SPREAD_MS);
    const runs = await db.select({ status: routingRuns.status }).from(routingRuns).where(eq(routingRuns.workflowId, demo.workflowId));
    expect(runs.every((r) => r.status === 'queued')).toBe(true);
    const queued = await db.select({ leadId: outbox.leadId }).from(outbox).where(eq(outbox.workspaceId, ws));
    expect(queued).toHaveLength(DEMO_LEAD_COUNT);
  });
});

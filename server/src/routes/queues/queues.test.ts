import { randomUUID } from 'node:crypto';
import { setupTestApp } from '../../test/harness';
import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, queues, repLoads, reps, routingRuns, sessions, traceSteps } from '@lead-router/db/schema';
import { sha256 } from '../../auth/secrets';
import { createUser } from '../../services/workspaces.service';
import { createTestLead, createTestWorkflow, updateTestRun } from '../leads/leads.fixtures';

// Queue work against the real database: claims and assignments of leads whose runs have ended in a queue
// (a database move; the claim reaching a waiting workflow is worker/src/e2e/queue-claim-e2e.test.ts).
const t = setupTestApp();
const db = t.database.db;

/** A workspace with the Enterprise queue and reps with caps, and a published workflow. */
async function setup(options: { caps?: Record<string, number | null> } = {}) {
  const ws = await t.workspace();
  const caps = options.caps ?? { 'rep-ana': 3, 'rep-ben': 3, 'rep-cy': null };
  const names: Record<string, string> = { 'rep-ana': 'Ana Diaz', 'rep-ben': 'Ben Ito', 'rep-cy': 'Cy Park' };
  await db.insert(reps).values(
    Object.entries(caps).map(([id, cap]) => ({ workspaceId: ws.id, id, name: names[id] ?? id, email: `${id}@example.com`, timeZone: 'UTC', capOpenLeads: cap })),
  );
  await db.insert(queues).values([
    { workspaceId: ws.id, id: 'q-ent', name: 'Enterprise queue' },
    { workspaceId: ws.id, id: 'q-smb', name: 'SMB' },
  ]);
  const wf = await createTestWorkflow(db, ws.id, { name: 'Inbound routing' });
  return { ws, wf };
}

/** Leads whose runs ended in a queue, queued a minute apart (the first the oldest). */
async function queuedLeads(s: Awaited<ReturnType<typeof setup>>, n: number, queueId = 'q-ent', start = new Date(Date.now() - 3_600_000)) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = await createTestLead(db, s.wf, s.ws.id, { firstName: `Lead${i}`, lastName: 'Queued', email: `lead${i}-${randomUUID().slice(0, 6)}@acme.com`, company: 'Acme', leadSource: 'Webinar' });
    await updateTestRun(db, id, { status: 'completed', outcome: 'queued', assigneeType: 'queue', assigneeId: queueId, assignedAt: new Date(start.getTime() + i * 60_000), firstAssignedAt: new Date(start.getTime() + i * 60_000) });
    ids.push(id);
  }
  return ids;
}

/** A signed-in user (a session row, as the login route writes it), optionally a rep. */
async function signIn(workspaceId: string, role: 'viewer' | 'editor' | 'publisher', repId: string | null, name = 'Rep user'): Promise<string> {
  const u = await createUser(db, { workspaceId, email: `u-${randomUUID().slice(0, 8)}@example.com`, name, role, password: 'correct horse battery staple', repId });
  const token = randomUUID();
  await db.insert(sessions).values({ tokenHash: sha256(token), userId: u.id, expiresAt: new Date(Date.now() + 3_600_000) });
  return `lr_session=${token}`;
}

const loadOf = async (workspaceId: string, repId: string) =>
  (await db.select({ n: repLoads.openLeads }).from(repLoads).where(and(eq(repLoads.workspaceId, workspaceId), eq(repLoads.repId, repId))))[0]?.n ?? 0;

describe('queue work', () => {
  it('100 concurrent claims on 50 queued leads: each lead claimed once, no rep over its cap, every loser a 409 or 422', async () => {
    const caps = { 'rep-a': 12, 'rep-b': 12, 'rep-c': 12, 'rep-d': 12, 'rep-e': 12 };
    const s = await setup({ caps });
    const repIds = Object.keys(caps);
    const leads = await queuedLeads(s, 50);
    const cookies = await Promise.all(repIds.map((id) => signIn(s.ws.id, 'viewer', id, id)));
    // Every lead is claimed by two reps at once (lead i by reps i and i+1, mod 5): 100 claims, 20 per rep.
    const attempts = leads.flatMap((leadId, i) => [i % 5, (i + 1) % 5].map((r) => ({ leadId, rep: repIds[r] as string, cookie: cookies[r] as string })));
    const answers = await Promise.all(attempts.map(async (a) => ({ ...a, res: await t.call('POST', `/api/queues/q-ent/leads/${a.leadId}/claim`, { cookie: a.cookie }) })));

    expect(answers.every((a) => [200, 409, 422].includes(a.res.status))).toBe(true);
    const wins = answers.filter((a) => a.res.status === 200);
    // Each lead at most once; a 409 always means someone else has the lead.
    const winners = new Map<string, string>();
    for (const w of wins) {
      expect(winners.has(w.leadId)).toBe(false);
      winners.set(w.leadId, w.rep);
    }
    for (const a of answers.filter((x) => x.res.status === 409)) {
      expect(a.res.body.error.code).toBe('not_in_queue');
      expect(winners.has(a.leadId)).toBe(true);
    }
    for (const a of answers.filter((x) => x.res.status === 422)) expect(a.res.body.error).toMatchObject({ code: 'cap_reached', details: { cap: 'open_leads', repId: a.rep } });
    // No rep over its cap; the loads are exactly the wins; the runs agree.
    for (const rep of repIds) {
      const won = wins.filter((w) => w.rep === rep).length;
      expect(won).toBeLessThanOrEqual(12);
      expect(await loadOf(s.ws.id, rep)).toBe(won);
    }
    const runs = await db.select().from(routingRuns).where(inArray(routingRuns.leadId, leads));
    for (const r of runs) {
      if (winners.has(r.leadId)) expect(r).toMatchObject({ assigneeType: 'rep', assigneeId: winners.get(r.leadId) });
      else expect(r).toMatchObject({ assigneeType: 'queue', assigneeId: 'q-ent' });
    }
    expect(winners.size).toBeGreaterThanOrEqual(48);
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.workspaceId, s.ws.id), eq(auditLog.action, 'lead.claimed')));
    expect(audits).toHaveLength(wins.length);
    // One claim step per claimed lead on its timeline.
    const steps = await db.select().from(traceSteps).where(and(inArray(traceSteps.leadId, leads), eq(traceSteps.nodeType, 'claim')));
    expect(steps).toHaveLength(wins.length);
  }, 60_000);

  it("lists a queue's leads oldest first, cursor-paged, with age, source, score and SLA; the overview counts them", async () => {
    const s = await setup();
    const leads = await queuedLeads(s, 5);
    await queuedLeads(s, 2, 'q-smb');
    await db.insert(traceSteps).values({ leadId: leads[0] as string, seq: 1, nodeId: 'score', nodeType: 'score', label: 'Score', at: new Date(), input: {}, decision: 'Score 72, grade A', explanation: [], output: { score: 72, grade: 'A' } });
    const deadline = new Date(Date.now() - 60_000);
    await updateTestRun(db, leads[1] as string, { status: 'waiting', deadlineAt: deadline });

    const first = await t.call('GET', '/api/queues/q-ent/leads?limit=3', { key: s.ws.keys.viewer });
    expect(first.status).toBe(200);
    expect(first.body.queue).toEqual({ id: 'q-ent', name: 'Enterprise queue' });
    expect(first.body.items.map((i: { leadId: string }) => i.leadId)).toEqual(leads.slice(0, 3));
    expect(first.body.items[0]).toMatchObject({ name: 'Lead0 Queued', company: 'Acme', source: 'Webinar', score: 72, grade: 'A', status: 'completed', sla: { deadlineAt: null, breached: false }, workflow: { id: s.wf.id, name: 'Inbound routing', version: 1 } });
    expect(first.body.items[0].ageMs).toBeGreaterThanOrEqual(3_600_000 - 5_000);
    expect(first.body.items[1]).toMatchObject({ status: 'waiting', sla: { deadlineAt: deadline.toISOString(), breached: true }, score: null, grade: null });
    const second = await t.call('GET', `/api/queues/q-ent/leads?limit=3&cursor=${first.body.nextCursor}`, { key: s.ws.keys.viewer });
    expect(second.body.items.map((i: { leadId: string }) => i.leadId)).toEqual(leads.slice(3));
    expect(second.body.nextCursor).toBeNull();
    const newest = await t.call('GET', '/api/queues/q-ent/leads?sort=newest&limit=2', { key: s.ws.keys.viewer });
    expect(newest.body.items.map((i: { leadId: string }) => i.leadId)).toEqual([leads[4], leads[3]]);
    const newest2 = await t.call('GET', `/api/queues/q-ent/leads?sort=newest&limit=2&cursor=${newest.body.nextCursor}`, { key: s.ws.keys.viewer });
    expect(newest2.body.items.map((i: { leadId: string }) => i.leadId)).toEqual([leads[2], leads[1]]);

    const bad = await t.call('GET', '/api/queues/q-ent/leads?cursor=nope&limit=0', { key: s.ws.keys.viewer });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['cursor', 'limit']);
    expect((await t.call('GET', '/api/queues/q-nope/leads', { key: s.ws.keys.viewer })).status).toBe(404);

    const overview = await t.call('GET', '/api/queue-overview', { key: s.ws.keys.viewer });
    expect(overview.body.items).toMatchObject([
      { id: 'q-ent', name: 'Enterprise queue', count: 5, ageAlertMinutes: 60, ageAlertIsDefault: true, notify: null, memberIds: [] },
      { id: 'q-smb', name: 'SMB', count: 2 },
    ]);
    expect(overview.body.items[0].oldestAgeMs).toBeGreaterThanOrEqual(3_600_000 - 5_000);
  });

  it('role checks: a viewer cannot claim, a rep cannot claim for another rep nor override, only managers assign', async () => {
    const s = await setup();
    const [lead] = await queuedLeads(s, 1);
    const path = `/api/queues/q-ent/leads/${lead}/claim`;
    const viewer = await t.call('POST', path, { key: s.ws.keys.viewer });
    expect(viewer.status).toBe(403);
    expect(viewer.body.error.message).toMatch(/Only a rep/);
    const plainUser = await signIn(s.ws.id, 'editor', null);
    expect((await t.call('POST', path, { cookie: plainUser })).status).toBe(403);
    const ana = await signIn(s.ws.id, 'viewer', 'rep-ana', 'Ana Diaz');
    const forBen = await t.call('POST', path, { cookie: ana, body: { repId: 'rep-ben' } });
    expect(forBen.status).toBe(403);
    expect(forBen.body.error.message).toMatch(/only for themselves/);
    expect((await t.call('POST', path, { cookie: ana, body: { override: { reason: 'I want it' } } })).status).toBe(403);
    expect((await t.call('POST', '/api/queues/q-ent/assign', { key: s.ws.keys.editor, body: { repId: 'rep-ana', leadIds: [lead] } })).status).toBe(403);
    expect((await t.call('POST', '/api/queues/q-ent/assign', { cookie: ana, body: { repId: 'rep-ana', leadIds: [lead] } })).status).toBe(403);
    expect((await t.call('POST', path, {})).status).toBe(401);
    // Nothing moved.
    expect((await db.select().from(routingRuns).where(eq(routingRuns.leadId, lead as string)))[0]).toMatchObject({ assigneeType: 'queue', assigneeId: 'q-ent' });
    // A manager may claim on a rep's behalf.
    const manager = await signIn(s.ws.id, 'publisher', null, 'Mia Chen');
    const onBehalf = await t.call('POST', path, { cookie: manager, body: { repId: 'rep-ben' } });
    expect(onBehalf.status).toBe(200);
    const trace = await t.call('GET', `/api/leads/${lead}/trace`, { key: s.ws.keys.viewer });
    expect(trace.body.steps.at(-1)).toMatchObject({ nodeType: 'claim', decision: 'Claimed by Ben Ito (claimed by Mia Chen) from Enterprise queue' });
  });

  it('bad input is named by field: unknown lead, lead not in the queue, unknown rep, too many ids, an empty reason', async () => {
    const s = await setup();
    const [lead] = await queuedLeads(s, 1);
    const ana = await signIn(s.ws.id, 'viewer', 'rep-ana', 'Ana Diaz');
    expect((await t.call('POST', `/api/queues/q-ent/leads/${randomUUID()}/claim`, { cookie: ana })).status).toBe(404);
    expect((await t.call('POST', '/api/queues/q-ent/leads/not-a-uuid/claim', { cookie: ana })).status).toBe(404);
    expect((await t.call('POST', `/api/queues/q-nope/leads/${lead}/claim`, { cookie: ana })).status).toBe(404);
    const other = await t.call('POST', `/api/queues/q-smb/leads/${lead}/claim`, { cookie: ana });
    expect(other.status).toBe(409);
    expect(other.body.error).toMatchObject({ code: 'not_in_queue', message: 'The lead is not in SMB: it is in Enterprise queue.' });
    const unknownRep = await t.call('POST', `/api/queues/q-ent/leads/${lead}/claim`, { key: s.ws.keys.publisher, body: { repId: 'rep-zed' } });
    expect(unknownRep.status).toBe(422);
    expect(unknownRep.body.error).toMatchObject({ code: 'unknown_rep', details: [{ path: 'repId' }] });
    const tooMany = await t.call('POST', '/api/queues/q-ent/assign', { key: s.ws.keys.publisher, body: { repId: 'rep-ana', leadIds: Array.from({ length: 501 }, () => randomUUID()) } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.details).toMatchObject([{ path: 'leadIds' }]);
    const emptyReason = await t.call('POST', `/api/queues/q-ent/leads/${lead}/claim`, { key: s.ws.keys.publisher, body: { repId: 'rep-ana', override: { reason: ' ' } } });
    expect(emptyReason.status).toBe(400);
    expect(emptyReason.body.error.details).toMatchObject([{ path: 'override.reason' }]);
    const extra = await t.call('POST', `/api/queues/q-ent/leads/${lead}/claim`, { cookie: ana, body: { rep: 'rep-ana' } });
    expect(extra.status).toBe(400);
  });

  it('a manager assigns many at once: per-lead results (assigned, conflict, cap, not found); an override is recorded with its reason', async () => {
    const s = await setup({ caps: { 'rep-ana': 2, 'rep-ben': null } });
    const leads = await queuedLeads(s, 4);
    const ben = await signIn(s.ws.id, 'viewer', 'rep-ben', 'Ben Ito');
    expect((await t.call('POST', `/api/queues/q-ent/leads/${leads[1]}/claim`, { cookie: ben })).status).toBe(200);
    const manager = await signIn(s.ws.id, 'publisher', null, 'Mia Chen');
    const missing = randomUUID();
    const r = await t.call('POST', '/api/queues/q-ent/assign', { cookie: manager, body: { repId: 'rep-ana', leadIds: [leads[0], leads[1], missing, leads[2], leads[3], leads[0]] } });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { result: string; path: string }) => [x.path, x.result])).toEqual([
      ['leadIds.0', 'assigned'],
      ['leadIds.1', 'conflict'],
      ['leadIds.2', 'not_found'],
      ['leadIds.3', 'assigned'],
      ['leadIds.4', 'cap'],
      ['leadIds.5', 'conflict'],
    ]);
    expect(r.body.counts).toEqual({ assigned: 2, conflict: 2, cap: 1, not_found: 1, unavailable: 0 });
    expect(r.body.results[1].message).toBe('The lead is no longer in Enterprise queue: Ben Ito has it.');
    expect(r.body.results[4]).toMatchObject({ cap: 'open_leads', message: 'Ana Diaz: open-lead cap reached: 2 open of 2' });
    expect(await loadOf(s.ws.id, 'rep-ana')).toBe(2);

    // Over the cap with a reason: moved, and the override is in the answer, the audit log and the trace.
    const over = await t.call('POST', '/api/queues/q-ent/assign', { cookie: manager, body: { repId: 'rep-ana', leadIds: [leads[3]], override: { reason: 'Ana covers Acme this week' } } });
    expect(over.body.results[0]).toMatchObject({ result: 'assigned', override: { cap: 'open_leads', reason: 'Ana covers Acme this week' } });
    expect(await loadOf(s.ws.id, 'rep-ana')).toBe(3);
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.workspaceId, s.ws.id), eq(auditLog.entityId, leads[3] as string)));
    expect(audit).toMatchObject({ action: 'lead.assigned', actorName: 'Mia Chen', details: { repId: 'rep-ana', override: { cap: 'open_leads', reason: 'Ana covers Acme this week' } } });
    const trace = await t.call('GET', `/api/leads/${leads[3]}/trace`, { key: s.ws.keys.viewer });
    expect(trace.body.steps.at(-1)).toMatchObject({
      nodeType: 'claim',
      label: 'Assigned from queue',
      decision: 'Assigned to Ana Diaz from Enterprise queue by Mia Chen',
      explanation: ['Assigned to Ana Diaz from Enterprise queue by Mia Chen', 'Cap overridden (open_leads): Ana covers Acme this week'],
    });
    const lead = await t.call('GET', `/api/leads/${leads[3]}`, { key: s.ws.keys.viewer });
    expect(lead.body.assignee).toEqual({ type: 'rep', id: 'rep-ana', name: 'Ana Diaz' });
  });

  it('a claim on a run still routing needs Temporal: unreachable, the claim is refused (503) and nothing moves', async () => {
    const s = await setup();
    const [lead] = await queuedLeads(s, 1);
    await updateTestRun(db, lead as string, { status: 'waiting', deadlineAt: new Date(Date.now() + 600_000) });
    const ana = await signIn(s.ws.id, 'viewer', 'rep-ana', 'Ana Diaz');
    const r = await t.call('POST', `/api/queues/q-ent/leads/${lead}/claim`, { cookie: ana });
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('5');
    expect((await db.select().from(routingRuns).where(eq(routingRuns.leadId, lead as string)))[0]).toMatchObject({ assigneeType: 'queue', assigneeId: 'q-ent', status: 'waiting' });
    expect(await loadOf(s.ws.id, 'rep-ana')).toBe(0);
    expect(await db.select().from(auditLog).where(and(eq(auditLog.workspaceId, s.ws.id), eq(auditLog.action, 'lead.claimed')))).toEqual([]);
  });

  it("refuses a claim once the wait's SLA has run out: the workflow is moving the lead on (409, nothing moves)", async () => {
    const s = await setup();
    const [lead] = await queuedLeads(s, 1);
    await updateTestRun(db, lead as string, { status: 'waiting', deadlineAt: new Date(Date.now() - 1_000) });
    const ana = await signIn(s.ws.id, 'viewer', 'rep-ana', 'Ana Diaz');
    const r = await t.call('POST', `/api/queues/q-ent/leads/${lead}/claim`, { cookie: ana });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'not_in_queue' });
    expect(r.body.error.message).toMatch(/SLA in Enterprise queue ran out at .*; its workflow is moving it on\./);
    expect(await loadOf(s.ws.id, 'rep-ana')).toBe(0);
  });

  it("an admin sets a queue's alert threshold, notify channel and members; members must be reps", async () => {
    const s = await setup();
    const body = { ageAlertMinutes: 30, notify: { channel: 'slack', url: 'https://hooks.slack.com/services/T/B/x' }, memberIds: ['rep-ana', 'rep-ben'] };
    expect((await t.call('PUT', '/api/queues/q-ent/settings', { key: s.ws.keys.publisher, body })).status).toBe(403);
    const r = await t.call('PUT', '/api/queues/q-ent/settings', { key: s.ws.keys.admin, body });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: 'q-ent', ageAlertMinutes: 30, ageAlertIsDefault: false, notify: body.notify, memberIds: ['rep-ana', 'rep-ben'] });
    const unknown = await t.call('PUT', '/api/queues/q-ent/settings', { key: s.ws.keys.admin, body: { ...body, memberIds: ['rep-ana', 'rep-zed'] } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_rep', details: [{ path: 'memberIds.1' }] });
    const badUrl = await t.call('PUT', '/api/queues/q-ent/settings', { key: s.ws.keys.admin, body: { ...body, notify: { channel: 'slack', url: 'ftp://x' } } });
    expect(badUrl.status).toBe(400);
    expect(badUrl.body.error.details[0].path).toBe('notify.url');
    // A Slack webhook's path is its credential: below admin the overview shows only the URL's origin.
    const notifyOf = async (key: string) => (await t.call('GET', '/api/queue-overview', { key })).body.items.find((q: { id: string }) => q.id === 'q-ent').notify;
    expect(await notifyOf(s.ws.keys.admin)).toEqual(body.notify);
    for (const role of ['viewer', 'editor', 'publisher'] as const) expect(await notifyOf(s.ws.keys[role])).toEqual({ channel: 'slack', url: 'https://hooks.slack.com/…' });
  });
});

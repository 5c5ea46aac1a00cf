import { randomUUID } from 'node:crypto';
import { parseCsv } from '@lead-router/shared';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../auth/authenticate';
import { newSessionToken, sha256 } from '../../auth/secrets';
import { auditLog, outbox, queues, reps, routingRuns, sessions } from '@lead-router/db/schema';
import { createUser } from '../../services/workspaces.service';
import { leadsCsv } from '../../services/leads-csv';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { createTestLead, createTestWorkflow, updateTestRun } from './leads.fixtures';

// The lead list's search, sorts, CSV export and bulk actions, against the real database.
const t = setupTestApp();
const db = t.database.db;

async function signIn(workspaceId: string, role: 'viewer' | 'editor' | 'publisher', repId: string | null): Promise<string> {
  const u = await createUser(db, { workspaceId, email: `u-${randomUUID().slice(0, 8)}@example.com`, name: 'Rep user', role, password: 'correct horse battery staple', repId });
  const token = newSessionToken();
  await db.insert(sessions).values({ tokenHash: sha256(token), userId: u.id, expiresAt: new Date(Date.now() + 3_600_000) });
  return `${SESSION_COOKIE}=${token}`;
}

const csvRows = (text: string): string[][] => {
  const p = parseCsv(text);
  return [p.header, ...p.rows];
};
const idsOf = (body: { items: Array<{ leadId: string }> }) => body.items.map((i) => i.leadId);

describe('GET /api/leads: search, sort, CSV', () => {
  let ws: TestWorkspace;
  const ids: string[] = [];
  const base = Date.UTC(2024, 4, 1, 9, 0, 0);
  const people = [
    { firstName: 'Grace', lastName: 'Hopper', email: 'grace@navy.mil', company: 'US Navy' },
    { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@engines.co.uk', company: 'Analytical Engines' },
    { firstName: 'Alan', lastName: 'Turing', email: 'alan@bletchley.org', company: '=HYPERLINK("http://evil")' },
    { firstName: 'Edsger', lastName: 'Dijkstra', email: 'ewd@UTexas.edu', company: 'Burroughs, "Research"' },
    { firstName: '100%', lastName: 'Real_Name', email: 'pct@example.com', company: 'Percent' },
  ];

  beforeAll(async () => {
    ws = await t.workspace();
    const wf = await createTestWorkflow(db, ws.id, { name: 'Inbound' });
    await db.insert(reps).values([
      { workspaceId: ws.id, id: 'rep-zed', name: 'Zed Young', email: 'zed@example.com', timeZone: 'UTC' },
      { workspaceId: ws.id, id: 'rep-amy', name: 'Amy Adams', email: 'amy@example.com', timeZone: 'UTC' },
    ]);
    await db.insert(queues).values({ workspaceId: ws.id, id: 'q-mid', name: 'Middle queue' });
    // Received a minute apart except the last two, which share an instant (a tie the cursor must survive).
    for (const [i, p] of people.entries()) ids.push(await createTestLead(db, wf, ws.id, p, new Date(base + Math.min(i, 3) * 60_000)));
    await updateTestRun(db, ids[0]!, { status: 'completed', assigneeType: 'rep', assigneeId: 'rep-zed' });
    await updateTestRun(db, ids[1]!, { status: 'waiting', assigneeType: 'rep', assigneeId: 'rep-amy' });
    await updateTestRun(db, ids[2]!, { status: 'completed', assigneeType: 'queue', assigneeId: 'q-mid' });
    await updateTestRun(db, ids[3]!, { status: 'failed' });
    const other = await t.workspace();
    await createTestLead(db, await createTestWorkflow(db, other.id), other.id, { firstName: 'Grace', email: 'grace@other.com' }, new Date(base));
  });

  const list = async (q: string) => {
    const r = await t.call('GET', `/api/leads?${q}`, { key: ws.keys.viewer });
    expect(r.status, q).toBe(200);
    return r.body as { items: Array<{ leadId: string }>; nextCursor: string | null };
  };

  it('searches name, email and company, case-insensitively, taking % and _ literally', async () => {
    expect(idsOf(await list('q=grace'))).toEqual([ids[0]]);
    expect(idsOf(await list('q=HOPPER'))).toEqual([ids[0]]);
    expect(idsOf(await list(`q=${encodeURIComponent('grace hop')}`))).toEqual([ids[0]]);
    expect(idsOf(await list('q=utexas.EDU'))).toEqual([ids[3]]);
    expect(idsOf(await list('q=analytical'))).toEqual([ids[1]]);
    expect(idsOf(await list('q=%25'))).toEqual([ids[4]]);
    expect(idsOf(await list('q=t_r'))).toEqual([]);
    expect(idsOf(await list('q=real_'))).toEqual([ids[4]]);
    expect(idsOf(await list('q=nobody-at-all'))).toEqual([]);
    // With the other filters.
    expect(idsOf(await list('q=a&status=waiting'))).toEqual([ids[1]]);
  });

  it('the search can use the trigram index (the expression matches the migration)', async () => {
    const plan = await db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return tx.execute(sql`explain select id from leads where lower(coalesce(data ->> 'firstName', '') || ' ' || coalesce(data ->> 'lastName', '') || ' ' || coalesce(data ->> 'email', '') || ' ' || coalesce(data ->> 'company', '')) like lower('%hopper%')`);
    });
    expect(JSON.stringify(plan)).toContain('leads_search_trgm');
  });

  it('sorts by received, status and assignee name, and the cursor pages each without skipping or repeating', async () => {
    const all = async (q: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 10; pages++) {
        const page = await list(`${q}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        seen.push(...idsOf(page));
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      return seen;
    };
    const tied = [ids[3]!, ids[4]!].sort();
    const newest = [...tied].reverse().concat([ids[2]!, ids[1]!, ids[0]!]);
    expect(await all('sort=received')).toEqual(newest);
    expect(await all('sort=received&order=asc')).toEqual([...newest].reverse());
    // Status A to Z (completed, failed, queued, waiting), then received and lead id in the same direction.
    expect(await all('sort=status')).toEqual([ids[0], ids[2], ids[3], ids[4], ids[1]]);
    expect(await all('sort=status&order=desc')).toEqual([ids[1], ids[4], ids[3], ids[2], ids[0]]);
    // Assignee by name: nobody ('': leads 3 and 4, tied on received too, so by lead id), Amy Adams, Middle queue, Zed Young.
    expect(await all('sort=assignee')).toEqual([...tied, ids[1], ids[2], ids[0]]);
    expect(await all('sort=assignee&order=desc')).toEqual([ids[0], ids[2], ids[1], ...[...tied].reverse()]);
  });

  it("400 naming the parameter: a cursor of another sort, an unknown sort, a search too long", async () => {
    const page = await list('sort=status&limit=2');
    for (const [q, path] of [
      [`sort=assignee&cursor=${page.nextCursor}`, 'cursor'],
      [`sort=status&order=desc&cursor=${page.nextCursor}`, 'cursor'],
      ['sort=score', 'sort'],
      ['order=up', 'order'],
      [`q=${'x'.repeat(201)}`, 'q'],
      ['format=xml', 'format'],
    ] as const) {
      const r = await t.call('GET', `/api/leads?${q}`, { key: ws.keys.viewer });
      expect(r.status, q).toBe(400);
      expect(r.body.error.details[0].path, q).toBe(path);
    }
  });

  it('exports the matching leads as CSV: header, escaping, formula-safe, the same filters and order', async () => {
    const r = await t.call('GET', '/api/leads?format=csv&sort=received&order=asc', { key: ws.keys.viewer });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('text/csv');
    expect(r.headers.get('content-disposition')).toMatch(/^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(r.headers.get('x-row-cap')).toBe('100000');
    const rows = csvRows(r.text);
    expect(rows[0]).toEqual(['leadId', 'receivedAt', 'name', 'email', 'company', 'workflow', 'version', 'status', 'assigneeType', 'assigneeId', 'assigneeName', 'outcome', 'firstAssignedAt', 'assignedAt', 'acceptedAt', 'completedAt', 'closedAt', 'closeReason']);
    expect(rows.slice(1).map((row) => row[0])).toEqual([ids[0], ids[1], ids[2], ...[ids[3]!, ids[4]!].sort()]);
    const alan = rows.find((row) => row[0] === ids[2])!;
    expect(alan.slice(2, 5)).toEqual(['Alan Turing', 'alan@bletchley.org', `'=HYPERLINK("http://evil")`]);
    expect(alan.slice(8, 11)).toEqual(['queue', 'q-mid', 'Middle queue']);
    expect(rows.find((row) => row[0] === ids[3])![4]).toBe('Burroughs, "Research"');
    expect(r.text).toContain('"Burroughs, ""Research"""');
    // The same filters as the list; limit and cursor do not cut it.
    const some = await t.call('GET', '/api/leads?format=csv&q=grace&limit=1', { key: ws.keys.viewer });
    expect(csvRows(some.text).slice(1).map((row) => row[0])).toEqual([ids[0]]);
    const none = await t.call('GET', '/api/leads?format=csv&q=nobody-at-all', { key: ws.keys.viewer });
    expect(csvRows(none.text)).toHaveLength(1);
    expect((await t.call('GET', '/api/leads?format=csv', { key: ws.keys.ingest })).status).toBe(403);
  });

  it('stops the export at the cap, across pages', async () => {
    let text = '';
    for await (const chunk of leadsCsv(db, ws.id, { sort: 'received', order: 'desc' }, 3)) text += chunk;
    const rows = csvRows(text);
    expect(rows).toHaveLength(4);
    expect(rows.slice(1).map((row) => row[0])).toEqual([...[ids[3]!, ids[4]!].sort().reverse(), ids[2]]);
  });
});

describe('POST /api/leads/bulk', () => {
  async function setup() {
    const ws = await t.workspace();
    const wf = await createTestWorkflow(db, ws.id, { name: 'Inbound' });
    await db.insert(reps).values([
      { workspaceId: ws.id, id: 'rep-ana', name: 'Ana Diaz', email: 'ana@example.com', timeZone: 'UTC', capOpenLeads: 2 },
      { workspaceId: ws.id, id: 'rep-ben', name: 'Ben Ito', email: 'ben@example.com', timeZone: 'UTC' },
    ]);
    await db.insert(queues).values([
      { workspaceId: ws.id, id: 'q-ent', name: 'Enterprise queue' },
      { workspaceId: ws.id, id: 'q-smb', name: 'SMB queue' },
    ]);
    const lead = async (set: Partial<typeof routingRuns.$inferInsert>) => {
      const id = await createTestLead(db, wf, ws.id, { firstName: 'Lead', lastName: randomUUID().slice(0, 4), email: `${randomUUID().slice(0, 6)}@acme.com` });
      await updateTestRun(db, id, set);
      return id;
    };
    const queued = (queueId: string) => lead({ status: 'completed', outcome: 'queued', assigneeType: 'queue', assigneeId: queueId, assignedAt: new Date() });
    return { ws, wf, lead, queued };
  }

  const bulk = (body: unknown, auth: { key?: string; cookie?: string }) => t.call('POST', '/api/leads/bulk', { ...auth, body });

  it('checks the role of each action for the whole request (403), before moving anything', async () => {
    const s = await setup();
    const q = await s.queued('q-ent');
    expect((await bulk({ action: 'reroute', leadIds: [q] }, { key: s.ws.keys.viewer })).status).toBe(403);
    expect((await bulk({ action: 'assign', leadIds: [q], repId: 'rep-ana' }, { key: s.ws.keys.editor })).status).toBe(403);
    // A key is nobody's rep; a signed-in user who is not a rep neither.
    expect((await bulk({ action: 'claim', leadIds: [q] }, { key: s.ws.keys.admin })).status).toBe(403);
    expect((await bulk({ action: 'claim', leadIds: [q] }, { cookie: await signIn(s.ws.id, 'editor', null) })).status).toBe(403);
    expect((await bulk({ action: 'claim', leadIds: [q] }, {})).status).toBe(401);
    const [run] = await db.select().from(routingRuns).where(eq(routingRuns.leadId, q));
    expect(run).toMatchObject({ assigneeType: 'queue', assigneeId: 'q-ent' });
  });

  it('400 naming the field: more than 500 ids, none, an unknown action, an extra field', async () => {
    const s = await setup();
    for (const [body, path] of [
      [{ action: 'reroute', leadIds: Array.from({ length: 501 }, () => randomUUID()) }, 'leadIds'],
      [{ action: 'reroute', leadIds: [] }, 'leadIds'],
      [{ action: 'delete', leadIds: [randomUUID()] }, 'action'],
      [{ action: 'assign', leadIds: [randomUUID()] }, 'repId'],
      [{ action: 'claim', leadIds: [randomUUID()], repId: 'rep-ana' }, '(body)'],
    ] as const) {
      const r = await bulk(body, { key: s.ws.keys.admin });
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(r.body.error.details.map((d: { path: string }) => d.path), JSON.stringify(body).slice(0, 60)).toContain(path);
    }
    const unknown = await bulk({ action: 'assign', leadIds: [randomUUID()], repId: 'rep-nobody' }, { key: s.ws.keys.publisher });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ code: 'unknown_rep', details: [{ path: 'repId' }] });
  });

  it('re-routes each lead on its own (editor): per-lead results with their path', async () => {
    const s = await setup();
    const done = await s.lead({ status: 'completed', outcome: 'assigned', assigneeType: 'rep', assigneeId: 'rep-ben' });
    const busy = await s.lead({ status: 'running' });
    const missing = randomUUID();
    const r = await bulk({ action: 'reroute', leadIds: [done, busy, missing, done, 'not-a-uuid'], note: 'new rules' }, { key: s.ws.keys.editor });
    expect(r.status).toBe(200);
    expect(r.body.action).toBe('reroute');
    expect(r.body.results).toEqual([
      { leadId: done, path: 'leadIds.0', result: 'rerouted', version: 1, runNumber: 2, message: null },
      { leadId: busy, path: 'leadIds.1', result: 'refused', code: 'still_routing', message: expect.stringContaining('being routed right now') },
      { leadId: missing, path: 'leadIds.2', result: 'not_found', message: expect.any(String) },
      { leadId: done, path: 'leadIds.3', result: 'conflict', message: 'The same lead is listed earlier in this request.' },
      { leadId: 'not-a-uuid', path: 'leadIds.4', result: 'not_found', message: expect.any(String) },
    ]);
    expect(r.body.counts).toEqual({ rerouted: 1, assigned: 0, conflict: 1, cap: 0, not_found: 2, unavailable: 0, refused: 1 });
    // A new run, queued for the dispatcher (the lead's first outbox row was its ingestion's).
    expect(await db.select().from(outbox).where(eq(outbox.leadId, done))).toHaveLength(2);
    expect((await db.select().from(routingRuns).where(eq(routingRuns.leadId, done)))[0]).toMatchObject({ runNumber: 2, status: 'queued' });
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.workspaceId, s.ws.id), eq(auditLog.action, 'lead.rerouted')));
    expect(audits.map((a) => a.entityId)).toEqual([done]);
    // A version the workflow does not have is that lead's refusal, naming it.
    const v9 = await bulk({ action: 'reroute', leadIds: [busy], version: 9 }, { key: s.ws.keys.editor });
    expect(v9.body.results[0]).toMatchObject({ result: 'refused', code: 'unknown_reference' });
  });

  it("assigns queued leads from whichever queue holds each (manager): assigned, conflict, cap", async () => {
    const s = await setup();
    const a = await s.queued('q-ent');
    const b = await s.queued('q-smb');
    const held = await s.lead({ status: 'completed', assigneeType: 'rep', assigneeId: 'rep-ben' });
    const c = await s.queued('q-ent');
    const r = await bulk({ action: 'assign', leadIds: [a, b, held, c], repId: 'rep-ana' }, { key: s.ws.keys.publisher });
    expect(r.status).toBe(200);
    expect(r.body.results).toEqual([
      { leadId: a, path: 'leadIds.0', result: 'assigned', rep: { id: 'rep-ana', name: 'Ana Diaz' }, queue: { id: 'q-ent', name: 'Enterprise queue' }, override: null, message: null },
      { leadId: b, path: 'leadIds.1', result: 'assigned', rep: { id: 'rep-ana', name: 'Ana Diaz' }, queue: { id: 'q-smb', name: 'SMB queue' }, override: null, message: null },
      { leadId: held, path: 'leadIds.2', result: 'conflict', message: 'The lead is not in a queue: Ben Ito has it.' },
      { leadId: c, path: 'leadIds.3', result: 'cap', cap: 'open_leads', message: expect.stringContaining('Ana Diaz') },
    ]);
    expect(r.body.counts).toMatchObject({ assigned: 2, conflict: 1, cap: 1 });
    // The override moves the capped lead, recorded.
    const o = await bulk({ action: 'assign', leadIds: [c], repId: 'rep-ana', override: { reason: 'Ana asked for it' } }, { key: s.ws.keys.admin });
    expect(o.body.results[0]).toMatchObject({ result: 'assigned', override: { cap: 'open_leads', reason: 'Ana asked for it' } });
    const runs = await db.select().from(routingRuns).where(inArray(routingRuns.leadId, [a, b, c]));
    expect(runs.every((x) => x.assigneeType === 'rep' && x.assigneeId === 'rep-ana')).toBe(true);
    expect(await db.select().from(auditLog).where(and(eq(auditLog.workspaceId, s.ws.id), eq(auditLog.action, 'lead.assigned')))).toHaveLength(3);
  });

  it('claims queued leads for the signed-in rep, whatever their role; a lead someone has is a conflict', async () => {
    const s = await setup();
    const a = await s.queued('q-ent');
    const b = await s.queued('q-smb');
    const taken = await s.lead({ status: 'completed', assigneeType: 'rep', assigneeId: 'rep-ana' });
    const cookie = await signIn(s.ws.id, 'viewer', 'rep-ben');
    const r = await bulk({ action: 'claim', leadIds: [a, taken, b] }, { cookie });
    expect(r.status).toBe(200);
    expect(r.body.results.map((x: { result: string; path: string }) => [x.path, x.result])).toEqual([
      ['leadIds.0', 'assigned'],
      ['leadIds.1', 'conflict'],
      ['leadIds.2', 'assigned'],
    ]);
    expect(r.body.results[1].message).toBe('The lead is not in a queue: Ana Diaz has it.');
    const claims = await db.select().from(auditLog).where(and(eq(auditLog.workspaceId, s.ws.id), eq(auditLog.action, 'lead.claimed')));
    expect(claims).toHaveLength(2);
    const again = await bulk({ action: 'claim', leadIds: [a] }, { cookie });
    expect(again.body.results[0]).toMatchObject({ result: 'conflict', message: 'The lead is not in a queue: Ben Ito has it.' });
  });
});

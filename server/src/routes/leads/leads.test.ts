import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../auth/authenticate';
import { newSessionToken, sha256 } from '../../auth/secrets';
import { auditLog, outbox, queues, reps, sessions, versions } from '@lead-router/db/schema';
import { createUser } from '../../services/workspaces.service';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { createTestLead, createTestWorkflow, insertTestStep, updateTestRun } from './leads.fixtures';

const t = setupTestApp();
const db = t.database.db;

async function addRep(workspaceId: string, id: string, name: string) {
  await db.insert(reps).values({ workspaceId, id, name, email: `${id}@example.com`, timeZone: 'UTC' });
}

/** A signed-in user (a session row, as the login route writes it) who is rep `repId`. */
async function signIn(workspaceId: string, role: 'viewer' | 'editor', repId: string | null): Promise<string> {
  const u = await createUser(db, { workspaceId, email: `u-${randomUUID().slice(0, 8)}@example.com`, name: 'Rep user', role, password: 'correct horse battery staple', repId });
  const token = newSessionToken();
  await db.insert(sessions).values({ tokenHash: sha256(token), userId: u.id, expiresAt: new Date(Date.now() + 3_600_000) });
  return `${SESSION_COOKIE}=${token}`;
}

describe('GET /api/leads', () => {
  let ws: TestWorkspace;
  let wf: Awaited<ReturnType<typeof createTestWorkflow>>;
  let wf2: Awaited<ReturnType<typeof createTestWorkflow>>;
  const ids: string[] = [];
  const base = Date.UTC(2024, 4, 1, 9, 0, 0);

  beforeAll(async () => {
    ws = await t.workspace();
    wf = await createTestWorkflow(db, ws.id, { name: 'Inbound' });
    wf2 = await createTestWorkflow(db, ws.id, { name: 'Partners' });
    await addRep(ws.id, 'rep-ana', 'Ana Diaz');
    await db.insert(queues).values({ workspaceId: ws.id, id: 'q-fallback', name: 'Fallback queue' });
    // Five leads a minute apart (the last two in the same instant), oldest first.
    for (let i = 0; i < 5; i++) {
      const at = new Date(base + Math.min(i, 3) * 60_000);
      ids.push(await createTestLead(db, i === 4 ? wf2 : wf, ws.id, { firstName: `Lead${i}`, lastName: 'Doe', email: `l${i}@acme.com`, company: 'Acme' }, at));
    }
    await updateTestRun(db, ids[1]!, { status: 'waiting', assigneeType: 'rep', assigneeId: 'rep-ana', firstAssignedAt: new Date(base + 60_000 + 1500), assignedAt: new Date(base + 60_000 + 1500), deadlineAt: new Date(base + 60_000 + 1500 + 900_000) });
    await updateTestRun(db, ids[2]!, { status: 'completed', assigneeType: 'queue', assigneeId: 'q-fallback', outcome: 'queued', completedAt: new Date(base + 120_000 + 900) });
    // Another workspace's lead never shows.
    const other = await t.workspace();
    const otherWf = await createTestWorkflow(db, other.id);
    await createTestLead(db, otherWf, other.id, { firstName: 'Secret' }, new Date(base));
  });

  it('401 without credentials, 403 for an ingest-only key', async () => {
    expect((await t.call('GET', '/api/leads')).status).toBe(401);
    const r = await t.call('GET', '/api/leads', { key: ws.keys.ingest });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('forbidden');
  });

  it('lists the workspace leads newest first with their summary', async () => {
    const r = await t.call('GET', '/api/leads', { key: ws.keys.viewer });
    expect(r.status).toBe(200);
    expect(r.body.nextCursor).toBeNull();
    expect(r.body.items.map((i: { leadId: string }) => i.leadId)).toEqual(expectedOrder());
    const waiting = r.body.items.find((i: { leadId: string }) => i.leadId === ids[1]);
    expect(waiting).toEqual({
      leadId: ids[1],
      workflowId: wf.id,
      workflowName: 'Inbound',
      versionId: wf.versionId,
      version: 1,
      status: 'waiting',
      assignee: { type: 'rep', id: 'rep-ana', name: 'Ana Diaz' },
      outcome: null,
      receivedAt: new Date(base + 60_000).toISOString(),
      firstAssignedAt: new Date(base + 60_000 + 1500).toISOString(),
      assignedAt: new Date(base + 60_000 + 1500).toISOString(),
      acceptedAt: null,
      completedAt: null,
      // The SLA's end is in the list (the inbox shows each waiting lead's countdown from it, without a request per lead).
      deadlineAt: new Date(base + 60_000 + 1500 + 900_000).toISOString(),
      closed: null,
      name: 'Lead1 Doe',
      email: 'l1@acme.com',
      company: 'Acme',
    });
    const done = r.body.items.find((i: { leadId: string }) => i.leadId === ids[2]);
    expect(done.assignee).toEqual({ type: 'queue', id: 'q-fallback', name: 'Fallback queue' });
  });

  // Newest first; ids 3 and 4 share an instant, so the lead id breaks the tie (descending).
  function expectedOrder(): string[] {
    const tied = [ids[3]!, ids[4]!].sort().reverse();
    return [...tied, ids[2]!, ids[1]!, ids[0]!];
  }

  it('pages with a cursor without skipping or repeating (also across a tie)', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const r = await t.call('GET', `/api/leads${q}`, { key: ws.keys.viewer });
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...r.body.items.map((i: { leadId: string }) => i.leadId));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual(expectedOrder());
  });

  it('filters by workflow, status, assignee and received time', async () => {
    const get = async (q: string) => {
      const r = await t.call('GET', `/api/leads?${q}`, { key: ws.keys.viewer });
      expect(r.status, q).toBe(200);
      return (r.body.items as Array<{ leadId: string }>).map((i) => i.leadId);
    };
    expect(await get(`workflow=${wf2.id}`)).toEqual([ids[4]]);
    expect(await get('status=waiting')).toEqual([ids[1]]);
    expect(await get('status=completed')).toEqual([ids[2]]);
    expect(await get('assignee=rep-ana')).toEqual([ids[1]]);
    expect(await get(`since=${new Date(base + 60_000).toISOString()}&until=${new Date(base + 180_000).toISOString()}`)).toEqual([ids[2], ids[1]]);
    expect(await get(`workflow=${randomUUID()}`)).toEqual([]);
  });

  it('400 naming the parameter for bad filters and cursors', async () => {
    for (const [q, path] of [
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['limit=ten', 'limit'],
      ['status=lost', 'status'],
      ['since=yesterday', 'since'],
      ['workflow=abc', 'workflow'],
      ['cursor=bm9wZQ', 'cursor'],
      [`cursor=${Buffer.from(JSON.stringify(['2024-05-01 09:00', randomUUID()])).toString('base64url')}`, 'cursor'],
    ] as const) {
      const r = await t.call('GET', `/api/leads?${q}`, { key: ws.keys.viewer });
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
      expect(r.body.error.details[0].path, q).toBe(path);
    }
  });
});

describe('GET /api/leads/{id} and /trace', () => {
  let ws: TestWorkspace;
  let wf: Awaited<ReturnType<typeof createTestWorkflow>>;
  let leadId: string;
  const received = new Date(Date.UTC(2024, 4, 1, 9, 0, 0));

  beforeAll(async () => {
    ws = await t.workspace();
    wf = await createTestWorkflow(db, ws.id);
    await addRep(ws.id, 'rep-bo', 'Bo Chen');
    leadId = await createTestLead(db, wf, ws.id, { firstName: 'Ana', lastName: 'Lee', email: 'ana@acme.com', company: 'Acme', employees: 650 }, received);
    await updateTestRun(db, leadId, {
      status: 'waiting',
      currentNodeId: 'wait-accept',
      assigneeType: 'rep',
      assigneeId: 'rep-bo',
      startedAt: new Date(received.getTime() + 200),
      // First assigned after 1.2 s, re-assigned after its SLA at 30 s, accepted at 61.2 s.
      firstAssignedAt: new Date(received.getTime() + 1200),
      assignedAt: new Date(received.getTime() + 30_000),
      acceptedAt: new Date(received.getTime() + 61_200),
      deadlineAt: new Date(received.getTime() + 901_200),
    });
    for (const seq of [2, 0, 1]) await insertTestStep(db, leadId, seq);
  });

  it('returns the run, the lead data, timings and the Temporal workflow id; speed to lead counts to the first assignment, not a re-assignment', async () => {
    const r = await t.call('GET', `/api/leads/${leadId}`, { key: ws.keys.viewer });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      leadId,
      workflowId: wf.id,
      version: 1,
      status: 'waiting',
      assignee: { type: 'rep', id: 'rep-bo', name: 'Bo Chen' },
      temporalWorkflowId: `lead-${leadId}`,
      temporalUrl: null,
      currentNodeId: 'wait-accept',
      receivedAt: received.toISOString(),
      startedAt: new Date(received.getTime() + 200).toISOString(),
      deadlineAt: new Date(received.getTime() + 901_200).toISOString(),
      idempotencyKey: null,
      lead: { firstName: 'Ana', lastName: 'Lee', email: 'ana@acme.com', company: 'Acme', employees: 650 },
      firstAssignedAt: new Date(received.getTime() + 1200).toISOString(),
      assignedAt: new Date(received.getTime() + 30_000).toISOString(),
      timings: { receivedToAssignedMs: 1200, assignedToAcceptedMs: 31_200, receivedToAcceptedMs: 61_200, receivedToCompletedMs: null },
    });
  });

  it('returns the trace steps in order', async () => {
    const r = await t.call('GET', `/api/leads/${leadId}/trace`, { key: ws.keys.viewer });
    expect(r.status).toBe(200);
    expect(r.body.leadId).toBe(leadId);
    expect(r.body.steps.map((s: { seq: number }) => s.seq)).toEqual([0, 1, 2]);
    expect(r.body.steps[1]).toEqual({
      seq: 1,
      nodeId: 'node-1',
      nodeType: 'branch',
      label: 'Step 1',
      at: new Date(Date.UTC(2024, 4, 1, 9, 30, 1)).toISOString(),
      durationMs: 1,
      input: { employees: 650 },
      decision: 'decision 1',
      explanation: ['employees 650 > 500: true'],
      output: {},
      outcome: 'yes',
      next: 'node-2',
      candidates: null,
    });
  });

  it("404 for an unknown lead, a non-uuid id and another workspace's lead; 401/403 as usual", async () => {
    const other = await t.workspace();
    for (const path of [`/api/leads/${randomUUID()}`, '/api/leads/nope', `/api/leads/${randomUUID()}/trace`, `/api/leads/${randomUUID()}/events`]) {
      const r = await t.call('GET', path, { key: ws.keys.viewer });
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    for (const path of [`/api/leads/${leadId}`, `/api/leads/${leadId}/trace`, `/api/leads/${leadId}/events`]) {
      expect((await t.call('GET', path, { key: other.keys.admin })).status, path).toBe(404);
      expect((await t.call('GET', path)).status, path).toBe(401);
      expect((await t.call('GET', path, { key: ws.keys.ingest })).status, path).toBe(403);
    }
  });

  it('links to the Temporal UI when it is configured', async () => {
    const { getLead } = await import('../../services/leads.service');
    const d = await getLead(db, { TEMPORAL_UI_URL: 'http://temporal.local:8233/', TEMPORAL_NAMESPACE: 'default' }, ws.id, leadId);
    expect(d.temporalUrl).toBe(`http://temporal.local:8233/namespaces/default/workflows/lead-${leadId}`);
  });
});

/** Reads server-sent events off a response body as they arrive. */
function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let closed = false;
  return {
    get closed() {
      return closed;
    },
    /** The next event (comments skipped), or null when the stream ended. */
    async next(timeoutMs = 5000): Promise<{ event: string; data: string; id?: string } | null> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const sep = buffer.indexOf('\n\n');
        if (sep >= 0) {
          const block = buffer.slice(0, sep);
          buffer = buffer.slice(sep + 2);
          const lines = block.split('\n').filter((l) => !l.startsWith(':'));
          if (lines.length === 0) continue;
          const field = (name: string) => lines.filter((l) => l.startsWith(`${name}: `)).map((l) => l.slice(name.length + 2));
          const id = field('id')[0];
          return { event: field('event')[0] ?? 'message', data: field('data').join('\n'), ...(id !== undefined ? { id } : {}) };
        }
        if (closed) return null;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no event within ${timeoutMs} ms; buffered: ${JSON.stringify(buffer)}`);
        const chunk = await Promise.race([reader.read(), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), left))]);
        if (chunk === 'timeout') continue;
        if (chunk.done) closed = true;
        else buffer += decoder.decode(chunk.value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}

describe('GET /api/leads/{id}/events', () => {
  let ws: TestWorkspace;
  let wf: Awaited<ReturnType<typeof createTestWorkflow>>;

  beforeAll(async () => {
    ws = await t.workspace();
    wf = await createTestWorkflow(db, ws.id);
    await addRep(ws.id, 'rep-cy', 'Cy Park');
  });

  const open = (leadId: string, headers: Record<string, string> = {}) =>
    t.app.request(`/api/leads/${leadId}/events`, { headers: { authorization: `Bearer ${ws.keys.viewer}`, ...headers } });

  it('sends the steps written so far, then new steps, status changes, and end when the run completes', async () => {
    const leadId = await createTestLead(db, wf, ws.id);
    await insertTestStep(db, leadId, 0);
    await insertTestStep(db, leadId, 1);
    const res = await open(leadId);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const sse = sseReader(res);

    const s0 = await sse.next();
    expect(s0).toMatchObject({ event: 'step', id: '0' });
    expect(JSON.parse(s0!.data)).toMatchObject({ seq: 0, nodeId: 'node-0', decision: 'decision 0' });
    expect(await sse.next()).toMatchObject({ event: 'step', id: '1' });
    const first = await sse.next();
    expect(first!.event).toBe('status');
    expect(JSON.parse(first!.data)).toMatchObject({ leadId, status: 'queued', assignee: null });

    // The worker writes a step while the stream is open.
    await insertTestStep(db, leadId, 2);
    const s2 = await sse.next();
    expect(s2).toMatchObject({ event: 'step', id: '2' });
    expect(JSON.parse(s2!.data).seq).toBe(2);

    await updateTestRun(db, leadId, { status: 'waiting', assigneeType: 'rep', assigneeId: 'rep-cy', assignedAt: new Date() });
    const waiting = await sse.next();
    expect(waiting!.event).toBe('status');
    expect(JSON.parse(waiting!.data)).toMatchObject({ status: 'waiting', assignee: { type: 'rep', id: 'rep-cy', name: 'Cy Park' } });

    // The last step and the completion land together: the step still comes before `end`.
    await insertTestStep(db, leadId, 3);
    await updateTestRun(db, leadId, { status: 'completed', outcome: 'assigned', completedAt: new Date() });
    const rest: Array<{ event: string; data: string }> = [];
    for (let e = await sse.next(); e; e = await sse.next()) rest.push(e);
    expect(rest.map((e) => e.event)).toEqual(['step', 'status', 'end']);
    expect(JSON.parse(rest[2]!.data)).toMatchObject({ status: 'completed', outcome: 'assigned' });
    expect(sse.closed).toBe(true);
  });

  it('resumes after Last-Event-ID', async () => {
    const leadId = await createTestLead(db, wf, ws.id);
    for (const seq of [0, 1, 2, 3]) await insertTestStep(db, leadId, seq);
    await updateTestRun(db, leadId, { status: 'failed', completedAt: new Date() });
    const sse = sseReader(await open(leadId, { 'Last-Event-ID': '1' }));
    const events: Array<{ event: string; id?: string }> = [];
    for (let e = await sse.next(); e; e = await sse.next()) events.push(e);
    expect(events.map((e) => `${e.event}${e.id ?? ''}`)).toEqual(['step2', 'step3', 'status', 'end']);
  });

  it('stops when the client goes away', async () => {
    const leadId = await createTestLead(db, wf, ws.id);
    const sse = sseReader(await open(leadId));
    expect((await sse.next())!.event).toBe('status');
    await sse.cancel();
    // Nothing to read any more, and the server does not fail: the next request is served normally.
    const r = await t.call('GET', `/api/leads/${leadId}`, { key: ws.keys.viewer });
    expect(r.status).toBe(200);
  });
});

describe('POST /api/leads/{id}/accept and /reject', () => {
  let ws: TestWorkspace;
  let wf: Awaited<ReturnType<typeof createTestWorkflow>>;
  let waitingLead: string;
  let queuedLead: string;

  beforeAll(async () => {
    ws = await t.workspace();
    wf = await createTestWorkflow(db, ws.id);
    await addRep(ws.id, 'rep-di', 'Di Novak');
    await addRep(ws.id, 'rep-ed', 'Ed Ortiz');
    waitingLead = await createTestLead(db, wf, ws.id);
    await updateTestRun(db, waitingLead, { status: 'waiting', assigneeType: 'rep', assigneeId: 'rep-di', assignedAt: new Date() });
    queuedLead = await createTestLead(db, wf, ws.id);
  });

  it('409 not_waiting for a run that waits for no answer', async () => {
    for (const action of ['accept', 'reject']) {
      const r = await t.call('POST', `/api/leads/${queuedLead}/${action}`, { key: ws.keys.editor, body: {} });
      expect(r.status, action).toBe(409);
      expect(r.body.error.code).toBe('not_waiting');
    }
  });

  it('503 with Retry-After when the run waits and Temporal is unreachable (editor)', async () => {
    const r = await t.call('POST', `/api/leads/${waitingLead}/accept`, { key: ws.keys.editor, body: { reason: 'calling now' } });
    expect(r.status).toBe(503);
    expect(r.body.error.code).toBe('unavailable');
    expect(r.headers.get('retry-after')).toBe('5');
    const rejected = await t.call('POST', `/api/leads/${waitingLead}/reject`, { key: ws.keys.admin });
    expect(rejected.status).toBe(503);
    // Nothing was recorded for a signal that was not delivered.
    const audits = await db.select().from(auditLog).where(eq(auditLog.entityId, waitingLead));
    expect(audits).toEqual([]);
  });

  it('the assigned rep may answer even as a viewer; other reps and viewer keys may not', async () => {
    const assignee = await signIn(ws.id, 'viewer', 'rep-di');
    const r = await t.call('POST', `/api/leads/${waitingLead}/accept`, { cookie: assignee });
    expect(r.status).toBe(503);
    const otherRep = await signIn(ws.id, 'viewer', 'rep-ed');
    const denied = await t.call('POST', `/api/leads/${waitingLead}/accept`, { cookie: otherRep });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
    expect((await t.call('POST', `/api/leads/${waitingLead}/reject`, { key: ws.keys.viewer })).status).toBe(403);
    expect((await t.call('POST', `/api/leads/${waitingLead}/reject`, { key: ws.keys.ingest })).status).toBe(403);
    expect((await t.call('POST', `/api/leads/${waitingLead}/reject`)).status).toBe(401);
  });

  it("404 for an unknown lead and another workspace's lead", async () => {
    const other = await t.workspace();
    expect((await t.call('POST', `/api/leads/${randomUUID()}/accept`, { key: ws.keys.editor })).status).toBe(404);
    expect((await t.call('POST', `/api/leads/${waitingLead}/accept`, { key: other.keys.admin })).status).toBe(404);
  });

  it('400 for a bad body, naming the field, and for malformed JSON', async () => {
    const long = await t.call('POST', `/api/leads/${waitingLead}/reject`, { key: ws.keys.editor, body: { reason: 'x'.repeat(1001) } });
    expect(long.status).toBe(400);
    expect(long.body.error.details[0].path).toBe('reason');
    const typed = await t.call('POST', `/api/leads/${waitingLead}/reject`, { key: ws.keys.editor, body: { reason: 5 } });
    expect(typed.status).toBe(400);
    expect(typed.body.error.details[0].path).toBe('reason');
    const malformed = await t.call('POST', `/api/leads/${waitingLead}/reject`, { key: ws.keys.editor, rawBody: '{"reason":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_json');
  });

  it('400 naming `reason` for text the trace cannot store, before anything is signalled', async () => {
    // The engine is unreachable here: a reason that reached it would answer 503, not 400.
    for (const [what, rawBody] of [
      ['a lone high surrogate', '{"reason":"\\ud800"}'],
      ['a lone low surrogate', '{"reason":"ok \\udc00"}'],
      ['a NUL character', '{"reason":"a\\u0000b"}'],
    ] as const) {
      for (const action of ['accept', 'reject']) {
        const r = await t.call('POST', `/api/leads/${waitingLead}/${action}`, { key: ws.keys.editor, rawBody });
        expect(r.status, `${what} (${action})`).toBe(400);
        expect(r.body.error.code).toBe('invalid_request');
        expect(r.body.error.details).toMatchObject([{ path: 'reason', message: 'must not contain NUL characters or broken Unicode' }]);
      }
    }
    // A well-formed pair (an emoji) is fine: it reaches the (unreachable) engine.
    const emoji = await t.call('POST', `/api/leads/${waitingLead}/accept`, { key: ws.keys.editor, rawBody: '{"reason":"on it \\ud83d\\ude80"}' });
    expect(emoji.status).toBe(503);
    expect(await db.select().from(auditLog).where(eq(auditLog.entityId, waitingLead))).toEqual([]);
  });

  it('shows the version number each run started on', async () => {
    const [v2] = await db.insert(versions).values({ workflowId: wf.id, number: 2, graph: { schemaVersion: 1, nodes: [], edges: [] } as never, plan: {} as never, checksum: 'x', authorName: 'T', note: 'second' }).returning();
    const lead = await createTestLead(db, { id: wf.id, versionId: v2!.id }, ws.id);
    const r = await t.call('GET', `/api/leads/${lead}`, { key: ws.keys.viewer });
    expect(r.body.version).toBe(2);
  });
});

describe('POST /api/leads/{id}/retry', () => {
  let ws: TestWorkspace;
  let wf: Awaited<ReturnType<typeof createTestWorkflow>>;
  const reason = 'recordSteps failed for lead x, run lead-x: PostgreSQL error 22P02 invalid_text_representation';

  beforeAll(async () => {
    ws = await t.workspace();
    wf = await createTestWorkflow(db, ws.id);
  });

  async function failedLead(): Promise<string> {
    const id = await createTestLead(db, wf, ws.id);
    await db.update(outbox).set({ dispatchedAt: new Date() }).where(eq(outbox.leadId, id));
    await updateTestRun(db, id, { status: 'failed', outcome: 'failed', error: reason, completedAt: new Date(), assigneeType: 'rep', assigneeId: 'rep-x', currentNodeId: 'sla' });
    return id;
  }

  it('shows why a run failed on the lead, and queues it again on its version with an outbox row and an audit entry', async () => {
    const id = await failedLead();
    const shown = await t.call('GET', `/api/leads/${id}`, { key: ws.keys.viewer });
    expect(shown.body).toMatchObject({ status: 'failed', outcome: 'failed', error: reason });

    const r = await t.call('POST', `/api/leads/${id}/retry`, { key: ws.keys.editor });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ leadId: id, status: 'queued', versionId: wf.versionId });
    const after = await t.call('GET', `/api/leads/${id}`, { key: ws.keys.viewer });
    // Whoever holds the lead keeps it until the new run routes it.
    expect(after.body).toMatchObject({ status: 'queued', outcome: null, error: null, completedAt: null, assignee: { type: 'rep', id: 'rep-x' }, runNumber: 2 });
    // The failed run stays on the lead's page, and the trace divides where the retry starts.
    expect(after.body.earlierRuns).toEqual([expect.objectContaining({ runNumber: 1, status: 'failed', outcome: 'failed', endedReason: 'retried', endedBy: expect.stringMatching(/^key:/), endedByName: expect.any(String) })]);
    const rows = await db.select().from(outbox).where(eq(outbox.leadId, id));
    expect(rows.map((o) => ({ retry: o.retry, dispatched: o.dispatchedAt !== null, versionId: o.versionId })).sort((a, b) => Number(a.retry) - Number(b.retry))).toEqual([
      { retry: false, dispatched: true, versionId: wf.versionId },
      { retry: true, dispatched: false, versionId: wf.versionId },
    ]);
    const [entry] = await db.select().from(auditLog).where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'lead.retried')));
    expect(entry).toMatchObject({ actorType: 'key', entityType: 'lead', details: { versionId: wf.versionId, error: reason } });

    // Queued now, not failed: a second retry is refused, and writes nothing.
    const again = await t.call('POST', `/api/leads/${id}/retry`, { key: ws.keys.admin });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('not_failed');
    expect(await db.select().from(outbox).where(eq(outbox.leadId, id))).toHaveLength(2);
  });

  it('two retries at once queue one run', async () => {
    const id = await failedLead();
    const rs = await Promise.all([1, 2, 3].map(() => t.call('POST', `/api/leads/${id}/retry`, { key: ws.keys.editor })));
    expect(rs.map((r) => r.status).sort()).toEqual([202, 409, 409]);
    expect((await db.select().from(outbox).where(and(eq(outbox.leadId, id), eq(outbox.retry, true)))).length).toBe(1);
  });

  it('409 for a run that has not failed; 403 below editor; 404 for an unknown or foreign lead', async () => {
    const queued = await createTestLead(db, wf, ws.id);
    const r = await t.call('POST', `/api/leads/${queued}/retry`, { key: ws.keys.editor });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('not_failed');
    const id = await failedLead();
    expect((await t.call('POST', `/api/leads/${id}/retry`, { key: ws.keys.viewer })).status).toBe(403);
    expect((await t.call('POST', `/api/leads/${id}/retry`, { key: ws.keys.ingest })).status).toBe(403);
    expect((await t.call('POST', `/api/leads/${id}/retry`)).status).toBe(401);
    const other = await t.workspace();
    expect((await t.call('POST', `/api/leads/${id}/retry`, { key: other.keys.admin })).status).toBe(404);
    expect((await t.call('POST', `/api/leads/${randomUUID()}/retry`, { key: ws.keys.admin })).status).toBe(404);
    expect((await t.call('GET', `/api/leads/${id}`, { key: ws.keys.viewer })).body.status).toBe('failed');
  });
});

// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { and, count, eq, inArray } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { customFields, leads, outbox, routingRuns, webhookSignatures } from '@lead-router/db/schema';
import { OutboxDispatcher } from '@lead-router/db/outbox-dispatcher';
import { MAX_LEAD_BODY_BYTES, signLeadBody } from '../../services/ingest.service';
import { createTestWorkflow } from './leads.fixtures';

const t = setupTestApp();
const db = t.database.db;

const LEAD = { firstName: 'Ana', lastName: 'Lee', email: 'ana@acme.com', company: 'Acme', employees: 650 };

async function setup(options: { published?: boolean; archived?: boolean } = {}) {
  const ws = await t.workspace();
  const wf = await createTestWorkflow(db, ws.id, options);
  return { ws, wf };
}

const post = (wfId: string, init: Parameters<typeof t.call>[2]) => t.call('POST', `/api/workflows/${wfId}/leads`, init);

async function countsFor(workflowId: string) {
  const [l] = await db.select({ n: count() }).from(leads).where(eq(leads.workflowId, workflowId));
  const [r] = await db.select({ n: count() }).from(routingRuns).where(eq(routingRuns.workflowId, workflowId));
  const [o] = await db
    .select({ n: count() })
    .from(outbox)
    .innerJoin(leads, eq(leads.id, outbox.leadId))
    .where(eq(leads.workflowId, workflowId));
  return { leads: l!.n, runs: r!.n, outbox: o!.n };
}

describe('POST /api/workflows/{id}/leads with an API key', () => {
  it('stores the lead, a queued run and an outbox row, and answers 202 with the lead id', async () => {
    const { ws, wf } = await setup();
    const before = Date.now();
    const r = await post(wf.id, { key: ws.keys.ingest, body: { ...LEAD, favouriteColour: 'teal' } });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ leadId: expect.any(String), status: 'queued' });
    expect(r.headers.get('idempotent-replayed')).toBeNull();
    const leadId: string = r.body.leadId;

    const [lead] = await db.select().from(leads).where(eq(leads.id, leadId));
    expect(lead).toMatchObject({ workspaceId: ws.id, workflowId: wf.id, idempotencyKey: null });
    // Normalised by the shared catalog (domain derived from the work email) and unknown fields kept.
    expect(lead!.data).toEqual({ ...LEAD, domain: 'acme.com', favouriteColour: 'teal' });

    const [run] = await db.select().from(routingRuns).where(eq(routingRuns.leadId, leadId));
    expect(run).toMatchObject({ workspaceId: ws.id, workflowId: wf.id, versionId: wf.versionId, status: 'queued', temporalWorkflowId: `lead-${leadId}`, startedAt: null });
    expect(run!.receivedAt.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(run!.receivedAt.getTime()).toEqual(lead!.receivedAt.getTime());

    const [row] = await db.select().from(outbox).where(eq(outbox.leadId, leadId));
    expect(row).toMatchObject({ workspaceId: ws.id, versionId: wf.versionId, attempts: 0, dispatchedAt: null, lastError: null });
    expect(await countsFor(wf.id)).toEqual({ leads: 1, runs: 1, outbox: 1 });
  });

  it('accepts every key role, ingest and up', async () => {
    const { ws, wf } = await setup();
    for (const role of ['ingest', 'viewer', 'editor', 'publisher', 'admin'] as const) {
      const r = await post(wf.id, { key: ws.keys[role], body: LEAD });
      expect(r.status, role).toBe(202);
    }
    expect(await countsFor(wf.id)).toEqual({ leads: 5, runs: 5, outbox: 5 });
  });

  it('validates against the workspace custom fields', async () => {
    const { ws, wf } = await setup();
    await db.insert(customFields).values({ workspaceId: ws.id, key: 'seats', label: 'Seats', type: 'number' });
    const bad = await post(wf.id, { key: ws.keys.ingest, body: { ...LEAD, seats: 'lots' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ path: 'seats', message: 'seats must be a number; got "lots"', code: 'invalid_field_value' }]);
    const ok = await post(wf.id, { key: ws.keys.ingest, body: { ...LEAD, seats: '25' } });
    expect(ok.status).toBe(202);
    const [lead] = await db.select().from(leads).where(eq(leads.id, ok.body.leadId));
    expect(lead!.data.seats).toBe(25);
  });

  it('401 without credentials or with an unknown key, and nothing is stored', async () => {
    const { wf } = await setup();
    const none = await post(wf.id, { body: LEAD });
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    const wrong = await post(wf.id, { key: 'lr_not_a_key', body: LEAD });
    expect(wrong.status).toBe(401);
    expect(await countsFor(wf.id)).toEqual({ leads: 0, runs: 0, outbox: 0 });
  });

  it('404 for an unknown workflow, a non-uuid id and another workspace\'s workflow', async () => {
    const { ws } = await setup();
    const other = await setup();
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', other.wf.id]) {
      const r = await post(id, { key: ws.keys.admin, body: LEAD });
      expect(r.status, id).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    expect(await countsFor(other.wf.id)).toEqual({ leads: 0, runs: 0, outbox: 0 });
  });

  it('409 archived and 409 not_published', async () => {
    const ws = await t.workspace();
    const archived = await createTestWorkflow(db, ws.id, { archived: true });
    const draft = await createTestWorkflow(db, ws.id, { published: false });
    const a = await post(archived.id, { key: ws.keys.ingest, body: LEAD });
    expect(a.status).toBe(409);
    expect(a.body.error.code).toBe('archived');
    const d = await post(draft.id, { key: ws.keys.ingest, body: LEAD });
    expect(d.status).toBe(409);
    expect(d.body.error).toEqual({ code: 'not_published', message: 'Publish a version of this workflow first.' });
    expect(await countsFor(archived.id)).toEqual({ leads: 0, runs: 0, outbox: 0 });
    expect(await countsFor(draft.id)).toEqual({ leads: 0, runs: 0, outbox: 0 });
  });
});

describe('bad bodies', () => {
  let ws: TestWorkspace;
  let wf: { id: string };
  beforeAll(async () => {
    ({ ws, wf } = await setup());
  });

  it('400 malformed_json for bodies that are not JSON (and for an empty body)', async () => {
    for (const rawBody of ['{"firstName": "Ana",', 'not json', '', '\u00ff\u00fe']) {
      const r = await post(wf.id, { key: ws.keys.ingest, rawBody });
      expect(r.status, JSON.stringify(rawBody)).toBe(400);
      expect(r.body.error.code).toBe('malformed_json');
    }
  });

  it('400 for JSON that is not an object', async () => {
    for (const body of [[LEAD], 'a lead', 42, null]) {
      const r = await post(wf.id, { key: ws.keys.ingest, rawBody: JSON.stringify(body) });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
      expect(r.body.error.details[0].path).toBe('(body)');
    }
  });

  it('400 naming every field of the wrong type, and nothing stored', async () => {
    const r = await post(wf.id, { key: ws.keys.ingest, body: { ...LEAD, employees: 'many', email: { work: 'a@b.c' }, createdAt: 'yesterday' } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
    expect(r.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['createdAt', 'email', 'employees']);
    expect(r.body.error.details.find((d: { path: string }) => d.path === 'employees').message).toBe('employees must be a number; got "many"');
    expect(await countsFor(wf.id)).toEqual({ leads: 0, runs: 0, outbox: 0 });
  });

  it('400 naming email for an address that is not one (issue 13, item 11), and nothing stored', async () => {
    for (const email of ['not-an-email', 'a@b', '@acme.com', 'ana @acme.com']) {
      const r = await post(wf.id, { key: ws.keys.ingest, body: { ...LEAD, email } });
      expect(r.status, email).toBe(400);
      expect(r.body.error.details, email).toEqual([{ path: 'email', code: 'invalid_field_value', message: expect.stringContaining('email must be an email address such as name@example.com') }]);
    }
    expect(await countsFor(wf.id)).toEqual({ leads: 0, runs: 0, outbox: 0 });
  });

  it('413 payload_too_large for a body over 64 KiB; exactly 64 KiB is accepted', async () => {
    const exact = bodyOfSize(MAX_LEAD_BODY_BYTES);
    expect(Buffer.byteLength(exact)).toBe(65_536);
    const ok = await post(wf.id, { key: ws.keys.ingest, rawBody: exact });
    expect(ok.status).toBe(202);

    const big = bodyOfSize(MAX_LEAD_BODY_BYTES + 1);
    const r = await post(wf.id, { key: ws.keys.ingest, rawBody: big });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload_too_large');
    const huge = await post(wf.id, { key: ws.keys.ingest, rawBody: 'x'.repeat(5 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(await countsFor(wf.id)).toEqual({ leads: 1, runs: 1, outbox: 1 });
  });

  it('413 from a declared Content-Length before reading the body', async () => {
    const res = await t.app.request(`/api/workflows/${wf.id}/leads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ws.keys.ingest}`, 'content-type': 'application/json', 'content-length': String(MAX_LEAD_BODY_BYTES + 1) },
      body: new ReadableStream({
        start(controller) {
          // A body that never ends: only the header can have refused it.
          controller.enqueue(new TextEncoder().encode('{"firstName":"Ana"'));
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });
});

/** A valid lead whose JSON is exactly `size` bytes: custom text fields of up to 9,000 characters. */
function bodyOfSize(size: number): string {
  const lead: Record<string, string> = { firstName: 'Ana' };
  let i = 0;
  while (Buffer.byteLength(JSON.stringify(lead)) < size) {
    const current = Buffer.byteLength(JSON.stringify(lead));
    const overhead = Buffer.byteLength(JSON.stringify({ [`pad${i}`]: '' })) - 1; // `,"padN":""`
    const room = size - current - overhead;
    if (room <= 0) {
      lead.firstName += 'a'.repeat(size - current);
      break;
    }
    lead[`pad${i++}`] = 'x'.repeat(Math.min(9000, room));
  }
  return JSON.stringify(lead);
}

describe('idempotency', () => {
  it('a retry with the same Idempotency-Key and body answers the first lead id and writes nothing', async () => {
    const { ws, wf } = await setup();
    const first = await post(wf.id, { key: ws.keys.ingest, body: LEAD, headers: { 'Idempotency-Key': 'form-123' } });
    expect(first.status).toBe(202);
    // The same body, its keys in another order and spaced otherwise, is the same request.
    const reordered = JSON.stringify(Object.fromEntries(Object.entries(LEAD).reverse()), null, 2);
    const again = await post(wf.id, { key: ws.keys.ingest, rawBody: reordered, headers: { 'Idempotency-Key': 'form-123' } });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ leadId: first.body.leadId, status: 'queued' });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await countsFor(wf.id)).toEqual({ leads: 1, runs: 1, outbox: 1 });
    const [lead] = await db.select().from(leads).where(eq(leads.id, first.body.leadId));
    expect(lead!.data.firstName).toBe('Ana');
    expect(lead!.idempotencyKey).toBe('form-123');
  });

  it('422 idempotency_key_reused for the same Idempotency-Key with another body, naming the header; nothing stored', async () => {
    const { ws, wf } = await setup();
    const first = await post(wf.id, { key: ws.keys.ingest, body: LEAD, headers: { 'Idempotency-Key': 'form-124' } });
    expect(first.status).toBe(202);
    const other = await post(wf.id, { key: ws.keys.ingest, body: { ...LEAD, firstName: 'Changed' }, headers: { 'Idempotency-Key': 'form-124' } });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect(other.body.error.message).toMatch(/Idempotency-Key was used for another request/);
    expect(other.body.error.details).toEqual([{ path: 'Idempotency-Key', message: 'was used for another request' }]);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
    expect(await countsFor(wf.id)).toEqual({ leads: 1, runs: 1, outbox: 1 });
    const [lead] = await db.select().from(leads).where(eq(leads.id, first.body.leadId));
    expect(lead!.data.firstName).toBe('Ana');
  });

  it("422 naming `id` for a lead id reused with another body; a lead stored before hashes were kept still replays", async () => {
    const { ws, wf } = await setup();
    const a = await post(wf.id, { key: ws.keys.ingest, body: { ...LEAD, id: 'crm-88' } });
    const b = await post(wf.id, { key: ws.keys.ingest, body: { ...LEAD, id: 'crm-88', employees: 5 } });
    expect([a.status, b.status]).toEqual([202, 422]);
    expect(b.body.error.code).toBe('idempotency_key_reused');
    expect(b.body.error.details).toEqual([{ path: 'id', message: 'was used for another request' }]);
    await db.update(leads).set({ requestHash: null }).where(eq(leads.id, a.body.leadId));
    const legacy = await post(wf.id, { key: ws.keys.ingest, body: { ...LEAD, id: 'crm-88', employees: 5 } });
    expect(legacy.status).toBe(202);
    expect(legacy.body.leadId).toBe(a.body.leadId);
    expect(await countsFor(wf.id)).toEqual({ leads: 1, runs: 1, outbox: 1 });
  });

  it("the lead's own id is the key when no header is sent; keys are per workflow", async () => {
    const { ws, wf } = await setup();
    const wf2 = await createTestWorkflow(db, ws.id);
    const a = await post(wf.id, { key: ws.keys.ingest, body: { ...LEAD, id: 'crm-77' } });
    const b = await post(wf.id, { key: ws.keys.ingest, body: { ...LEAD, id: 'crm-77' } });
    const c = await post(wf2.id, { key: ws.keys.ingest, body: { ...LEAD, id: 'crm-77' } });
    const numeric = await post(wf.id, { key: ws.keys.ingest, body: { ...LEAD, id: 77 } });
    const numericAgain = await post(wf.id, { key: ws.keys.ingest, body: { ...LEAD, id: '77' } });
    expect([a.status, b.status, c.status, numeric.status, numericAgain.status]).toEqual([202, 202, 202, 202, 202]);
    expect(b.body.leadId).toBe(a.body.leadId);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    expect(c.body.leadId).not.toBe(a.body.leadId);
    expect(c.headers.get('idempotent-replayed')).toBeNull();
    expect(numericAgain.body.leadId).toBe(numeric.body.leadId);
    expect(await countsFor(wf.id)).toEqual({ leads: 2, runs: 2, outbox: 2 });
  });

  it('concurrent duplicates store one lead and all get its id', async () => {
    const { ws, wf } = await setup();
    const rs = await Promise.all(Array.from({ length: 12 }, () => post(wf.id, { key: ws.keys.ingest, body: LEAD, headers: { 'Idempotency-Key': 'burst-1' } })));
    expect(rs.map((r) => r.status)).toEqual(Array(12).fill(202));
    expect(new Set(rs.map((r) => r.body.leadId)).size).toBe(1);
    expect(rs.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(11);
    expect(await countsFor(wf.id)).toEqual({ leads: 1, runs: 1, outbox: 1 });
  });

  it('400 for an oversized Idempotency-Key; long lead ids still deduplicate', async () => {
    const { ws, wf } = await setup();
    const r = await post(wf.id, { key: ws.keys.ingest, body: LEAD, headers: { 'Idempotency-Key': 'k'.repeat(256) } });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].path).toBe('Idempotency-Key');
    const longId = 'L'.repeat(5000);
    const a = await post(wf.id, { key: ws.keys.ingest, body: { ...LEAD, id: longId } });
    const b = await post(wf.id, { key: ws.keys.ingest, body: { ...LEAD, id: longId } });
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(b.body.leadId).toBe(a.body.leadId);
    expect(await countsFor(wf.id)).toEqual({ leads: 1, runs: 1, outbox: 1 });
  });
});

describe('HMAC-signed webhooks', () => {
  const raw = JSON.stringify(LEAD);
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  /** The headers of a request signed now (or at `ts`), as a sender makes them. */
  const signed = (secret: string, body: string, ts = String(nowSeconds())) => ({ 'X-LeadRouter-Timestamp': ts, 'X-LeadRouter-Signature': signLeadBody(secret, body, ts) });

  it('accepts a signature over `<timestamp>.<body>`, without credentials', async () => {
    const { ws, wf } = await setup();
    const r = await post(wf.id, { rawBody: raw, headers: signed(wf.secret, raw) });
    expect(r.status).toBe(202);
    const [lead] = await db.select().from(leads).where(eq(leads.id, r.body.leadId));
    // The workflow decides the workspace.
    expect(lead!.workspaceId).toBe(ws.id);
  });

  it('401 naming X-LeadRouter-Timestamp without a timestamp (a signature of the body alone) or with one more than 5 minutes off', async () => {
    const { wf } = await setup();
    const cases: Array<[string, Record<string, string>]> = [
      ['no timestamp', { 'X-LeadRouter-Signature': signLeadBody(wf.secret, raw) }],
      ['stale', signed(wf.secret, raw, String(nowSeconds() - 400))],
      ['future', signed(wf.secret, raw, String(nowSeconds() + 400))],
      ['not seconds', signed(wf.secret, raw, '2024-05-01T00:00:00Z')],
    ];
    for (const [what, headers] of cases) {
      const r = await post(wf.id, { rawBody: raw, headers });
      expect(r.status, what).toBe(401);
      expect(r.body.error.code, what).toBe('invalid_signature');
      expect(r.body.error.message, what).toContain('X-LeadRouter-Timestamp');
      expect(r.body.error.details, what).toMatchObject([{ path: 'X-LeadRouter-Timestamp' }]);
    }
    expect(await countsFor(wf.id)).toEqual({ leads: 0, runs: 0, outbox: 0 });
  });

  it('409 webhook_replayed for a signed request received before, even at once; a fresh signature of the same body is new', async () => {
    const { wf } = await setup();
    // Distinct timestamps from one base: the same body signed at the same second is the same signature.
    const base = nowSeconds();
    const headers = signed(wf.secret, raw, String(base));
    const first = await post(wf.id, { rawBody: raw, headers });
    expect(first.status).toBe(202);
    const replay = await post(wf.id, { rawBody: raw, headers });
    expect(replay.status).toBe(409);
    expect(replay.body.error.code).toBe('webhook_replayed');
    expect(replay.body.error.details).toEqual([{ path: 'X-LeadRouter-Signature', message: 'was already used' }]);
    // Replays racing each other: one lead at most.
    const raced = signed(wf.secret, raw, String(base - 1));
    const rs = await Promise.all(Array.from({ length: 6 }, () => post(wf.id, { rawBody: raw, headers: raced })));
    expect(rs.map((r) => r.status).sort()).toEqual([202, 409, 409, 409, 409, 409]);
    expect(await countsFor(wf.id)).toEqual({ leads: 2, runs: 2, outbox: 2 });
    // An idempotent retry is signed afresh and replays the first answer.
    const body = JSON.stringify({ ...LEAD, id: 'crm-1' });
    const a = await post(wf.id, { rawBody: body, headers: signed(wf.secret, body, String(base - 2)) });
    const b = await post(wf.id, { rawBody: body, headers: signed(wf.secret, body, String(base - 3)) });
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(b.headers.get('idempotent-replayed')).toBe('true');
  });

  it('remembers a signature only while its timestamp is within the tolerance: expired ones are pruned', async () => {
    const { wf } = await setup();
    const old = new Date(Date.now() - 60_000);
    await db.insert(webhookSignatures).values([1, 2, 3].map((i) => ({ signature: `expired-${wf.id}-${i}`, workflowId: wf.id, expiresAt: old })));
    const ts = nowSeconds();
    const r = await post(wf.id, { rawBody: raw, headers: signed(wf.secret, raw, String(ts)) });
    expect(r.status).toBe(202);
    const rows = await db.select().from(webhookSignatures).where(eq(webhookSignatures.workflowId, wf.id));
    expect(rows.map((x) => x.expiresAt.getTime())).toEqual([(ts + 300) * 1000]);
  });

  it('accepts a signature with a fresh timestamp in upper-case hex too', async () => {
    const { wf } = await setup();
    const ts = String(nowSeconds() - 60);
    const sig = signLeadBody(wf.secret, raw, ts);
    const r = await post(wf.id, { rawBody: raw, headers: { 'X-LeadRouter-Signature': `sha256=${sig.slice(7).toUpperCase()}`, 'X-LeadRouter-Timestamp': ts } });
    expect(r.status).toBe(202);
  });

  it('401 invalid_signature for a wrong, stale, foreign, malformed or body-mismatched signature; nothing stored', async () => {
    const { wf } = await setup();
    const other = await setup();
    const fresh = String(nowSeconds());
    const stale = String(nowSeconds() - 301);
    const future = String(nowSeconds() + 400);
    const cases: Array<[string, Record<string, string>]> = [
      ['wrong', { 'X-LeadRouter-Signature': `sha256=${'0'.repeat(64)}`, 'X-LeadRouter-Timestamp': fresh }],
      ["another workflow's secret", signed(other.wf.secret, raw, fresh)],
      ['another body', signed(wf.secret, JSON.stringify({ ...LEAD, employees: 5 }), fresh)],
      ['another timestamp', { 'X-LeadRouter-Signature': signLeadBody(wf.secret, raw, String(Number(fresh) - 1)), 'X-LeadRouter-Timestamp': fresh }],
      ['stale timestamp', { 'X-LeadRouter-Signature': signLeadBody(wf.secret, raw, stale), 'X-LeadRouter-Timestamp': stale }],
      ['future timestamp', { 'X-LeadRouter-Signature': signLeadBody(wf.secret, raw, future), 'X-LeadRouter-Timestamp': future }],
      ['signed without the timestamp it sends', { 'X-LeadRouter-Signature': signLeadBody(wf.secret, raw), 'X-LeadRouter-Timestamp': fresh }],
      ['timestamp not in seconds', { 'X-LeadRouter-Signature': signLeadBody(wf.secret, raw, 'soon'), 'X-LeadRouter-Timestamp': 'soon' }],
      ['not sha256=', { 'X-LeadRouter-Signature': signLeadBody(wf.secret, raw, fresh).slice(7), 'X-LeadRouter-Timestamp': fresh }],
      ['empty', { 'X-LeadRouter-Signature': '', 'X-LeadRouter-Timestamp': fresh }],
    ];
    for (const [what, headers] of cases) {
      const r = await post(wf.id, { rawBody: raw, headers });
      expect(r.status, what).toBe(401);
      expect(r.body.error.code, what).toBe('invalid_signature');
    }
    expect(await countsFor(wf.id)).toEqual({ leads: 0, runs: 0, outbox: 0 });
  });

  it('404 for an unknown workflow, 409 for an archived one with a good signature, 413 before verifying', async () => {
    const ws = await t.workspace();
    const archived = await createTestWorkflow(db, ws.id, { archived: true });
    const unknown = await post('00000000-0000-4000-8000-000000000000', { rawBody: raw, headers: signed('x', raw) });
    expect(unknown.status).toBe(404);
    const a = await post(archived.id, { rawBody: raw, headers: signed(archived.secret, raw) });
    expect(a.status).toBe(409);
    expect(a.body.error.code).toBe('archived');
    const big = bodyOfSize(MAX_LEAD_BODY_BYTES + 10);
    const tooBig = await post(archived.id, { rawBody: big, headers: signed(archived.secret, big) });
    expect(tooBig.status).toBe(413);
  });

  it('a signed malformed body is 400 malformed_json', async () => {
    const { wf } = await setup();
    const bad = '{"firstName":';
    const r = await post(wf.id, { rawBody: bad, headers: signed(wf.secret, bad) });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('malformed_json');
  });
});

describe('nothing is lost while Temporal is down', () => {
  it('100 leads all get 202 and wait in the outbox; a drain with the dead engine dispatches none and schedules a retry', async () => {
    const { ws, wf } = await setup();
    const ids: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const rs = await Promise.all(
        Array.from({ length: 10 }, (_, i) => post(wf.id, { key: ws.keys.ingest, body: { ...LEAD, id: `lead-${batch}-${i}` } })),
      );
      for (const r of rs) {
        expect(r.status).toBe(202);
        ids.push(r.body.leadId);
      }
    }
    expect(new Set(ids).size).toBe(100);
    expect(await countsFor(wf.id)).toEqual({ leads: 100, runs: 100, outbox: 100 });

    const dispatcher = new OutboxDispatcher({ db, engine: t.deps.engine, log: t.deps.log, now: () => new Date() }, { batchSize: 200, workspaceId: ws.id });
    const started = Date.now();
    const result = await dispatcher.drainOnce();
    expect(result).toEqual({ dispatched: 0, failed: 100 });

    const rows = await db.select().from(outbox).where(inArray(outbox.leadId, ids));
    expect(rows).toHaveLength(100);
    for (const row of rows) {
      expect(row.dispatchedAt).toBeNull();
      expect(row.attempts).toBe(1);
      expect(row.lastError).toMatch(/^Temporal is unreachable/);
      expect(row.nextAttemptAt.getTime()).toBeGreaterThan(started);
    }
    const runs = await db.select({ status: routingRuns.status }).from(routingRuns).where(eq(routingRuns.workflowId, wf.id));
    expect(runs.every((r) => r.status === 'queued')).toBe(true);

    // Not due yet: a second drain right away touches nothing.
    expect(await dispatcher.drainOnce()).toEqual({ dispatched: 0, failed: 0 });
    // Due later: a minute on, they are tried again, and still kept.
    const later = new OutboxDispatcher({ db, engine: t.deps.engine, log: t.deps.log, now: () => new Date(Date.now() + 60_000) }, { batchSize: 200, workspaceId: ws.id });
    expect(await later.drainOnce()).toEqual({ dispatched: 0, failed: 100 });
    const [stillThere] = await db
      .select({ n: count() })
      .from(outbox)
      .where(and(inArray(outbox.leadId, ids), eq(outbox.attempts, 2)));
    expect(stillThere!.n).toBe(100);
  });
});

describe('OpenAPI', () => {
  it('documents the trigger endpoint and the leads API', async () => {
    const r = await t.call('GET', '/api/openapi.json');
    expect(r.status).toBe(200);
    const paths = Object.keys(r.body.paths);
    for (const p of ['/api/workflows/{id}/leads', '/api/leads', '/api/leads/{id}', '/api/leads/{id}/trace', '/api/leads/{id}/events', '/api/leads/{id}/accept', '/api/leads/{id}/reject']) {
      expect(paths, p).toContain(p);
    }
    expect(Object.keys(r.body.paths['/api/workflows/{id}/leads'].post.responses).sort()).toEqual(['202', '400', '401', '403', '404', '409', '413', '422']);
    const headers = r.body.paths['/api/workflows/{id}/leads'].post.parameters.filter((x: { in: string }) => x.in === 'header');
    expect(headers.map((h: { name: string }) => h.name).sort()).toEqual(['idempotency-key', 'x-leadrouter-signature', 'x-leadrouter-timestamp']);
    expect(headers.find((h: { name: string }) => h.name === 'x-leadrouter-timestamp').description).toMatch(/Required with a signature/);
  });
});

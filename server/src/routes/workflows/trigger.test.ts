// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp } from '../../test/harness';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { customFields, leads, outbox, routingRuns } from '@lead-router/db/schema';
import { loadEnv } from '../../env';
import { signLeadBody } from '../../services/ingest.service';
import { createTestLead, createTestWorkflow } from '../leads/leads.fixtures';

const t = setupTestApp();
const db = t.database.db;

async function setup(options: { published?: boolean; archived?: boolean } = {}) {
  const ws = await t.workspace();
  const wf = await createTestWorkflow(db, ws.id, options);
  return { ws, wf };
}

describe('GET /api/workflows/{id}/endpoint', () => {
  it('tells every reading role where and how to post leads, with a sample lead that the trigger accepts', async () => {
    const { ws, wf } = await setup();
    for (const role of ['viewer', 'editor', 'publisher', 'admin'] as const) {
      const r = await t.call('GET', `/api/workflows/${wf.id}/endpoint`, { key: ws.keys[role] });
      expect(r.status, role).toBe(200);
      expect(r.body).toMatchObject({
        workflowId: wf.id,
        url: `http://localhost/api/workflows/${wf.id}/leads`,
        method: 'POST',
        activeVersion: { id: wf.versionId, number: 1 },
        notAccepting: null,
        signature: { header: 'X-LeadRouter-Signature', timestampHeader: 'X-LeadRouter-Timestamp', toleranceSeconds: 300, algorithm: 'HMAC-SHA256' },
        idempotencyHeader: 'Idempotency-Key',
        maxBodyBytes: 65_536,
        sampleLead: { firstName: 'Test', lastName: 'Lead', email: 'test.lead@example.com', company: 'Example Inc' },
      });
      // Never the secret, whoever asks.
      expect(JSON.stringify(r.body)).not.toContain('whsec_');
    }
    const ingest = await t.call('GET', `/api/workflows/${wf.id}/endpoint`, { key: ws.keys.ingest });
    expect(ingest.status).toBe(403);
  });

  it('points at PUBLIC_URL when the app is configured with one', async () => {
    const { ws, wf } = await setup();
    const config = loadEnv({ DATABASE_URL: 'postgres://x@127.0.0.1/x', TEMPORAL_ADDRESS: '127.0.0.1:1', LOG_LEVEL: 'silent', PUBLIC_URL: 'https://leads.example.com/' });
    const r = await t.callWith({ config })('GET', `/api/workflows/${wf.id}/endpoint`, { key: ws.keys.viewer });
    expect(r.status).toBe(200);
    expect(r.body.url).toBe(`https://leads.example.com/api/workflows/${wf.id}/leads`);
  });

  it("fills the workspace's custom fields into the sample, and the trigger takes it as it is", async () => {
    const { ws, wf } = await setup();
    await db.insert(customFields).values([
      { workspaceId: ws.id, key: 'plan', label: 'Plan', type: 'picklist', options: ['Pro', 'Team'] },
      { workspaceId: ws.id, key: 'seats', label: 'Seats', type: 'number' },
    ]);
    const r = await t.call('GET', `/api/workflows/${wf.id}/endpoint`, { key: ws.keys.viewer });
    expect(r.body.sampleLead).toMatchObject({ plan: 'Pro', seats: 1 });
    const posted = await t.call('POST', `/api/workflows/${wf.id}/leads`, { key: ws.keys.ingest, body: r.body.sampleLead });
    expect(posted.status).toBe(202);
  });

  it('says why a workflow takes no leads: never published, or archived', async () => {
    const { ws, wf } = await setup({ published: false });
    const r = await t.call('GET', `/api/workflows/${wf.id}/endpoint`, { key: ws.keys.viewer });
    expect(r.body).toMatchObject({ activeVersion: null, notAccepting: { code: 'not_published', message: expect.stringMatching(/publish/) } });
    const archived = await createTestWorkflow(db, ws.id, { archived: true });
    const a = await t.call('GET', `/api/workflows/${archived.id}/endpoint`, { key: ws.keys.viewer });
    expect(a.body.notAccepting).toMatchObject({ code: 'archived' });
  });

  it("is 404 for another workspace's workflow", async () => {
    const { wf } = await setup();
    const other = await t.workspace();
    const r = await t.call('GET', `/api/workflows/${wf.id}/endpoint`, { key: other.keys.admin });
    expect(r.status).toBe(404);
  });
});

describe('GET /api/workflows/{id}/webhook-secret', () => {
  it('answers the secret to admins, and 403 to every other role', async () => {
    const { ws, wf } = await setup();
    const admin = await t.call('GET', `/api/workflows/${wf.id}/webhook-secret`, { key: ws.keys.admin });
    expect(admin.status).toBe(200);
    expect(admin.body).toEqual({ webhookSecret: wf.secret });
    for (const role of ['ingest', 'viewer', 'editor', 'publisher'] as const) {
      const r = await t.call('GET', `/api/workflows/${wf.id}/webhook-secret`, { key: ws.keys[role] });
      expect(r.status, role).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
      expect(r.text).not.toContain(wf.secret);
    }
    const anonymous = await t.call('GET', `/api/workflows/${wf.id}/webhook-secret`);
    expect(anonymous.status).toBe(401);
  });

  it('is the secret a signed post is checked against', async () => {
    const { ws, wf } = await setup();
    const { body } = await t.call('GET', `/api/workflows/${wf.id}/webhook-secret`, { key: ws.keys.admin });
    const lead = JSON.stringify({ email: 'signed@example.com' });
    const ts = Math.floor(Date.now() / 1000);
    const r = await t.call('POST', `/api/workflows/${wf.id}/leads`, {
      rawBody: lead,
      headers: { 'X-LeadRouter-Timestamp': String(ts), 'X-LeadRouter-Signature': signLeadBody(body.webhookSecret, lead, ts) },
    });
    expect(r.status).toBe(202);
  });
});

describe('POST /api/workflows/{id}/test-lead', () => {
  it('stores the sample lead like any lead: its run pinned to the active version, and an outbox row', async () => {
    const { ws, wf } = await setup();
    const r = await t.call('POST', `/api/workflows/${wf.id}/test-lead`, { key: ws.keys.editor, body: {} });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({ leadId: expect.any(String), status: 'queued', version: { id: wf.versionId, number: 1 } });
    const [lead] = await db.select().from(leads).where(eq(leads.id, r.body.leadId));
    expect(lead).toMatchObject({ workspaceId: ws.id, workflowId: wf.id });
    expect(lead!.data).toMatchObject({ firstName: 'Test', lastName: 'Lead', email: 'test.lead@example.com', company: 'Example Inc' });
    const [run] = await db.select().from(routingRuns).where(eq(routingRuns.leadId, r.body.leadId));
    expect(run).toMatchObject({ versionId: wf.versionId, status: 'queued' });
    const [row] = await db.select().from(outbox).where(eq(outbox.leadId, r.body.leadId));
    expect(row).toMatchObject({ versionId: wf.versionId, dispatchedAt: null });
    // Each test lead is a new lead: no idempotency key ties two of them together.
    const again = await t.call('POST', `/api/workflows/${wf.id}/test-lead`, { key: ws.keys.editor, body: {} });
    expect(again.body.leadId).not.toBe(r.body.leadId);
  });

  it('validates a given lead as the trigger does: every bad field named, nothing stored', async () => {
    const { ws, wf } = await setup();
    const r = await t.call('POST', `/api/workflows/${wf.id}/test-lead`, { key: ws.keys.editor, body: { lead: { email: 'x@example.com', employees: 'many' } } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
    expect(r.body.error.details).toEqual([expect.objectContaining({ path: 'employees' })]);
    expect(await db.select().from(leads).where(eq(leads.workflowId, wf.id))).toEqual([]);
  });

  it('is refused to viewers (403) and when the workflow takes no leads (409)', async () => {
    const { ws, wf } = await setup();
    const viewer = await t.call('POST', `/api/workflows/${wf.id}/test-lead`, { key: ws.keys.viewer, body: {} });
    expect(viewer.status).toBe(403);
    const draft = await createTestWorkflow(db, ws.id, { published: false });
    const unpublished = await t.call('POST', `/api/workflows/${draft.id}/test-lead`, { key: ws.keys.editor, body: {} });
    expect(unpublished.status).toBe(409);
    expect(unpublished.body.error.code).toBe('not_published');
    const archived = await createTestWorkflow(db, ws.id, { archived: true });
    const a = await t.call('POST', `/api/workflows/${archived.id}/test-lead`, { key: ws.keys.editor, body: {} });
    expect(a.status).toBe(409);
    expect(a.body.error.code).toBe('archived');
  });
});

describe("the trigger's recent leads (GET /api/leads?workflow=)", () => {
  it("lists this workflow's leads only, newest first, bounded by limit", async () => {
    const { ws, wf } = await setup();
    const other = await createTestWorkflow(db, ws.id);
    const base = Date.UTC(2026, 0, 5, 9, 0, 0);
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(await createTestLead(db, wf, ws.id, { email: `lead${i}@example.com` }, new Date(base + i * 60_000)));
    await createTestLead(db, other, ws.id, { email: 'elsewhere@example.com' }, new Date(base + 3_600_000));
    const r = await t.call('GET', `/api/leads?workflow=${wf.id}&limit=10`, { key: ws.keys.viewer });
    expect(r.status).toBe(200);
    expect(r.body.items.map((l: { leadId: string }) => l.leadId)).toEqual(ids.slice(2).reverse());
    expect(r.body.items[0]).toMatchObject({ email: 'lead11@example.com', workflowId: wf.id, receivedAt: new Date(base + 11 * 60_000).toISOString() });
    expect(r.body.nextCursor).toEqual(expect.any(String));
  });
});

// Security sweeps over every route in the OpenAPI document, through the real app over the real test
// database: without credentials every /api route but health, the docs and sign-in is 401; a viewer key
// cannot write anywhere; workspace A's admin key reads and changes nothing of workspace B; and no secret
// (API keys after creation, password and its hash, webhook secrets, SMTP passwords) appears in any
// response or in the server's log lines.
// Template escaping for HTML email and Slack and the webhook target checks (loopback and link-local
// refused unless allowed) are proven where they live: worker/src/activities/notify.test.ts,
// worker/src/activities/enrich.test.ts and shared/src/util/template.test.ts.
// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestWorkspace } from '../test/harness';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { createApp } from '../app';
import { beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, users, workflows } from '@lead-router/db/schema';
import { createTestLead, createTestWorkflow } from '../routes/leads/leads.fixtures';

const t = setupTestApp();
const db = t.database.db;

interface Operation {
  method: string;
  path: string;
}

/** Routes anyone may call: health, the API's own description, signing in, and signing out (which only clears a cookie). */
// HubSpot's webhook carries no key: its X-HubSpot-Signature-v3 is its authentication (401 without a valid
// one; server/src/crm/hubspot-leads.test.ts), so it is swept by the first test but not by the key-role ones.
const PUBLIC = new Set(['GET /healthz', 'GET /readyz', 'GET /api/openapi.json', 'GET /api/docs', 'POST /api/auth/login', 'POST /api/auth/logout']);
const SIGNED = new Set(['POST /api/crm/hubspot/webhook/{connectionId}']);

let operations: Operation[] = [];
let a: TestWorkspace;
let b: TestWorkspace;
let bWorkflow: { id: string; secret: string; versionId: string | null };
let bLead: string;

beforeAll(async () => {
  const doc = await t.call('GET', '/api/openapi.json');
  expect(doc.status).toBe(200);
  operations = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => ({ method: m.toUpperCase(), path })),
  );
  a = await t.workspace();
  b = await t.workspace();
  bWorkflow = await createTestWorkflow(db, b.id);
  bLead = await createTestLead(db, bWorkflow, b.id);
});

/** The path with every `{param}` filled: `ids` by name, else an id that exists nowhere. */
function fill(path: string, ids: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? '00000000-0000-4000-8000-000000000000');
}

describe('every route refuses a request without credentials', () => {
  it('401 on every /api route but health, the docs and sign-in', async () => {
    const checked: string[] = [];
    const wrong: string[] = [];
    for (const op of operations) {
      const key = `${op.method} ${op.path}`;
      if (PUBLIC.has(key) || !op.path.startsWith('/api/')) continue;
      const r = await t.call(op.method, fill(op.path), op.method === 'GET' || op.method === 'DELETE' ? {} : { body: {} });
      if (r.status !== 401) wrong.push(`${key} -> ${r.status} ${r.text.slice(0, 200)}`);
      checked.push(key);
    }
    expect(wrong).toEqual([]);
    // The sweep is real: the document lists the API, and nearly all of it is guarded.
    expect(checked.length).toBeGreaterThan(30);
  });
});

describe('a viewer cannot write', () => {
  // A viewer may post leads (every key role may: ingest and up) and answer a lead assigned to its own rep
  // (none here, so 404). Everything else that writes is refused. Bodies are validated before the role is
  // checked, so an empty body can be 400 before it is 403: each route is therefore called a second time
  // with the body that its validation asks for where one is cheap to give, and a viewer never gets a 2xx.
  it('no non-GET route does anything for a viewer key', async () => {
    const wf = await createTestWorkflow(db, a.id);
    const ids = { id: wf.id, workflowId: wf.id };
    const [before] = await db.select().from(workflows).where(eq(workflows.id, wf.id));
    const wrong: string[] = [];
    let refused = 0;
    for (const op of operations) {
      const key = `${op.method} ${op.path}`;
      if (op.method === 'GET' || PUBLIC.has(key) || SIGNED.has(key) || key === 'POST /api/workflows/{id}/leads') continue;
      const r = await t.call(op.method, fill(op.path, ids), { key: a.keys.viewer, ...(op.method === 'DELETE' ? {} : { body: {} }) });
      if (r.status === 403) refused++;
      if (![400, 403, 404].includes(r.status)) wrong.push(`${key} -> ${r.status} ${r.text.slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
    expect(refused).toBeGreaterThan(15);
    // Writes with bodies that validate: still refused, and nothing changed.
    const valid: Array<[string, string, unknown]> = [
      ['POST', '/api/workflows', { name: 'Viewer made this' }],
      ['PATCH', `/api/workflows/${wf.id}`, { name: 'Renamed by a viewer' }],
      ['PUT', `/api/workflows/${wf.id}/draft`, { graph: { schemaVersion: 1, nodes: [], edges: [] }, revision: 1 }],
      ['POST', `/api/workflows/${wf.id}/publish`, { note: 'viewer' }],
      ['POST', '/api/keys', { name: 'escalate', role: 'admin' }],
      ['POST', '/api/users', { email: 'v@example.com', name: 'V', role: 'admin', password: 'correct horse battery staple' }],
      ['POST', '/api/reps', { id: 'rep-v', name: 'V', email: 'v@example.com', timeZone: 'UTC' }],
      ['POST', '/api/queues', { id: 'q-v', name: 'V' }],
      ['POST', '/api/fields', { key: 'seats', label: 'Seats', type: 'number' }],
    ];
    for (const [method, path, body] of valid) {
      const r = await t.call(method, path, { key: a.keys.viewer, body });
      expect(r.status, `${method} ${path} -> ${r.status} ${r.text.slice(0, 200)}`).toBe(403);
    }
    const [after] = await db.select().from(workflows).where(eq(workflows.id, wf.id));
    expect(after).toEqual(before);
  });
});

describe("workspace A's key sees nothing of workspace B", () => {
  it("404 or 403 on every route given B's ids, and B is unchanged", async () => {
    const [before] = await db.select().from(workflows).where(eq(workflows.id, bWorkflow.id));
    const ids = { id: bWorkflow.id, workflowId: bWorkflow.id, leadId: bLead, n: '1' };
    const wrong: string[] = [];
    let checked = 0;
    for (const op of operations) {
      if (!op.path.includes('{') || PUBLIC.has(`${op.method} ${op.path}`) || SIGNED.has(`${op.method} ${op.path}`)) continue;
      const leadPath = op.path.startsWith('/api/leads/');
      const path = fill(op.path, leadPath ? { ...ids, id: bLead } : ids);
      const r = await t.call(op.method, path, { key: a.keys.admin, ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { body: {} }) });
      checked++;
      // A read of B's object is 404 (or 403); a write may be refused by validation first (400), never done.
      const allowed = op.method === 'GET' ? [403, 404] : [400, 403, 404];
      if (!allowed.includes(r.status)) wrong.push(`${op.method} ${path} -> ${r.status} ${r.text.slice(0, 200)}`);
      if (r.text.includes(bWorkflow.id) && r.status !== 404) wrong.push(`${op.method} ${path} echoes B's workflow`);
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(30);
    // B's lead through A's lists: not there.
    const list = await t.call('GET', '/api/leads', { key: a.keys.admin });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(bLead);
    const wfs = await t.call('GET', '/api/workflows', { key: a.keys.admin });
    expect(wfs.text).not.toContain(bWorkflow.id);
    const [after] = await db.select().from(workflows).where(eq(workflows.id, bWorkflow.id));
    expect(after).toEqual(before);
  });
});

describe('secrets never leave the server', () => {
  it('no API key, password, hash, session token, SMTP password or (below admin) webhook secret in any response or log line', async () => {
    // The same app with SMTP configured and a logger that keeps every line it is given.
    const lines: string[] = [];
    const keep = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push(JSON.stringify({ level, msg, ...fields }));
    const SMTP_PASSWORD = `smtp-${randomUUID()}`;
    const app = createApp({ ...t.deps, config: { ...t.deps.config, SMTP_HOST: '127.0.0.1', SMTP_USER: 'mailer', SMTP_PASSWORD }, log: { info: keep('info'), warn: keep('warn'), error: keep('error') } });
    const texts: string[] = [];
    const call = async (method: string, path: string, init: { key?: string; cookie?: string; body?: unknown } = {}) => {
      const headers: Record<string, string> = {};
      if (init.key) headers.authorization = `Bearer ${init.key}`;
      if (init.cookie) headers.cookie = init.cookie;
      if (init.body !== undefined) headers['content-type'] = 'application/json';
      const res = await app.request(path, { method, headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
      const text = await res.text();
      texts.push(`${method} ${path} -> ${res.status}: ${text}`);
      return { status: res.status, text, headers: res.headers };
    };

    // Sign in, create a key and a user, post a lead, fail a sign-in: every path where secrets pass through.
    const login = await call('POST', '/api/auth/login', { body: { email: a.admin.email, password: a.admin.password } });
    expect(login.status).toBe(200);
    const token = /lr_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1] as string;
    expect(token).toBeTruthy();
    const cookie = `lr_session=${token}`;
    await call('POST', '/api/auth/login', { body: { email: a.admin.email, password: `${a.admin.password} (wrong)` } });
    const created = await call('POST', '/api/keys', { key: a.keys.admin, body: { name: 'fresh', role: 'editor' } });
    expect(created.status).toBe(201);
    const freshKey = JSON.parse(created.text).key as string;
    const creation = texts[texts.length - 1];
    const userPassword = `pw-${randomUUID()}`;
    const user = await call('POST', '/api/users', { key: a.keys.admin, body: { email: `u-${randomUUID().slice(0, 6)}@example.com`, name: 'U', role: 'viewer', password: userPassword } });
    expect(user.status).toBe(201);
    const wf = await createTestWorkflow(db, a.id);
    const lead = await call('POST', `/api/workflows/${wf.id}/leads`, { key: a.keys.ingest, body: { email: 'ana@acme.com' } });
    expect(lead.status).toBe(202);
    const leadId = JSON.parse(lead.text).leadId as string;

    // Every GET route, as admin (key and session) and as viewer, with this workspace's ids.
    const responses: Array<{ who: string; text: string }> = [];
    for (const op of operations) {
      if (op.method !== 'GET' || op.path.endsWith('/events')) continue;
      const path = fill(op.path, op.path.startsWith('/api/leads/') ? { id: leadId } : { id: wf.id, workflowId: wf.id });
      for (const [who, init] of [['admin', { key: a.keys.admin }], ['session', { cookie }], ['viewer', { key: a.keys.viewer }], ['editor', { key: a.keys.editor }]] as const) {
        const r = await call('GET', path, init);
        responses.push({ who, text: r.text });
      }
    }
    expect(responses.length).toBeGreaterThan(60);

    const [hash] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, a.admin.id));
    const keyHashes = (await db.select({ hash: apiKeys.keyHash }).from(apiKeys).where(eq(apiKeys.workspaceId, a.id))).map((k) => k.hash);
    const secrets: Record<string, string> = {
      ...Object.fromEntries(Object.entries(a.keys).map(([role, k]) => [`${role} key`, k])),
      'new key': freshKey,
      'admin password': a.admin.password,
      'new user password': userPassword,
      'password hash': hash!.hash,
      'session token': token,
      'SMTP password': SMTP_PASSWORD,
      ...Object.fromEntries(keyHashes.map((h, i) => [`key hash ${i}`, h])),
    };
    const leaks: string[] = [];
    for (const [name, secret] of Object.entries(secrets)) {
      // The one answer allowed to carry a new key is the one that created it.
      for (const text of texts) if (text.includes(secret) && !(name === 'new key' && text === creation)) leaks.push(`${name} in ${text.slice(0, 160)}`);
      for (const line of lines) if (line.includes(secret)) leaks.push(`${name} in log ${line.slice(0, 160)}`);
    }
    // The webhook secret is for admins only; below admin it never appears.
    for (const r of responses) if (r.who === 'viewer' || r.who === 'editor') if (r.text.includes(wf.secret)) leaks.push(`webhook secret shown to ${r.who}`);
    for (const line of lines) if (line.includes(wf.secret)) leaks.push(`webhook secret in log ${line.slice(0, 160)}`);
    expect(leaks).toEqual([]);
    // The log did see these requests (so "nothing leaked" is not "nothing logged").
    expect(lines.length).toBeGreaterThan(0);
  });
});

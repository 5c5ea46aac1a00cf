import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SecretBox } from '@lead-router/db/secret-box';
import { secretContext, workspaceSecrets } from '@lead-router/db/secrets-schema';
import { notifications } from '@lead-router/db/schema';
import type { EnrichConfig, EnrichResult, NotifyConfig } from '@lead-router/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from './index';
import { applicationFailureOf, createTestDatabase, createWorkspace, failureOf, insertLeads, type TestDatabase } from '../test/test-db';
import type { RoutingActivities } from './types';

// Workspace secrets in the calls that leave the building (shared/src/secrets.ts): the provider or webhook gets the
// value; the trace, the notification rows and the errors Temporal records get its name at most.

const KEY = 'worker-test-secret-key-0123456789abcdefghij';
const API_KEY = 'sk_live_enrich+key/0123456789';
const HOOK_TOKEN = 'hook-token-abcdefghijklmnop';
let t: TestDatabase;
let workspaceId: string;
let workflowId: string;
let acts: RoutingActivities;
let keyless: RoutingActivities;
let server: ReturnType<typeof createServer>;
let base: string;
const seen: Array<{ url: string; apiKey: string | undefined; body: string }> = [];
const handlers = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();

beforeAll(async () => {
  t = await createTestDatabase({ max: 3 });
  ({ workspaceId, workflowId } = await createWorkspace(t.db));
  const box = new SecretBox(KEY);
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', apiKey: req.headers['x-api-key'] as string | undefined, body });
      const h = handlers.get(new URL(req.url ?? '/', 'http://x').pathname);
      if (h) h(req, res);
      else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const secrets = { ENRICH_KEY: API_KEY, HOOK_URL: `${base}/hook/${HOOK_TOKEN}`, HOOK_TOKEN };
  await t.db.insert(workspaceSecrets).values(Object.entries(secrets).map(([name, value]) => ({ workspaceId, name, valueEnc: box.seal(value, secretContext(workspaceId, name)) })));
  acts = createActivities({ db: t.db, allowPrivateWebhookTargets: true, secretBox: box });
  keyless = createActivities({ db: t.db, allowPrivateWebhookTargets: true });
}, 60_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  await t?.drop();
});

const run = (seq: number) => ({ workspaceId, workflowId: 'lead-x', leadId: '00000000-0000-4000-8000-000000000001', nodeId: 'enrich', seq });
const enrichConfig = (path: string, headers: Record<string, string> = { 'X-Api-Key': '{{secret.ENRICH_KEY}}' }): EnrichConfig => ({
  provider: 'http',
  fields: ['employees'],
  overwrite: false,
  http: { urlTemplate: `${base}${path}?domain={{domain}}&key={{secret.ENRICH_KEY}}`, headers, timeoutMs: 1000, mapping: { employees: 'size' } },
});
const noSecret = (text: unknown) => expect(JSON.stringify(text)).not.toMatch(/sk_live|enrich%2Bkey|hook-token/);

async function notFoundDetail(p: Promise<unknown>): Promise<string> {
  const f = await applicationFailureOf(p);
  return (f.details?.[0] as EnrichResult).detail;
}

describe('HTTP enrichment with secrets', () => {
  it('the provider gets the key in the header and, URL-encoded, in the URL; the trace detail does not', async () => {
    handlers.set('/ok', (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"size":120}'));
    seen.length = 0;
    const r = await acts.enrich({ ...run(1), config: enrichConfig('/ok'), lead: { domain: 'acme.com' } });
    expect(r).toEqual({ found: true, fields: { employees: 120 }, detail: `Found 1 of 1 mapped field(s) at ${base}` });
    expect(seen).toEqual([{ url: `/ok?domain=acme.com&key=${encodeURIComponent(API_KEY)}`, apiKey: API_KEY, body: '' }]);
  });

  it('a lead cannot write a reference of its own: its values are URL-encoded before secrets are filled in', async () => {
    seen.length = 0;
    await acts.enrich({ ...run(2), config: enrichConfig('/ok'), lead: { domain: '{{secret.HOOK_TOKEN}}' } });
    expect(seen[0]!.url).toBe(`/ok?domain=%7B%7Bsecret.HOOK_TOKEN%7D%7D&key=${encodeURIComponent(API_KEY)}`);
  });

  it('an answer that echoes the key back is recorded with the key named, not shown, whether final or retried', async () => {
    handlers.set('/echo', (req, res) => res.writeHead(401).end(`invalid key ${req.headers['x-api-key']} for ${req.url}`));
    const detail = await notFoundDetail(acts.enrich({ ...run(3), config: enrichConfig('/echo'), lead: { domain: 'acme.com' } }));
    expect(detail).toBe(`${base} answered 401: invalid key {{secret.ENRICH_KEY}} for /echo?domain=acme.com&key={{secret.ENRICH_KEY}}`);
    handlers.set('/busy', (req, res) => res.writeHead(503).end(`busy, key ${req.headers['x-api-key']}`));
    const retried = await failureOf(acts.enrich({ ...run(4), config: enrichConfig('/busy'), lead: { domain: 'acme.com' } }));
    expect((retried as Error).message).toBe(`${base} answered 503: busy, key {{secret.ENRICH_KEY}}`);
    // A value the HTTP client refuses to send (a line break in a header) fails without quoting it.
    const refused = await failureOf(acts.enrich({ ...run(5), config: enrichConfig('/ok', { 'X-Api-Key': 'Bearer {{secret.ENRICH_KEY}}\u0000' }), lead: { domain: 'acme.com' } }));
    noSecret((refused as Error).message);
  });

  it('a secret that is not set, or no SECRET_KEY on the worker: nothing is sent, and the step says why', async () => {
    seen.length = 0;
    expect(await notFoundDetail(acts.enrich({ ...run(6), config: enrichConfig('/ok', { 'X-Api-Key': '{{secret.GONE}}' }), lead: { domain: 'acme.com' } }))).toBe(
      'Did not call the provider: The secret GONE is not set in this workspace (Settings, Secrets)',
    );
    expect(await notFoundDetail(keyless.enrich({ ...run(7), config: enrichConfig('/ok'), lead: { domain: 'acme.com' } }))).toBe(
      'Did not call the provider: SECRET_KEY is not set on the worker, so {{secret.ENRICH_KEY}} cannot be read',
    );
    expect(seen).toEqual([]);
  });
});

describe('Slack and webhook notifications with secrets', () => {
  const notify = (leadId: string, config: NotifyConfig, seq: number, on = acts) =>
    on.notify({ workspaceId, workflowId: `lead-${leadId}`, leadId, nodeId: 'notify', seq, config, lead: { company: 'Acme' }, assignee: null, message: 'New lead at Acme', subject: 'Lead' });
  const newLead = async () => (await insertLeads(t.db, { workspaceId, workflowId }, [{}]))[0]!;
  const rowsOf = (leadId: string) => t.db.select().from(notifications).where(eq(notifications.leadId, leadId));

  it('a URL kept whole as a secret, or a token in its query, is posted to; the rows hold neither', async () => {
    handlers.set(`/hook/${HOOK_TOKEN}`, (_req, res) => res.writeHead(200).end('ok'));
    handlers.set('/hook', (_req, res) => res.writeHead(200).end('ok'));
    const lead = await newLead();
    seen.length = 0;
    expect((await notify(lead, { channel: 'slack', url: '{{secret.HOOK_URL}}', recipient: { type: 'assignee' }, message: 'Lead from {{company}}' }, 1)).delivered).toBe(true);
    expect((await notify(lead, { channel: 'webhook', url: `${base}/hook?token={{secret.HOOK_TOKEN}}`, recipient: { type: 'assignee' }, message: 'x' }, 2)).delivered).toBe(true);
    expect(seen.map((s) => s.url)).toEqual([`/hook/${HOOK_TOKEN}`, `/hook?token=${HOOK_TOKEN}`]);
    const rows = await rowsOf(lead);
    expect(rows.map((r) => [r.recipient, r.status])).toEqual([
      [base, 'delivered'],
      [base, 'delivered'],
    ]);
    noSecret(rows);
  });

  it('an error answer that echoes the URL is recorded redacted; a missing secret is refused, not sent', async () => {
    handlers.set('/hook', (req, res) => res.writeHead(400).end(`no such hook ${req.url}`));
    const lead = await newLead();
    const r = await notify(lead, { channel: 'webhook', url: `${base}/hook?token={{secret.HOOK_TOKEN}}`, recipient: { type: 'assignee' }, message: 'x' }, 3);
    expect(r).toEqual({ delivered: false, detail: `Webhook ${base} answered 400: no such hook /hook?token={{secret.HOOK_TOKEN}}` });
    const gone = await notify(lead, { channel: 'slack', url: '{{secret.SLACK_GONE}}', recipient: { type: 'assignee' }, message: 'x' }, 4);
    expect(gone).toEqual({ delivered: false, detail: 'Not sent: The secret SLACK_GONE is not set in this workspace (Settings, Secrets)' });
    const keylessAnswer = await notify(lead, { channel: 'slack', url: '{{secret.HOOK_URL}}', recipient: { type: 'assignee' }, message: 'x' }, 5, keyless);
    expect(keylessAnswer.detail).toBe('Not sent: SECRET_KEY is not set on the worker, so {{secret.HOOK_URL}} cannot be read');
    noSecret(await rowsOf(lead));
  });
});

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import type { Assignee, NotifyConfig, NotifyRequest } from '@lead-router/shared';
import { ApplicationFailure } from '@temporalio/activity';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '@lead-router/db/schema';
import { createActivities } from './index';
import { scriptedDns } from '../test/dns';
import { createTestDatabase, createWorkspace, failureOf, insertLeads, seedDirectory, type TestDatabase } from '../test/test-db';
import type { RoutingActivities, RunRef } from './types';

let t: TestDatabase;
let workspaceId: string;
let workflowId: string;
let acts: RoutingActivities;
let open: RoutingActivities;
/** Private targets not allowed, over a DNS the tests script. */
let guarded: RoutingActivities;
const dns = scriptedDns();
let http: ReturnType<typeof createServer>;
let base: string;
let smtp: Server;
let smtpPort: number;
const hits: Array<{ path: string; body: unknown }> = [];
const replies = new Map<string, number[]>();
const mails: string[] = [];

const ANA: Assignee = { type: 'rep', id: 'ana', name: 'Ana Diaz' };

/** A mail server that accepts everything and keeps each message's DATA. */
function startSmtp(): Promise<void> {
  smtp = createTcpServer((socket) => {
    let data: string | null = null;
    let buffer = '';
    socket.write('220 test ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (data !== null) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mails.push(data + buffer.slice(0, end));
          buffer = buffer.slice(end + 5);
          data = null;
          socket.write('250 queued\r\n');
          continue;
        }
        const nl = buffer.indexOf('\r\n');
        if (nl < 0) return;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-test\r\n250 8BITMIME\r\n');
        else if (verb === 'DATA') {
          data = '';
          socket.write('354 go ahead\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 ok\r\n');
      }
    });
  });
  return new Promise((resolve) =>
    smtp.listen(0, '127.0.0.1', () => {
      smtpPort = (smtp.address() as AddressInfo).port;
      resolve();
    }),
  );
}

beforeAll(async () => {
  t = await createTestDatabase({ max: 3 });
  ({ workspaceId, workflowId } = await createWorkspace(t.db));
  await seedDirectory(t.db, workspaceId, {
    reps: [
      { id: 'ana', name: 'Ana Diaz', email: 'ana@example.com', timeZone: 'UTC', managerId: 'mia' },
      { id: 'mia', name: 'Mia Park', email: 'mia@example.com', timeZone: 'UTC' },
    ],
    queues: [{ id: 'q-1', name: 'Overflow' }],
  });
  acts = createActivities({ db: t.db });
  guarded = createActivities({ db: t.db, resolveHost: dns.resolve });
  http = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const path = req.url ?? '/';
      hits.push({ path, body: raw ? JSON.parse(raw) : null });
      const queue = replies.get(path) ?? [];
      const status = queue.length > 1 ? (queue.shift() as number) : (queue[0] ?? 200);
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(status === 200 ? 'ok' : `status ${status}`);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  await startSmtp();
  open = createActivities({ db: t.db, allowPrivateWebhookTargets: true, smtp: { host: '127.0.0.1', port: smtpPort, secure: false, from: 'router@example.com' } });
}, 60_000);

afterAll(async () => {
  if (http) {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }
  if (smtp) await new Promise((resolve) => smtp.close(resolve));
  await t?.drop();
});

async function newLead(): Promise<string> {
  const [id] = await insertLeads(t.db, { workspaceId, workflowId }, [{}]);
  return id as string;
}

function request(leadId: string, config: NotifyConfig, extra: Partial<NotifyRequest> = {}): NotifyRequest & RunRef {
  const lead = { firstName: '<b>Bo</b>', company: 'A&B <!channel>' };
  return { workspaceId, workflowId: `lead-${leadId}`, leadId, nodeId: 'notify', seq: 4, config, lead, assignee: ANA, message: 'New lead: <b>Bo</b> at A&B <!channel>', subject: 'Lead A&B', ...extra };
}

const rowsOf = (leadId: string) => t.db.select().from(notifications).where(eq(notifications.leadId, leadId));

describe('notify: in-app', () => {
  it('puts one notification in the rep’s inbox, however often it is retried', async () => {
    const leadId = await newLead();
    const req = request(leadId, { channel: 'in_app', recipient: { type: 'assignee' }, message: 'x' });
    const first = await acts.notify(req);
    // The trace names the rep (issue 13), the row keeps the id.
    expect(first).toEqual({ delivered: true, detail: 'In-app notification for Ana Diaz' });
    expect(await Promise.all([acts.notify(req), acts.notify(req)])).toEqual([first, first]);
    const rows = await rowsOf(leadId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: 'in_app', repId: 'ana', recipient: 'ana', status: 'delivered', dedupeKey: `lead-${leadId}:4`, body: req.message, subject: 'Lead A&B' });
  });

  it('goes to the manager, a named rep, or the rep with an address', async () => {
    const leadId = await newLead();
    await acts.notify(request(leadId, { channel: 'in_app', recipient: { type: 'manager' }, message: 'x' }, { seq: 1 }));
    await acts.notify(request(leadId, { channel: 'in_app', recipient: { type: 'rep', repId: 'mia' }, message: 'x' }, { seq: 2 }));
    await acts.notify(request(leadId, { channel: 'in_app', recipient: { type: 'email', address: 'ANA@example.com' }, message: 'x' }, { seq: 3 }));
    expect((await rowsOf(leadId)).map((r) => r.repId).sort()).toEqual(['ana', 'mia', 'mia']);
  });

  it('a lead in a queue has no inbox to notify: recorded as failed, not thrown', async () => {
    const leadId = await newLead();
    const r = await acts.notify(request(leadId, { channel: 'in_app', recipient: { type: 'assignee' }, message: 'x' }, { assignee: { type: 'queue', id: 'q-1', name: 'Overflow' } }));
    expect(r.delivered).toBe(false);
    expect(r.detail).toBe('The lead is in queue Overflow, which has no inbox or email');
    expect((await rowsOf(leadId))[0]).toMatchObject({ status: 'failed', detail: r.detail });
  });
});

describe('notify: email', () => {
  it('without SMTP configured: recorded as failed, delivered false, never thrown', async () => {
    const leadId = await newLead();
    const r = await acts.notify(request(leadId, { channel: 'email', recipient: { type: 'assignee' }, message: 'x' }));
    expect(r).toEqual({ delivered: false, detail: 'SMTP is not configured' });
    expect((await rowsOf(leadId))[0]).toMatchObject({ channel: 'email', recipient: 'ana@example.com', status: 'failed', detail: 'SMTP is not configured' });
    // A retry answers from the record.
    expect(await acts.notify(request(leadId, { channel: 'email', recipient: { type: 'assignee' }, message: 'x' }))).toEqual(r);
  });

  it('sends over SMTP once, with lead values escaped in the HTML body', async () => {
    const leadId = await newLead();
    mails.length = 0;
    const req = request(leadId, { channel: 'email', recipient: { type: 'assignee' }, message: 'Hi {{firstName}} from {{company}}' });
    const r = await open.notify(req);
    expect(r).toEqual({ delivered: true, detail: 'Emailed ana@example.com' });
    expect(await open.notify(req)).toEqual(r);
    expect(mails).toHaveLength(1);
    const mail = (mails[0] as string).replace(/=\r\n/g, '').replace(/=3D/g, '=');
    expect(mail).toContain('To: ana@example.com');
    expect(mail).toContain('Hi &lt;b&gt;Bo&lt;/b&gt; from A&amp;B &lt;!channel&gt;');
    expect(mail).not.toContain('Hi <b>Bo</b>');
    expect((await rowsOf(leadId))[0]).toMatchObject({ status: 'delivered', recipient: 'ana@example.com' });
  });
});

describe('notify: Slack and webhooks', () => {
  it('posts Slack text with lead values escaped, once', async () => {
    const leadId = await newLead();
    hits.length = 0;
    const req = request(leadId, { channel: 'slack', url: `${base}/slack/T1/B2/secret`, subject: 'New {{firstName}}', message: 'Lead from {{company}}', recipient: { type: 'assignee' } });
    const r = await open.notify(req);
    expect(r.delivered).toBe(true);
    expect(await open.notify(req)).toEqual(r);
    expect(hits).toEqual([{ path: '/slack/T1/B2/secret', body: { text: '*New &lt;b&gt;Bo&lt;/b&gt;*\nLead from A&amp;B &lt;!channel&gt;' } }]);
    const [row] = await rowsOf(leadId);
    // The webhook's secret path is not stored.
    expect(row).toMatchObject({ channel: 'slack', recipient: base, status: 'delivered' });
  });

  it('posts the generic webhook payload', async () => {
    const leadId = await newLead();
    hits.length = 0;
    const req = request(leadId, { channel: 'webhook', url: `${base}/hook`, message: 'x', recipient: { type: 'assignee' } });
    expect((await open.notify(req)).delivered).toBe(true);
    expect(hits).toEqual([{ path: '/hook', body: { leadId, nodeId: 'notify', message: req.message, subject: req.subject, lead: req.lead } }]);
  });

  it('a 5xx is thrown for Temporal to retry and recorded as pending; the retry delivers', async () => {
    const leadId = await newLead();
    hits.length = 0;
    replies.set('/flaky', [503, 200]);
    const req = request(leadId, { channel: 'webhook', url: `${base}/flaky`, message: 'x', recipient: { type: 'assignee' } });
    const e = await failureOf(open.notify(req));
    expect(e).toBeInstanceOf(Error);
    expect(e).not.toBeInstanceOf(ApplicationFailure);
    expect((e as Error).message).toContain('answered 503');
    expect((await rowsOf(leadId))[0]).toMatchObject({ status: 'pending' });
    expect((await open.notify(req)).delivered).toBe(true);
    expect((await rowsOf(leadId))[0]).toMatchObject({ status: 'delivered' });
    expect(hits).toHaveLength(2);
  });

  it('a 4xx will not pass on retry: delivered false, recorded as failed', async () => {
    const leadId = await newLead();
    replies.set('/gone', [410]);
    const r = await open.notify(request(leadId, { channel: 'slack', url: `${base}/gone`, message: 'x', recipient: { type: 'assignee' } }));
    expect(r.delivered).toBe(false);
    expect(r.detail).toContain('answered 410');
    expect((await rowsOf(leadId))[0]).toMatchObject({ status: 'failed' });
  });

  it('a loopback target is refused without the flag, and nothing is sent', async () => {
    const leadId = await newLead();
    hits.length = 0;
    const r = await acts.notify(request(leadId, { channel: 'webhook', url: `${base}/hook`, message: 'x', recipient: { type: 'assignee' } }));
    expect(r.delivered).toBe(false);
    expect(r.detail).toBe(`Refused to call ${base}: 127.0.0.1 is a loopback address; the router only calls public addresses`);
    expect(hits).toEqual([]);
    expect((await rowsOf(leadId))[0]).toMatchObject({ status: 'failed', detail: r.detail });
    for (const url of ['http://localhost:9/x', 'http://[::1]:9/x', 'http://169.254.169.254/latest', 'http://10.0.0.8/', 'http://[::ffff:127.0.0.1]/']) {
      const other = await newLead();
      expect((await acts.notify(request(other, { channel: 'webhook', url, message: 'x', recipient: { type: 'assignee' } }))).delivered).toBe(false);
    }
  });

  // A name that answers a public address to the check and the host's loopback to the connection (DNS
  // rebinding), and a documentation address: the listener on 127.0.0.1 is never reached by either channel.
  it.each(['webhook', 'slack'] as const)('%s: a name rebound to 127.0.0.1 between check and connect, or a documentation address, is refused and not reached', async (channel) => {
    const host = `rebind-${channel}.test`;
    dns.answer(host, ['93.184.215.14'], ['127.0.0.1']);
    const port = new URL(base).port;
    hits.length = 0;
    const leadId = await newLead();
    const r = await guarded.notify(request(leadId, { channel, url: `http://${host}:${port}/hook/secret`, message: 'x', recipient: { type: 'assignee' } }));
    expect(r).toEqual({ delivered: false, detail: `Refused to call http://${host}:${port}: ${host} resolves to 127.0.0.1, a loopback address; the router only calls public addresses` });
    expect(dns.asked.get(host)).toBe(2);
    expect(hits).toEqual([]);
    expect((await rowsOf(leadId))[0]).toMatchObject({ channel, status: 'failed', detail: r.detail });

    const other = await newLead();
    const doc = await guarded.notify(request(other, { channel, url: 'http://192.0.2.10/hook', message: 'x', recipient: { type: 'assignee' } }));
    expect(doc).toEqual({ delivered: false, detail: 'Refused to call http://192.0.2.10: 192.0.2.10 is a reserved address (documentation, benchmarking or future use); the router only calls public addresses' });
  });
});

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { demoDirectory } from '@lead-router/shared/fixtures';
import { and, eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications, queueAlerts, queues, routingRuns } from '@lead-router/db/schema';
import { SecretBox } from '@lead-router/db/secret-box';
import { secretContext, workspaceSecrets } from '@lead-router/db/secrets-schema';
import { QueueAlertJob } from './queue-alerts';
import { createTestDatabase, createWorkspace, insertLeads, seedDirectory, type TestDatabase } from './test/test-db';

// Queue age alerts against a real database and a real HTTP webhook: once per lead and threshold, however
// many runners run rounds at the same time, and across restarts (a new job instance).

let database: TestDatabase;
const posts: Array<Record<string, unknown>> = [];
const urls: string[] = [];
const hook = createServer((req, res) => {
  urls.push(req.url ?? '');
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    posts.push(JSON.parse(body) as Record<string, unknown>);
    res.writeHead(204).end();
  });
});
let hookUrl = '';

beforeAll(async () => {
  database = await createTestDatabase({ max: 10 });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
}, 60_000);

afterAll(async () => {
  hook.close();
  await database?.drop();
});

const job = () => new QueueAlertJob({ db: database.db, allowPrivateWebhookTargets: true });
const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000);

/** A workspace with the demo directory; q-enterprise alerts after 30 minutes to Ana and Bo and a webhook. */
async function setup() {
  const target = await createWorkspace(database.db);
  await seedDirectory(database.db, target.workspaceId, demoDirectory);
  await database.db
    .update(queues)
    .set({ ageAlertMinutes: 30, notify: { channel: 'webhook', url: hookUrl }, memberIds: ['rep-ana', 'rep-bo'] })
    .where(and(eq(queues.workspaceId, target.workspaceId), eq(queues.id, 'q-enterprise')));
  const queue = async (leadId: string, queueId: string, at: Date) =>
    database.db.update(routingRuns).set({ status: 'completed', assigneeType: 'queue', assigneeId: queueId, assignedAt: at }).where(eq(routingRuns.leadId, leadId));
  const ids = await insertLeads(database.db, target, [
    { firstName: 'Old', lastName: 'One', company: 'Acme' },
    { firstName: 'Old', lastName: 'Two', company: 'Globex' },
    { firstName: 'Fresh', lastName: 'Three' },
    { firstName: 'Default', lastName: 'Four' },
  ]);
  const [old1, old2, fresh, other] = ids as [string, string, string, string];
  await queue(old1, 'q-enterprise', minutesAgo(120));
  await queue(old2, 'q-enterprise', minutesAgo(31));
  await queue(fresh, 'q-enterprise', minutesAgo(10));
  // The default threshold (60 minutes) for a queue without its own: 45 minutes is not late yet.
  await queue(other, 'q-unassigned', minutesAgo(45));
  return { ...target, old1, old2, fresh, other };
}

describe('queue age alerts', () => {
  it('alerts each late lead once (in-app for members and their manager, and the webhook), across concurrent runners and restarts', async () => {
    const s = await setup();
    posts.length = 0;
    // Two runners (say two worker processes) race, three rounds each, then a restarted one.
    for (let i = 0; i < 3; i++) {
      const rounds = await Promise.all([job().runOnce(), job().runOnce()]);
      expect(rounds.filter((r) => r.ran).length).toBeGreaterThanOrEqual(1);
    }
    expect(await job().runOnce()).toEqual({ ran: true, alerted: 0 });

    const alerts = await database.db.select().from(queueAlerts).where(eq(queueAlerts.workspaceId, s.workspaceId));
    expect(alerts.map((a) => a.leadId).sort()).toEqual([s.old1, s.old2].sort());
    expect(alerts.every((a) => a.thresholdMinutes === 30 && a.channelDetail?.includes('answered 204'))).toBe(true);

    const inApp = await database.db.select().from(notifications).where(and(eq(notifications.workspaceId, s.workspaceId), eq(notifications.channel, 'in_app')));
    // Ana, Bo and their manager Mia, once per late lead.
    expect(inApp.map((n) => `${n.leadId === s.old1 ? 'old1' : 'old2'}:${n.repId}`).sort()).toEqual(['old1:rep-ana', 'old1:rep-bo', 'old1:rep-mia', 'old2:rep-ana', 'old2:rep-bo', 'old2:rep-mia']);
    const first = inApp.find((n) => n.leadId === s.old1);
    expect(first?.subject).toBe('Waiting over 30 minutes in Enterprise overflow');
    expect(first?.body).toMatch(/^Old One \(Acme\) has waited in Enterprise overflow since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC, over 30 minutes: claim it or assign it\.$/);

    expect(posts.map((p) => p.leadId).sort()).toEqual([s.old1, s.old2].sort());
    expect(posts[0]).toMatchObject({ type: 'queue_age_alert', queueId: 'q-enterprise', thresholdMinutes: 30 });
    const channel = await database.db.select().from(notifications).where(and(eq(notifications.workspaceId, s.workspaceId), eq(notifications.channel, 'webhook')));
    expect(channel.map((n) => n.status)).toEqual(['delivered', 'delivered']);

    // A lead that waits on past a new threshold alerts again, once, for that threshold.
    await database.db.update(queues).set({ ageAlertMinutes: 60 }).where(and(eq(queues.workspaceId, s.workspaceId), eq(queues.id, 'q-enterprise')));
    await Promise.all([job().runOnce(), job().runOnce()]);
    expect((await database.db.select().from(queueAlerts).where(eq(queueAlerts.workspaceId, s.workspaceId))).map((a) => `${a.leadId === s.old1 ? 'old1' : 'old2'}:${a.thresholdMinutes}`).sort()).toEqual(['old1:30', 'old1:60', 'old2:30']);
  });

  it('runs once across runners: while another holds the lock, a round does nothing', async () => {
    const s = await setup();
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended('lead-router:queue-alerts', 0))`);
      expect(await job().runOnce()).toEqual({ ran: false, alerted: 0 });
    });
    expect(await database.db.select().from(queueAlerts).where(eq(queueAlerts.workspaceId, s.workspaceId))).toEqual([]);
    expect((await job().runOnce()).ran).toBe(true);
  });

  it('sends again a channel message a runner recorded but never sent (it died between commit and send)', async () => {
    const s = await setup();
    await job().runOnce();
    posts.length = 0;
    // As a dead runner leaves it: recorded, pending, a while ago.
    await database.db
      .update(notifications)
      .set({ status: 'pending', createdAt: minutesAgo(5) })
      .where(and(eq(notifications.leadId, s.old1), like(notifications.dedupeKey, '%:channel')));
    await Promise.all([job().runOnce(), job().runOnce()]);
    expect(posts.map((p) => p.leadId)).toEqual([s.old1]);
    const [row] = await database.db.select().from(notifications).where(and(eq(notifications.leadId, s.old1), like(notifications.dedupeKey, '%:channel')));
    expect(row?.status).toBe('delivered');
  });

  it('a channel URL kept as a workspace secret is opened for the send; the rows name the secret, never its value', async () => {
    const box = new SecretBox('queue-alerts-test-secret-key-0123456789ab');
    const token = 'tok-0123456789abcdef';
    /** The setup's workspace, its q-enterprise alerting to a webhook URL kept as the secret QUEUE_HOOK. */
    const withSecretChannel = async () => {
      const w = await setup();
      await database.db.insert(workspaceSecrets).values({ workspaceId: w.workspaceId, name: 'QUEUE_HOOK', valueEnc: box.seal(`${hookUrl}?token=${token}`, secretContext(w.workspaceId, 'QUEUE_HOOK')) });
      await database.db
        .update(queues)
        .set({ notify: { channel: 'webhook', url: '{{secret.QUEUE_HOOK}}' } })
        .where(and(eq(queues.workspaceId, w.workspaceId), eq(queues.id, 'q-enterprise')));
      return w;
    };
    const s = await withSecretChannel();
    // Without SECRET_KEY nothing is sent, and the alert says why.
    posts.length = 0;
    await new QueueAlertJob({ db: database.db, allowPrivateWebhookTargets: true }).runOnce();
    expect(posts.filter((p) => p.leadId === s.old1 || p.leadId === s.old2)).toEqual([]);
    const refused = await database.db.select().from(queueAlerts).where(eq(queueAlerts.workspaceId, s.workspaceId));
    expect(refused.map((a) => a.channelDetail)).toEqual(['Not sent: SECRET_KEY is not set on the worker, so {{secret.QUEUE_HOOK}} cannot be read', 'Not sent: SECRET_KEY is not set on the worker, so {{secret.QUEUE_HOOK}} cannot be read']);

    // With it, the next workspace's late leads go to the secret's URL.
    const t = await withSecretChannel();
    posts.length = 0;
    urls.length = 0;
    await new QueueAlertJob({ db: database.db, allowPrivateWebhookTargets: true, secretBox: box }).runOnce();
    expect(posts.filter((p) => p.leadId === t.old1 || p.leadId === t.old2)).toHaveLength(2);
    expect(urls.filter((u) => u === `/hook?token=${token}`)).toHaveLength(2);
    const rows = await database.db.select().from(notifications).where(and(eq(notifications.workspaceId, t.workspaceId), eq(notifications.channel, 'webhook')));
    expect(rows.map((r) => [r.recipient, r.status])).toEqual([
      ['{{secret.QUEUE_HOOK}}', 'delivered'],
      ['{{secret.QUEUE_HOOK}}', 'delivered'],
    ]);
    const alerts = await database.db.select().from(queueAlerts).where(eq(queueAlerts.workspaceId, t.workspaceId));
    expect(JSON.stringify([rows, alerts])).not.toContain(token);
  });
});

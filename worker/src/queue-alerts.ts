import { escapeHtml, escapeSlack, isSecretRefOnly, type LeadValue } from '@lead-router/shared';
import type { Db } from '@lead-router/db/client';
import type { SecretBox } from '@lead-router/db/secret-box';
import { notifications, queueAlerts, type QueueNotifyChannel } from '@lead-router/db/schema';
import { PollingLoop } from '@lead-router/db/polling-loop';
import { and, eq, sql } from 'drizzle-orm';
import type { ActivityLog, SmtpSettings } from './activities/context';
import { createContext } from './activities/context';
import { createEmailSender, type Delivery } from './activities/deliver';
import { openTarget } from './activities/secrets';
import type { ResolveHost } from './activities/target-guard';
import { originOf } from './activities/target-guard';

// Queue age alerts (issue 15): a lead that has waited in a queue longer than the queue's threshold (its
// own setting, else 60 minutes) raises one alert: an in-app notification for each rep who works the queue
// and their managers, and a message on the queue's notify channel if it has one, through the same
// delivery code and target guard as the `notify` step. The job runs in every worker process; a PostgreSQL
// advisory lock held for each round's transaction lets one runner at a time do the work, and a
// `queue_alerts` row per (lead, queue, threshold), inserted before anything is sent, makes an alert at
// most once per lead and threshold even if two runners ever overlapped. State lives only in those rows,
// so a restart forgets nothing: a round after it picks up where the last one stopped.

/** The default age threshold, minutes (server/src/services/queues.service.ts shows the same default). */
export const DEFAULT_AGE_ALERT_MINUTES = 60;

/** The advisory lock key of the job (any fixed 64-bit number; this one spells "queue alerts"). */
const LOCK_KEY = sql`hashtextextended('lead-router:queue-alerts', 0)`;

/** Leads alerted per round at most; a backlog drains over the next rounds. */
const BATCH = 200;

/** A channel message not confirmed after this long (the runner died between commit and send) is sent again. */
const RESEND_AFTER_MS = 60_000;

/** The rows of a raw query, from postgres.js (an array) or PGlite (`{ rows }`). */
function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

/** What the job needs. */
export interface QueueAlertDeps {
  db: Db;
  log?: ActivityLog;
  smtp?: SmtpSettings | null;
  allowPrivateWebhookTargets?: boolean;
  /** Opens a channel URL kept as a workspace secret (`{{secret.NAME}}`). */
  secretBox?: SecretBox | null;
  resolveHost?: ResolveHost;
  now?: () => Date;
}

/** What one round did. */
export interface AlertRound {
  /** False when another runner held the lock: this one did nothing. */
  ran: boolean;
  /** Leads alerted in this round. */
  alerted: number;
}

interface Due {
  leadId: string;
  workspaceId: string;
  queueId: string;
  queueName: string;
  threshold: number;
  queuedAt: Date;
  notify: QueueNotifyChannel | null;
  data: Record<string, LeadValue>;
}

/** How an alert names its lead: "Selina Kyle (Kyle Holdings)", else the email, else "A lead". */
function leadName(data: Record<string, LeadValue>): string {
  const text = (k: string) => (typeof data[k] === 'string' && (data[k] as string).trim() !== '' ? (data[k] as string).trim() : null);
  const name = [text('firstName'), text('lastName')].filter(Boolean).join(' ') || text('email') || 'A lead';
  const company = text('company');
  return company ? `${name} (${company})` : name;
}

const minutes = (n: number) => (n % 60 === 0 ? `${n / 60} hour${n === 60 ? '' : 's'}` : `${n} minutes`);
const keyOf = (d: { leadId: string; queueId: string; threshold: number }) => `queue-alert:${d.leadId}:${d.queueId}:${d.threshold}`;

function messageOf(d: Due, escape: (s: string) => string = (s) => s): { subject: string; body: string } {
  const who = escape(leadName(d.data));
  const subject = `Waiting over ${minutes(d.threshold)} in ${d.queueName}`;
  const body = `${who} has waited in ${escape(d.queueName)} since ${d.queuedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, over ${minutes(d.threshold)}: claim it or assign it.`;
  return { subject, body };
}

/** The periodic queue age alert job (see above). */
export class QueueAlertJob {
  private readonly ctx;
  private readonly sendEmail;
  private readonly loop: PollingLoop;

  constructor(
    private readonly deps: QueueAlertDeps,
    options: { pollMs?: number } = {},
  ) {
    this.ctx = createContext({
      db: deps.db,
      ...(deps.log ? { log: deps.log } : {}),
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.resolveHost ? { resolveHost: deps.resolveHost } : {}),
      allowPrivateWebhookTargets: deps.allowPrivateWebhookTargets === true,
      secretBox: deps.secretBox ?? null,
    });
    this.sendEmail = createEmailSender(deps.smtp ?? null);
    this.loop = new PollingLoop(async () => void (await this.runOnce()), {
      pollMs: options.pollMs ?? 30_000,
      onError: (e) => this.ctx.log.warn('queue alerts: round failed', { err: e instanceof Error ? e.message : String(e) }),
    });
  }

  /** Runs a round every `pollMs` (default 30 s) until stopped. */
  start(): void {
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** One round: records and sends the alerts that are due, if no other runner is at it. */
  async runOnce(): Promise<AlertRound> {
    const now = this.ctx.now();
    const round = await this.deps.db.transaction(async (tx) => {
      const [lock] = rowsOf<{ locked: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(${LOCK_KEY}) as locked`));
      if (!lock?.locked) return null;
      const due = rowsOf<{
        lead_id: string;
        workspace_id: string;
        queue_id: string;
        queue_name: string;
        threshold: number;
        queued_at: string;
        notify: QueueNotifyChannel | null;
        member_ids: string[];
        data: Record<string, LeadValue>;
      }>(await tx.execute(sql`
        select r.lead_id, r.workspace_id, q.id as queue_id, q.name as queue_name,
               coalesce(q.age_alert_minutes, ${DEFAULT_AGE_ALERT_MINUTES})::int as threshold,
               coalesce(r.assigned_at, r.received_at) as queued_at, q.notify, q.member_ids, l.data
        from routing_runs r
        join queues q on q.workspace_id = r.workspace_id and q.id = r.assignee_id
        join leads l on l.id = r.lead_id
        where r.assignee_type = 'queue'
          and coalesce(r.assigned_at, r.received_at) <= ${now.toISOString()}::timestamptz - make_interval(mins => coalesce(q.age_alert_minutes, ${DEFAULT_AGE_ALERT_MINUTES}))
          and not exists (select 1 from queue_alerts a where a.lead_id = r.lead_id and a.queue_id = q.id
                          and a.threshold_minutes = coalesce(q.age_alert_minutes, ${DEFAULT_AGE_ALERT_MINUTES}))
        order by queued_at
        limit ${BATCH}`));
      const alerts: Array<{ due: Due; channelRow: string | null }> = [];
      for (const r of due) {
        const d: Due = { leadId: r.lead_id, workspaceId: r.workspace_id, queueId: r.queue_id, queueName: r.queue_name, threshold: r.threshold, queuedAt: new Date(r.queued_at), notify: r.notify, data: r.data };
        // The row first: whoever inserts it is the one who alerts.
        const [won] = await tx
          .insert(queueAlerts)
          .values({ leadId: d.leadId, workspaceId: d.workspaceId, queueId: d.queueId, thresholdMinutes: d.threshold, queuedAt: d.queuedAt })
          .onConflictDoNothing()
          .returning({ leadId: queueAlerts.leadId });
        if (!won) continue;
        const { subject, body } = messageOf(d);
        // In-app: the queue's members and their managers, once each.
        const recipients = rowsOf<{ id: string }>(await tx.execute(sql`
          select distinct x.id from (
            select id from reps where workspace_id = ${d.workspaceId} and id in (select jsonb_array_elements_text(${JSON.stringify(r.member_ids)}::jsonb))
            union select manager_id from reps where workspace_id = ${d.workspaceId} and manager_id is not null
              and id in (select jsonb_array_elements_text(${JSON.stringify(r.member_ids)}::jsonb))
          ) x`));
        if (recipients.length > 0) {
          await tx
            .insert(notifications)
            .values(recipients.map((rep) => ({ workspaceId: d.workspaceId, leadId: d.leadId, dedupeKey: `${keyOf(d)}:${rep.id}`, channel: 'in_app', recipient: rep.id, repId: rep.id, subject, body, status: 'delivered' as const, detail: `Queue age alert for ${rep.id}` })))
            .onConflictDoNothing();
        }
        // The channel's message is recorded as pending with the alert, and sent once the round commits.
        let channelRow: string | null = null;
        if (d.notify) {
          const [row] = await tx
            .insert(notifications)
            .values({ workspaceId: d.workspaceId, leadId: d.leadId, dedupeKey: `${keyOf(d)}:channel`, channel: d.notify.channel, recipient: d.notify.channel === 'email' ? d.notify.address : isSecretRefOnly(d.notify.url) ? d.notify.url : originOf(d.notify.url), subject, body, status: 'pending', detail: 'Queue age alert: sending' })
            .onConflictDoNothing()
            .returning({ id: notifications.id });
          channelRow = row?.id ?? null;
        }
        alerts.push({ due: d, channelRow });
      }
      return alerts;
    });
    if (round === null) return { ran: false, alerted: 0 };
    for (const a of round) if (a.channelRow && a.due.notify) await this.deliver(a.channelRow, a.due, a.due.notify);
    await this.resendStale(now);
    return { ran: true, alerted: round.length };
  }

  /** Sends one channel message and records how it went, on the notification and the alert. */
  private async deliver(notificationId: string, d: Due, channel: QueueNotifyChannel | null): Promise<void> {
    const delivery: Delivery = channel ? await this.send(d, channel) : { delivered: false, permanent: true, detail: 'The queue has no notify channel any more' };
    await this.deps.db
      .update(notifications)
      .set({ status: delivery.delivered ? 'delivered' : 'failed', detail: delivery.detail })
      .where(and(eq(notifications.id, notificationId), eq(notifications.status, 'pending')));
    await this.deps.db
      .update(queueAlerts)
      .set({ channelDetail: delivery.detail })
      .where(and(eq(queueAlerts.leadId, d.leadId), eq(queueAlerts.queueId, d.queueId), eq(queueAlerts.thresholdMinutes, d.threshold)));
    if (!delivery.delivered) this.ctx.log.warn('queue alerts: channel message not delivered', { leadId: d.leadId, queueId: d.queueId, detail: delivery.detail });
  }

  /**
   * Channel messages a runner recorded but never confirmed (it died between its commit and the send): each
   * is leased by moving its timestamp (compare-and-set), so one runner sends it again, at least once.
   */
  private async resendStale(now: Date): Promise<void> {
    const cutoff = new Date(now.getTime() - RESEND_AFTER_MS);
    const stale = rowsOf<{ id: string }>(await this.deps.db.execute(sql`
      select id from notifications
      where status = 'pending' and dedupe_key like 'queue-alert:%:channel' and created_at <= ${cutoff.toISOString()}::timestamptz
      limit ${BATCH}`));
    for (const row of stale) {
      const leased = rowsOf<{ dedupe_key: string }>(await this.deps.db.execute(sql`
        update notifications set created_at = ${now.toISOString()}::timestamptz
        where id = ${row.id} and status = 'pending' and created_at <= ${cutoff.toISOString()}::timestamptz returning dedupe_key`));
      const key = leased[0]?.dedupe_key;
      const m = key ? /^queue-alert:([0-9a-f-]{36}):(.+):(\d+):channel$/.exec(key) : null;
      if (!m) continue;
      const [leadId, queueId, threshold] = [m[1] as string, m[2] as string, Number(m[3])];
      const [d] = rowsOf<{ workspace_id: string; queue_name: string; notify: QueueNotifyChannel | null; queued_at: string; data: Record<string, LeadValue> }>(await this.deps.db.execute(sql`
        select a.workspace_id, q.name as queue_name, q.notify, a.queued_at, l.data
        from queue_alerts a join queues q on q.workspace_id = a.workspace_id and q.id = a.queue_id join leads l on l.id = a.lead_id
        where a.lead_id = ${leadId} and a.queue_id = ${queueId} and a.threshold_minutes = ${threshold}`));
      if (!d) continue;
      const due: Due = { leadId, workspaceId: d.workspace_id, queueId, queueName: d.queue_name, threshold, queuedAt: new Date(d.queued_at), notify: d.notify, data: d.data };
      await this.deliver(row.id, due, d.notify);
    }
  }

  private async send(d: Due, channel: QueueNotifyChannel): Promise<Delivery> {
    switch (channel.channel) {
      case 'slack':
      case 'webhook': {
        // The URL may be (or name) a workspace secret: opened for this send; what is recorded is redacted.
        const target = await openTarget(this.ctx, d.workspaceId, channel.url);
        if (!target.ok) return { delivered: false, permanent: true, detail: `Not sent: ${target.detail}` };
        if (channel.channel === 'slack') {
          const { subject, body } = messageOf(d, escapeSlack);
          return target.send({ text: `*${escapeSlack(subject)}*\n${body}` }, 'Slack')();
        }
        const { subject, body } = messageOf(d);
        return target.send({ type: 'queue_age_alert', leadId: d.leadId, queueId: d.queueId, thresholdMinutes: d.threshold, queuedAt: d.queuedAt.toISOString(), subject, message: body }, 'Webhook')();
      }
      case 'email': {
        if (!this.sendEmail) return { delivered: false, permanent: true, detail: 'SMTP is not configured' };
        const { subject, body } = messageOf(d);
        return this.sendEmail({ to: channel.address, subject, text: body, html: `<p>${messageOf(d, escapeHtml).body}</p>` });
      }
    }
  }
}

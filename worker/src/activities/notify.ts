import { activityInfo } from '@temporalio/activity';
import { escapeHtml, escapeSlack, renderTemplate, type Assignee, type DirectoryIndex, type NotifyRequest, type NotifyResult } from '@lead-router/shared';
import { eq, sql } from 'drizzle-orm';
import { notifications } from '@lead-router/db/schema';
import type { ActivityContext } from './context';
import { createEmailSender, type Delivery } from './deliver';
import { assertUuid, isForeignKeyViolation, notFoundFailure } from './failures';
import { openTarget } from './secrets';
import type { RoutingActivities, RunRef } from './types';

// Every notification is one row of `notifications`, keyed by `<workflowId>:<seq>`: in-app ones are that
// row (inserted once, so a retry never shows a rep the same alert twice); for email, Slack and webhooks it
// records each attempt's result. A retry of a step whose notification was delivered, or failed for good,
// answers from the row and sends nothing. A transient failure is recorded as `pending` (with why) and
// thrown for Temporal to retry; external channels are at-least-once (an attempt that timed out after
// sending may be sent again), in-app ones exactly once.

/** Who a notification goes to, as far as the directory knows. */
interface Recipient {
  repId: string | null;
  /** What `notifications.recipient` records: a rep id, an email address. */
  label: string;
  /** How the trace names the recipient: the rep's name, else the label. */
  name: string;
  email: string | null;
}

type Resolved = { ok: true; to: Recipient } | { ok: false; label: string; detail: string };

function repRecipient(dir: DirectoryIndex, repId: string, fallbackName?: string): Resolved {
  const rep = dir.reps.get(repId);
  if (!rep) return fallbackName ? { ok: true, to: { repId, label: repId, name: fallbackName, email: null } } : { ok: false, label: repId, detail: `Rep ${repId} is not in the directory` };
  return { ok: true, to: { repId: rep.id, label: rep.id, name: rep.name, email: rep.email } };
}

/** The recipient of an in-app or email notification, resolved as `SimulationEffects` names it. */
function resolveRecipient(dir: DirectoryIndex, req: NotifyRequest): Resolved {
  const r = req.config.recipient;
  const assignee: Assignee | null = req.assignee;
  switch (r.type) {
    case 'assignee':
      if (!assignee) return { ok: false, label: 'assignee', detail: 'The lead has no assignee yet' };
      if (assignee.type === 'queue') return { ok: false, label: `queue:${assignee.id}`, detail: `The lead is in queue ${assignee.name}, which has no inbox or email` };
      return repRecipient(dir, assignee.id, assignee.name);
    case 'manager': {
      const managerId = assignee?.type === 'rep' ? dir.reps.get(assignee.id)?.managerId : null;
      if (!managerId) return { ok: false, label: 'manager', detail: `No manager found for ${assignee ? assignee.name : 'the lead'}` };
      return repRecipient(dir, managerId);
    }
    case 'rep':
      return repRecipient(dir, r.repId);
    case 'email': {
      const address = r.address.trim();
      const lower = address.toLowerCase();
      const rep = [...dir.reps.values()].find((x) => x.email.toLowerCase() === lower);
      return { ok: true, to: { repId: rep?.id ?? null, label: address, name: rep?.name ?? address, email: address } };
    }
  }
}

/** True on the last attempt the activity's retry policy allows (unknown outside a Temporal activity). */
function isLastAttempt(): boolean {
  try {
    const info = activityInfo();
    const max = info.retryPolicy?.maximumAttempts;
    return max !== undefined && max > 0 && info.attempt >= max;
  } catch {
    return false;
  }
}

function attemptNumber(): number | null {
  try {
    return activityInfo().attempt;
  } catch {
    return null;
  }
}

/** `notify`: in-app, email, Slack or webhook, recorded and idempotent per step. */
export function createNotify(ctx: ActivityContext): Pick<RoutingActivities, 'notify'> {
  const sendEmail = createEmailSender(ctx.smtp);

  type Row = { recipient: string; repId: string | null; body: string; status: 'delivered' | 'failed' | 'pending'; detail: string };

  /** Records an attempt's result under the step's key; a delivered row is never turned back. */
  async function record(req: NotifyRequest & RunRef, key: string, row: Row): Promise<void> {
    const values = {
      workspaceId: req.workspaceId,
      leadId: req.leadId,
      dedupeKey: key,
      channel: req.config.channel,
      recipient: row.recipient,
      repId: row.repId,
      subject: req.subject,
      body: row.body,
      status: row.status,
      detail: row.detail,
    };
    await ctx.db
      .insert(notifications)
      .values(values)
      .onConflictDoUpdate({
        target: notifications.dedupeKey,
        set: { status: row.status, detail: row.detail, recipient: row.recipient, repId: row.repId, body: row.body },
        setWhere: sql`${notifications.status} <> 'delivered'`,
      });
  }

  /** Records a notification that cannot be sent (and will not be retried) and answers not delivered. */
  async function refuse(req: NotifyRequest & RunRef, key: string, recipient: { label: string; repId: string | null }, detail: string): Promise<NotifyResult> {
    await record(req, key, { recipient: recipient.label, repId: recipient.repId, body: req.message, status: 'failed', detail });
    return { delivered: false, detail };
  }

  async function inApp(req: NotifyRequest & RunRef, key: string, to: Recipient): Promise<NotifyResult> {
    if (to.repId === null) return refuse(req, key, { label: to.label, repId: null }, `No rep has the address ${to.label}, so there is no inbox to put it in`);
    const detail = `In-app notification for ${to.name}`;
    const inserted = await ctx.db
      .insert(notifications)
      .values({ workspaceId: req.workspaceId, leadId: req.leadId, dedupeKey: key, channel: 'in_app', recipient: to.label, repId: to.repId, subject: req.subject, body: req.message, status: 'delivered', detail })
      .onConflictDoNothing({ target: notifications.dedupeKey })
      .returning({ id: notifications.id });
    if (inserted.length > 0) return { delivered: true, detail };
    const [existing] = await ctx.db.select({ status: notifications.status, detail: notifications.detail }).from(notifications).where(eq(notifications.dedupeKey, key));
    return { delivered: existing?.status === 'delivered', detail: existing?.detail ?? detail };
  }

  /** Sends through an external channel; records the result; throws (to be retried) on a transient failure. */
  async function external(req: NotifyRequest & RunRef, key: string, recipient: { label: string; repId: string | null }, body: string, send: () => Promise<Delivery>): Promise<NotifyResult> {
    const d = await send();
    if (d.delivered) {
      await record(req, key, { recipient: recipient.label, repId: recipient.repId, body, status: 'delivered', detail: d.detail });
      return { delivered: true, detail: d.detail };
    }
    ctx.log.warn('Notification not delivered', { workflowId: req.workflowId, seq: req.seq, channel: req.config.channel, permanent: d.permanent, detail: d.detail });
    if (d.permanent) {
      await record(req, key, { recipient: recipient.label, repId: recipient.repId, body, status: 'failed', detail: d.detail });
      return { delivered: false, detail: d.detail };
    }
    const last = isLastAttempt();
    const attempt = attemptNumber();
    const detail = last ? `${d.detail} (gave up after ${attempt} attempts)` : `${d.detail}${attempt !== null ? ` (attempt ${attempt}; will retry)` : ' (will retry)'}`;
    await record(req, key, { recipient: recipient.label, repId: recipient.repId, body, status: last ? 'failed' : 'pending', detail });
    throw new Error(d.detail);
  }

  return {
    async notify(req: NotifyRequest & RunRef): Promise<NotifyResult> {
      assertUuid(req.leadId, 'Lead');
      assertUuid(req.workspaceId, 'Workspace');
      const key = `${req.workflowId}:${req.seq}`;
      // An in-app notification is its row, inserted once (inApp answers a retry from it): no need to look first.
      if (req.config.channel !== 'in_app') {
        const [prior] = await ctx.db.select({ status: notifications.status, detail: notifications.detail }).from(notifications).where(eq(notifications.dedupeKey, key));
        if (prior && prior.status !== 'pending') return { delivered: prior.status === 'delivered', detail: prior.detail ?? '' };
      }

      try {
        const cfg = req.config;
        if (cfg.channel === 'slack' || cfg.channel === 'webhook') {
          if (!cfg.url) return await refuse(req, key, { label: '(no URL)', repId: null }, `The ${cfg.channel} notification has no URL`);
          const target = await openTarget(ctx, req.workspaceId, cfg.url);
          if (!target.ok) return await refuse(req, key, { label: cfg.url, repId: null }, `Not sent: ${target.detail}`);
          const { recipient, send } = target;
          if (cfg.channel === 'slack') {
            // Lead values are escaped for Slack's markup, so a lead cannot mention @channel or forge links.
            const message = renderTemplate(cfg.message, req.lead, escapeSlack);
            const text = cfg.subject !== undefined ? `*${renderTemplate(cfg.subject, req.lead, escapeSlack)}*\n${message}` : message;
            return await external(req, key, recipient, text, send({ text }, 'Slack'));
          }
          const payload = { leadId: req.leadId, nodeId: req.nodeId, message: req.message, subject: req.subject, lead: req.lead };
          return await external(req, key, recipient, req.message, send(payload, 'Webhook'));
        }

        const dir = await ctx.directory(req.workspaceId);
        const resolved = resolveRecipient(dir, req);
        if (!resolved.ok) return await refuse(req, key, { label: resolved.label, repId: null }, resolved.detail);
        const to = resolved.to;
        if (cfg.channel === 'in_app') return await inApp(req, key, to);

        // Email.
        const recipient = { label: to.email ?? to.label, repId: to.repId };
        if (!to.email) return await refuse(req, key, recipient, `${to.name} has no email address`);
        // Not a failure to retry: nothing will change until someone configures SMTP.
        if (!sendEmail) return await refuse(req, key, recipient, 'SMTP is not configured');
        const html = `<p>${renderTemplate(cfg.message, req.lead, escapeHtml).replace(/\r?\n/g, '<br>')}</p>`;
        const email = { to: to.email, subject: req.subject ?? 'New lead', text: req.message, html };
        return await external(req, key, recipient, req.message, () => sendEmail(email));
      } catch (e) {
        if (isForeignKeyViolation(e)) throw notFoundFailure(`Lead ${req.leadId} does not exist`);
        throw e;
      }
    },
  };
}

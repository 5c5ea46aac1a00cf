import { durationToMs } from '../../graph/nodes/kind';
import { formatMs } from '../../util/format';
import { renderTemplate } from '../../util/template';
import type { ReminderSent, WaitRequest } from '../effects';
import type { TraceStep } from '../trace';
import { effectStep, type DuringStep } from '../step';

/** How a reminder's channel reads in its step: "in-app", "email", "slack", "webhook". */
export const reminderChannel = (channel: string | undefined): string => (channel === 'in_app' ? 'in-app' : (channel ?? ''));

/** A reminder as its own trace step: a notify on the wait's node, after the wait (its seq is the wait's + n). */
export function reminderStep(label: string, m: ReminderSent, channel: string): DuringStep {
  return {
    at: m.at,
    nodeType: 'notify',
    label: `${label}: reminder at ${m.percent}%`,
    decision: m.delivered ? `Reminder sent ${channel} (${m.percent}% of the SLA)` : `Reminder not sent (${channel})`,
    explanation: [m.detail],
    output: { reminder: m.percent, channel, delivered: m.delivered },
    outcome: 'reminded',
  };
}

/**
 * The trace step of the `n`-th reminder a wait sent, exactly as the interpreter records it once the wait
 * ends (seq = the wait's + n, on the wait's node): a workflow records it as the reminder goes out, so the
 * lead's trace shows it live, and the wait's end writes the same step again (a no-op).
 */
export function reminderTraceStep(req: WaitRequest, n: number, m: ReminderSent): TraceStep | null {
  const r = req.reminders;
  if (!r || r.label === undefined) return null;
  const d = reminderStep(r.label, m, reminderChannel(r.config.channel));
  return { seq: req.seq + n, nodeId: req.nodeId, nodeType: d.nodeType, label: d.label, at: d.at, durationMs: 0, input: {}, decision: d.decision, explanation: d.explanation, output: d.output, outcome: d.outcome, next: req.nodeId, changes: undefined };
}

/** `wait`: waits for the assignee to accept (or contact) within the SLA; accepted, rejected or timed out. */
export const waitStep = effectStep<'wait', 'wait', number>({
  effect: 'wait',
  request(node, run) {
    const round = run.enterWait();
    const timeoutMs = durationToMs(node.config.timeout);
    const req: WaitRequest = { leadId: run.leadId, nodeId: node.id, seq: run.seq, config: node.config, timeoutMs, assignee: run.assignee, round };
    const rem = node.config.reminders;
    if (rem) {
      const message = renderTemplate(rem.notify.message, run.lead);
      const subject = rem.notify.subject !== undefined ? renderTemplate(rem.notify.subject, run.lead) : null;
      req.reminders = { config: rem.notify, lead: run.lead, message, subject, label: node.label };
    }
    return { req, data: timeoutMs };
  },
  complete(node, r, timeoutMs, run) {
    const who = run.assignee ? run.assignee.name : 'nobody';
    const sla = r.sla ? r.sla.line : `SLA ${formatMs(timeoutMs)}`;
    const slaOut = r.sla ? { clock: r.sla.clock, deadline: r.sla.deadline } : {};
    const channel = reminderChannel(node.config.reminders?.notify.channel);
    const during = r.reminders && r.reminders.length > 0 ? { during: r.reminders.map((m) => reminderStep(node.label, m, channel)) } : {};
    if (r.claimedBy) {
      // Taken from the queue while it waited: the lead is the rep's, and the wait is accepted by them.
      const from = run.assignee;
      run.takeAssignee(r.claimedBy);
      return {
        outcome: 'accepted',
        decision: `${r.claimLines?.[0] ?? `Claimed by ${r.claimedBy.name}`} after ${formatMs(r.elapsedMs)}`,
        explanation: [`Waited for ${who} to ${node.config.until === 'contacted' ? 'contact' : 'accept'} the lead, ${sla}`, ...(r.claimLines ?? [r.detail])],
        output: { outcome: 'accepted', elapsedMs: r.elapsedMs, timeoutMs, round: run.waits, claimedBy: r.claimedBy, from, ...slaOut },
        durationMs: r.elapsedMs,
        ...during,
      };
    }
    const contacted = node.config.until === 'contacted';
    const verb = r.outcome === 'accepted' ? (contacted ? 'Contacted' : 'Accepted') : r.outcome === 'rejected' ? 'Rejected' : 'Timed out';
    return {
      outcome: r.outcome,
      decision: `${verb} after ${formatMs(r.elapsedMs)}`,
      explanation: [`Waited for ${who} to ${contacted ? 'contact' : 'accept'} the lead, ${sla}`, r.detail],
      output: { outcome: r.outcome, elapsedMs: r.elapsedMs, timeoutMs, round: run.waits, ...slaOut },
      durationMs: r.elapsedMs,
      ...during,
    };
  },
});

import { durationToMs } from '../../graph/nodes/kind';
import { formatMs } from '../../util/format';
import { renderTemplate } from '../../util/template';
import type { WaitRequest, WaitResult } from '../effects';
import { effectStep, type DuringStep } from '../step';

/** A reminder as its own trace step: a notify on the wait's node, after the wait (its seq is the wait's + n). */
function reminderSteps(label: string, r: WaitResult, channel: string): DuringStep[] {
  return (r.reminders ?? []).map((m) => ({
    at: m.at,
    nodeType: 'notify',
    label: `${label}: reminder at ${m.percent}%`,
    decision: m.delivered ? `Reminder sent ${channel} (${m.percent}% of the SLA)` : `Reminder not sent (${channel})`,
    explanation: [m.detail],
    output: { reminder: m.percent, channel, delivered: m.delivered },
    outcome: 'reminded',
  }));
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
      req.reminders = { config: rem.notify, lead: run.lead, message, subject };
    }
    return { req, data: timeoutMs };
  },
  complete(node, r, timeoutMs, run) {
    const who = run.assignee ? run.assignee.name : 'nobody';
    const sla = r.sla ? r.sla.line : `SLA ${formatMs(timeoutMs)}`;
    const slaOut = r.sla ? { clock: r.sla.clock, deadline: r.sla.deadline } : {};
    const channel = node.config.reminders?.notify.channel === 'in_app' ? 'in-app' : (node.config.reminders?.notify.channel ?? '');
    const during = r.reminders && r.reminders.length > 0 ? { during: reminderSteps(node.label, r, channel) } : {};
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

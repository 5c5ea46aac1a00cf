import { durationToMs } from '../../graph/nodes/kind';
import { formatMs } from '../../util/format';
import { effectStep } from '../step';

/** `wait`: waits for the assignee to accept (or contact) within the SLA; accepted, rejected or timed out. */
export const waitStep = effectStep<'wait', 'wait', number>({
  effect: 'wait',
  request(node, run) {
    const round = run.enterWait();
    const timeoutMs = durationToMs(node.config.timeout);
    return { req: { leadId: run.leadId, nodeId: node.id, seq: run.seq, config: node.config, timeoutMs, assignee: run.assignee, round }, data: timeoutMs };
  },
  complete(node, r, timeoutMs, run) {
    const who = run.assignee ? run.assignee.name : 'nobody';
    if (r.claimedBy) {
      // Taken from the queue while it waited: the lead is the rep's, and the wait is accepted by them.
      const from = run.assignee;
      run.takeAssignee(r.claimedBy);
      return {
        outcome: 'accepted',
        decision: `${r.claimLines?.[0] ?? `Claimed by ${r.claimedBy.name}`} after ${formatMs(r.elapsedMs)}`,
        explanation: [`Waited for ${who} to ${node.config.until === 'contacted' ? 'contact' : 'accept'} the lead, SLA ${formatMs(timeoutMs)}`, ...(r.claimLines ?? [r.detail])],
        output: { outcome: 'accepted', elapsedMs: r.elapsedMs, timeoutMs, round: run.waits, claimedBy: r.claimedBy, from },
        durationMs: r.elapsedMs,
      };
    }
    const contacted = node.config.until === 'contacted';
    const verb = r.outcome === 'accepted' ? (contacted ? 'Contacted' : 'Accepted') : r.outcome === 'rejected' ? 'Rejected' : 'Timed out';
    return {
      outcome: r.outcome,
      decision: `${verb} after ${formatMs(r.elapsedMs)}`,
      explanation: [`Waited for ${who} to ${contacted ? 'contact' : 'accept'} the lead, SLA ${formatMs(timeoutMs)}`, r.detail],
      output: { outcome: r.outcome, elapsedMs: r.elapsedMs, timeoutMs, round: run.waits },
      durationMs: r.elapsedMs,
    };
  },
});

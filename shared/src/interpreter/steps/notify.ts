import { renderTemplate } from '../../util/template';
import { effectStep } from '../step';

/** `notify`: renders the message (and subject) from the lead and asks for it to be sent; never blocks the lead. */
export const notifyStep = effectStep<'notify', 'notify', { message: string; subject: string | null }>({
  effect: 'notify',
  request(node, run) {
    const message = renderTemplate(node.config.message, run.lead);
    const subject = node.config.subject !== undefined ? renderTemplate(node.config.subject, run.lead) : null;
    return { req: { leadId: run.leadId, nodeId: node.id, seq: run.seq, config: node.config, lead: run.lead, assignee: run.assignee, message, subject }, data: { message, subject } };
  },
  complete(node, r, { message, subject }) {
    const channel = node.config.channel === 'in_app' ? 'in-app' : node.config.channel;
    return {
      outcome: 'next',
      decision: r.delivered ? `Sent ${channel}` : `Not sent (${channel})`,
      explanation: [r.detail],
      output: { channel: node.config.channel, delivered: r.delivered, message, subject },
    };
  },
});

import { effectStep } from '../step';

/**
 * `crm_update`: asks for the owner (the lead's rep, through their linked CRM user), fields and task to be
 * written to the lead's CRM record; `written` or `failed` with the CRM's answer. The lead is not changed.
 */
export const crmUpdateStep = effectStep<'crm_update', 'crmUpdate', string | null>({
  effect: 'crmUpdate',
  request(node, run) {
    return { req: { leadId: run.leadId, nodeId: node.id, seq: run.seq, config: node.config, lead: run.lead, assignee: run.assignee }, data: run.assignee?.type === 'rep' ? run.assignee.name : null };
  },
  complete(_node, r, repName) {
    const explanation: string[] = [];
    if (r.recordId) explanation.push(`Record: ${r.object ?? 'record'} ${r.recordId}`);
    if (r.ownerCrmId) explanation.push(repName ? `Owner: ${repName} (CRM user ${r.ownerCrmId})` : `Owner: CRM user ${r.ownerCrmId}`);
    const fields = Object.keys(r.fields);
    if (fields.length > 0) explanation.push(`Fields: ${fields.join(', ')}`);
    if (r.taskId) explanation.push(`Task: ${r.taskId}`);
    if (!r.written && r.errorCode) explanation.push(`${r.errorCode}: ${r.message ?? ''}`.trim());
    if (r.detail) explanation.push(r.detail);
    return {
      outcome: r.written ? 'written' : 'failed',
      decision: r.written ? 'Written to the CRM' : `Not written: ${r.errorCode ?? 'error'}`,
      explanation,
      output: { ...r },
    };
  },
});

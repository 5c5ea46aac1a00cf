import type { Graph } from '@lead-router/shared';
import { apiCall } from './fixtures';
import type { StackInfo } from './stack-info';

/** Creates a workflow with `graph` as its draft and publishes it, as an editor and a publisher would. */
export async function publishWorkflow(stack: StackInfo, name: string, graph: Graph): Promise<{ id: string }> {
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', { name, description: 'Published by the e2e suite', graph });
  await apiCall(stack, stack.keys.publisher, 'POST', `/api/workflows/${wf.id}/publish`, { note: 'e2e: first version' });
  return wf;
}

/** Posts a lead to a workflow's trigger endpoint with the ingest key; answers its lead id. */
export async function postLead(stack: StackInfo, workflowId: string, lead: Record<string, unknown>): Promise<string> {
  const r = await apiCall<{ leadId: string }>(stack, stack.keys.ingest, 'POST', `/api/workflows/${workflowId}/leads`, lead);
  return r.leadId;
}

// The workflows this worker runs (the bundle's entry point). Temporal finds a workflow by its export name,
// which must be the name the server starts it by: the check below fails to compile when either the export or
// the contract's ROUTE_LEAD_WORKFLOW is renamed alone.
import type { ROUTE_LEAD_WORKFLOW, RouteLeadWorkflow } from '@lead-router/shared/workflow';
import { routeLead } from './route-lead.workflow';

export { routeLead };

/** Every workflow type the contract names, under that name. */
export type RegisteredWorkflows = { [ROUTE_LEAD_WORKFLOW]: RouteLeadWorkflow };
const _registered = { routeLead } satisfies RegisteredWorkflows;

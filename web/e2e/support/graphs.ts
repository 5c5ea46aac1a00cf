import { edgeId, GRAPH_SCHEMA_VERSION, type Graph, type GraphEdge, type GraphNode } from '@lead-router/shared';

// The graphs the live specs publish through the API. Reps are available at any hour (working hours are
// not respected), so the specs never depend on when they run.

const e = (source: string, sourceHandle: string, target: string): GraphEdge => ({ id: edgeId(source, sourceHandle, target), source, sourceHandle, target });
const at = (col: number, row: number) => ({ x: col * 280, y: row * 140 });
const eligibility = { skills: [], respectCapacity: true, respectWorkingHours: false, respectOutOfOffice: true };

/** Every lead to Ana, who has two minutes to accept; otherwise it is parked in the queue. */
export const inboundGraph: Graph = {
  schemaVersion: GRAPH_SCHEMA_VERSION,
  nodes: [
    { id: 'trigger', type: 'trigger', position: at(1, 0), label: 'Inbound lead', config: { source: 'webhook' } },
    { id: 'assign-ana', type: 'assign', position: at(1, 1), label: 'Ana', config: { strategy: { type: 'specific_rep', repId: 'rep-ana' }, eligibility, excludePreviousAssignees: true } },
    { id: 'sla', type: 'wait', position: at(1, 2), label: 'Accept within 2 min', config: { until: 'accepted', timeout: { amount: 2, unit: 'minutes' } } },
    { id: 'to-queue', type: 'escalate', position: at(2, 3), label: 'Park in queue', config: { to: 'queue', queueId: 'q-unassigned' } },
    { id: 'end-routed', type: 'end', position: at(0, 3), label: 'Routed', config: { outcome: 'routed' } },
    { id: 'end-queued', type: 'end', position: at(2, 4), label: 'Queued', config: { outcome: 'queued' } },
  ] satisfies GraphNode[],
  edges: [
    e('trigger', 'next', 'assign-ana'),
    e('assign-ana', 'assigned', 'sla'),
    e('assign-ana', 'no_eligible_rep', 'end-queued'),
    e('sla', 'accepted', 'end-routed'),
    e('sla', 'timed_out', 'to-queue'),
    e('to-queue', 'escalated', 'end-queued'),
    e('to-queue', 'no_target', 'end-queued'),
  ],
};

/** Round-robin over Ben and Cara with a 5-second SLA; on time-out the lead goes to the other one. */
export const slaDrillGraph: Graph = {
  schemaVersion: GRAPH_SCHEMA_VERSION,
  nodes: [
    { id: 'trigger', type: 'trigger', position: at(1, 0), label: 'Drill lead', config: { source: 'webhook' } },
    { id: 'assign-drill', type: 'assign', position: at(1, 1), label: 'Drill team', config: { strategy: { type: 'round_robin', teamId: 'team-drill' }, eligibility, excludePreviousAssignees: true } },
    { id: 'sla', type: 'wait', position: at(1, 2), label: 'Accept within 5 s', config: { until: 'accepted', timeout: { amount: 5, unit: 'seconds' } } },
    { id: 'next-rep', type: 'escalate', position: at(2, 3), label: 'Next rep', config: { to: 'next_rep' } },
    { id: 'sla-2', type: 'wait', position: at(2, 4), label: 'Second SLA', config: { until: 'accepted', timeout: { amount: 2, unit: 'minutes' } } },
    { id: 'end-routed', type: 'end', position: at(0, 5), label: 'Routed', config: { outcome: 'routed' } },
    { id: 'end-queued', type: 'end', position: at(2, 5), label: 'Queued', config: { outcome: 'queued' } },
  ] satisfies GraphNode[],
  edges: [
    e('trigger', 'next', 'assign-drill'),
    e('assign-drill', 'assigned', 'sla'),
    e('assign-drill', 'no_eligible_rep', 'end-queued'),
    e('sla', 'accepted', 'end-routed'),
    e('sla', 'timed_out', 'next-rep'),
    e('next-rep', 'escalated', 'sla-2'),
    e('next-rep', 'no_target', 'end-queued'),
    e('sla-2', 'accepted', 'end-routed'),
    e('sla-2', 'timed_out', 'end-queued'),
  ],
};

/** Every lead straight into the Unassigned queue: its run ends there, held by the queue. */
export const queueGraph: Graph = {
  schemaVersion: GRAPH_SCHEMA_VERSION,
  nodes: [
    { id: 'trigger', type: 'trigger', position: { x: 280, y: 0 }, label: 'Inbound lead', config: { source: 'webhook' } },
    {
      id: 'to-queue',
      type: 'assign',
      position: { x: 280, y: 140 },
      label: 'Unassigned queue',
      config: { strategy: { type: 'queue', queueId: 'q-unassigned' }, eligibility: { skills: [], respectCapacity: true, respectWorkingHours: false, respectOutOfOffice: true }, excludePreviousAssignees: true },
    },
    { id: 'end-queued', type: 'end', position: { x: 280, y: 280 }, label: 'Queued', config: { outcome: 'queued' } },
  ],
  edges: [e('trigger', 'next', 'to-queue'), e('to-queue', 'assigned', 'end-queued'), e('to-queue', 'no_eligible_rep', 'end-queued')],
};

import { randomUUID } from 'node:crypto';
import { compile, DirectorySchema, type DirectoryInput, type Graph, type GraphNode, type Plan } from '@lead-router/shared';
import { sql } from 'drizzle-orm';
import type { Db } from '@lead-router/db/client';
import { UUID_PATTERN } from '../../services/workflow-access';
import { drafts, leads, routingRuns, traceSteps, versions, workflows } from '@lead-router/db/schema';

// Test setup for test runs: the directory API belongs to another engineer, so tests write directory rows
// directly, as its service would store them.

/** Inserts a directory document's rows into a workspace. */
export { insertDirectory as seedDirectory } from '@lead-router/db/directory-seed';

/** Creates a workflow whose draft is `graph` (any document, even one that does not compile). */
export async function createWorkflowWithDraft(db: Db, workspaceId: string, graph: unknown, name = 'Test workflow'): Promise<string> {
  const [wf] = await db.insert(workflows).values({ workspaceId, name, webhookSecret: randomUUID() }).returning({ id: workflows.id });
  if (!wf) throw new Error('workflow insert returned nothing');
  await db.insert(drafts).values({ workflowId: wf.id, graph: graph as Graph });
  return wf.id;
}

/** Stores `graph` compiled against `directory` as version `number` of the workflow. */
export async function insertVersion(db: Db, workflowId: string, number: number, graph: Graph, directory: DirectoryInput): Promise<Plan> {
  const compiled = compile(graph, { directory: DirectorySchema.parse(directory) });
  if (!compiled.ok) throw new Error(`test graph does not compile: ${compiled.problems.map((p) => p.message).join('; ')}`);
  await db.insert(versions).values({ workflowId, number, graph, plan: compiled.plan, checksum: `test-${number}`, authorName: 'test', note: `version ${number}` });
  return compiled.plan;
}

/** A round-robin pool: `n` reps without hours or caps, in team `team-rr`. */
export function roundRobinDirectory(n: number): DirectoryInput {
  const ids = Array.from({ length: n }, (_, i) => `rep-${i + 1}`);
  return {
    reps: ids.map((id) => ({ id, name: `Rep ${id}`, email: `${id}@example.com`, timeZone: 'UTC' })),
    teams: [{ id: 'team-rr', name: 'Round robin', members: ids.map((repId) => ({ repId, weight: 1 })) }],
    queues: [{ id: 'q-none', name: 'Nobody' }],
  };
}

/** trigger -> assign (round-robin over team-rr) -> end `assigned` | queue -> end `queued`. */
export function roundRobinGraph(): Graph {
  const nodes: GraphNode[] = [
    { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { source: 'webhook' } },
    {
      id: 'assign',
      type: 'assign',
      position: { x: 0, y: 100 },
      config: {
        strategy: { type: 'round_robin', teamId: 'team-rr' },
        eligibility: { skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true },
        excludePreviousAssignees: true,
      },
    },
    {
      id: 'park',
      type: 'assign',
      position: { x: 200, y: 200 },
      config: {
        strategy: { type: 'queue', queueId: 'q-none' },
        eligibility: { skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true },
        excludePreviousAssignees: true,
      },
    },
    { id: 'end-assigned', type: 'end', position: { x: 0, y: 300 }, config: { outcome: 'assigned' } },
    { id: 'end-queued', type: 'end', position: { x: 200, y: 300 }, config: { outcome: 'queued' } },
  ];
  const e = (source: string, sourceHandle: string, target: string) => ({ id: `${source}:${sourceHandle}->${target}`, source, sourceHandle, target });
  return {
    schemaVersion: 1,
    nodes,
    edges: [
      e('trigger', 'next', 'assign'),
      e('assign', 'assigned', 'end-assigned'),
      e('assign', 'no_eligible_rep', 'park'),
      e('park', 'assigned', 'end-queued'),
      e('park', 'no_eligible_rep', 'end-queued'),
    ],
  };
}

// Tables whose rows a workspace owns, and how to find them. api_keys and sessions are left out: signing in
// and using a key touch them by design.
const OWNED: Array<[table: string, where: string]> = [
  ['workspaces', 'id = $1'],
  ['users', 'workspace_id = $1'],
  ['workflows', 'workspace_id = $1'],
  ['drafts', 'workflow_id in (select id from workflows where workspace_id = $1)'],
  ['versions', 'workflow_id in (select id from workflows where workspace_id = $1)'],
  ['golden_leads', 'workflow_id in (select id from workflows where workspace_id = $1)'],
  ['reps', 'workspace_id = $1'],
  ['teams', 'workspace_id = $1'],
  ['territories', 'workspace_id = $1'],
  ['accounts', 'workspace_id = $1'],
  ['queues', 'workspace_id = $1'],
  ['companies', 'workspace_id = $1'],
  ['custom_fields', 'workspace_id = $1'],
  ['leads', 'workspace_id = $1'],
  ['outbox', 'workspace_id = $1'],
  ['routing_runs', 'workspace_id = $1'],
  ['trace_steps', 'lead_id in (select id from leads where workspace_id = $1)'],
  ['pool_cursors', 'workspace_id = $1'],
  ['rep_loads', 'workspace_id = $1'],
  ['rep_daily_counts', 'workspace_id = $1'],
  ['pool_daily_counts', 'workspace_id = $1'],
  ['notifications', 'workspace_id = $1'],
  ['audit_log', 'workspace_id = $1'],
];

/** A fingerprint of every row a workspace owns: equal fingerprints mean nothing was written. */
export async function workspaceFingerprint(db: Db, workspaceId: string): Promise<Record<string, string>> {
  // Interpolated below: it must be a UUID, as the harness's workspaces are.
  if (!UUID_PATTERN.test(workspaceId)) throw new Error(`not a workspace id: ${workspaceId}`);
  const out: Record<string, string> = {};
  for (const [table, where] of OWNED) {
    const rows = await db.execute(
      sql.raw(`select count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as f from ${table} t where ${where.replaceAll('$1', `'${workspaceId}'`)}`),
    );
    out[table] = String((rows as unknown as Array<{ f: string }>)[0]?.f ?? '');
  }
  return out;
}

/**
 * Stores a lead as ingestion and the worker would have: the lead, its run (if routed) and its trace steps
 * (an assign step names its assignee and pool, as the interpreter writes it), inserted out of order so the
 * path must be read by `seq`.
 */
export async function insertHistory(db: Db, workflowId: string, workspaceId: string, receivedAt: string, actual: { assignee: string | null; path: string[]; status?: 'completed' | 'waiting' } | null, data: Record<string, unknown> = {}) {
  const [lead] = await db
    .insert(leads)
    .values({ workspaceId, workflowId, data: data as never, receivedAt: new Date(receivedAt) })
    .returning({ id: leads.id });
  if (!lead) throw new Error('lead insert');
  if (actual) {
    const type = actual.assignee?.startsWith('q-') ? ('queue' as const) : actual.assignee ? ('rep' as const) : null;
    await db.insert(routingRuns).values({
      leadId: lead.id,
      workspaceId,
      workflowId,
      versionId: randomUUID(),
      temporalWorkflowId: `lead-${lead.id}`,
      status: actual.status ?? 'completed',
      assigneeType: type,
      assigneeId: actual.assignee,
      outcome: 'assigned',
      receivedAt: new Date(receivedAt),
      assignedAt: actual.assignee ? new Date(receivedAt) : null,
    });
    const assignee = actual.assignee && type ? { type, id: actual.assignee, name: actual.assignee } : null;
    const steps = actual.path.map((nodeId, i) => {
      const assigning = nodeId === 'assign' || nodeId === 'park';
      return {
        leadId: lead.id,
        seq: i + 1,
        nodeId,
        nodeType: assigning ? 'assign' : nodeId.startsWith('end') ? 'end' : 'trigger',
        label: nodeId,
        at: new Date(receivedAt),
        input: {},
        decision: 'x',
        explanation: [],
        output: assigning && assignee && (nodeId === 'park') === (type === 'queue') ? { assignee, poolKey: type === 'rep' ? 'team:team-rr' : `queue:${actual.assignee}` } : {},
      };
    });
    for (const s of steps.reverse()) await db.insert(traceSteps).values(s);
  }
  return lead.id;
}

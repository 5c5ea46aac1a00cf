import type { Assignee, Candidate, TraceStep } from '@lead-router/shared';
import { sql, type SQL } from 'drizzle-orm';
import { traceStepRecord } from '@lead-router/db/trace-rows';
import type { ActivityContext } from './context';
import { assertUuid, isForeignKeyViolation, notFoundFailure } from './failures';
import type { RoutingActivities, RunRef } from './types';

/** Verdicts that are not a reason to pass a rep over: chosen, or eligible but not next. */
const NOT_PASSED_OVER = new Set<Candidate['verdict']>(['chosen', 'not_this_turn']);

const iso = (ms: number): string => new Date(ms).toISOString();

/** An assignee as a step's output holds it, or null. */
function assigneeOf(v: unknown): Assignee | null {
  if (v === null || typeof v !== 'object') return null;
  const a = v as Partial<Assignee>;
  return (a.type === 'rep' || a.type === 'queue') && typeof a.id === 'string' ? (a as Assignee) : null;
}

const candidatesOf = (v: unknown): Candidate[] => (Array.isArray(v) ? (v as Candidate[]).filter((c) => c !== null && typeof c === 'object' && typeof c.repId === 'string' && typeof c.verdict === 'string') : []);

interface AssignmentRow {
  seq: number;
  at: string;
  node_id: string;
  node_type: string;
  pool_key: string | null;
  assignee_type: string | null;
  assignee_id: string | null;
}
interface WaitRow {
  seq: number;
  node_id: string;
  started_at: string;
  outcome: string;
  elapsed_ms: number;
  /** Whether an assignment earlier in this batch named whom the wait waited on; else the run's holder. */
  known: boolean;
  assignee_type: string | null;
  assignee_id: string | null;
}
interface PassRow {
  seq: number;
  rep_id: string;
  node_id: string;
  verdict: string;
}

/** What a batch of steps changes in the run and in the analytics tables (db/src/analytics-schema.ts). */
interface BatchAnalytics {
  assignments: AssignmentRow[];
  waits: WaitRow[];
  passes: PassRow[];
  /** Seqs of assignments that named an assignee, of escalations that did, and of waits by outcome. */
  assignedSeqs: number[];
  escalatedSeqs: number[];
  metSeqs: number[];
  breachedSeqs: number[];
  rejectedSeqs: number[];
}

function analyticsOf(steps: TraceStep[]): BatchAnalytics {
  const b: BatchAnalytics = { assignments: [], waits: [], passes: [], assignedSeqs: [], escalatedSeqs: [], metSeqs: [], breachedSeqs: [], rejectedSeqs: [] };
  let holder: { known: boolean; assignee: Assignee | null } = { known: false, assignee: null };
  for (const step of steps) {
    const output = step.output ?? {};
    if (step.nodeType === 'assign' || step.nodeType === 'escalate') {
      const assignee = assigneeOf(output.assignee);
      b.assignments.push({
        seq: step.seq,
        at: iso(step.at),
        node_id: step.nodeId,
        node_type: step.nodeType,
        pool_key: typeof output.poolKey === 'string' ? output.poolKey : null,
        assignee_type: assignee?.type ?? null,
        assignee_id: assignee?.id ?? null,
      });
      const seen = new Set<string>();
      for (const c of candidatesOf(output.candidates)) {
        if (NOT_PASSED_OVER.has(c.verdict) || seen.has(c.repId)) continue;
        seen.add(c.repId);
        b.passes.push({ seq: step.seq, rep_id: c.repId, node_id: step.nodeId, verdict: c.verdict });
      }
      if (assignee) {
        b.assignedSeqs.push(step.seq);
        if (step.nodeType === 'escalate') b.escalatedSeqs.push(step.seq);
        holder = { known: true, assignee };
      }
    }
    if (step.nodeType === 'wait' && (step.outcome === 'accepted' || step.outcome === 'timed_out' || step.outcome === 'rejected')) {
      b.waits.push({
        seq: step.seq,
        node_id: step.nodeId,
        started_at: iso(step.at),
        outcome: step.outcome,
        elapsed_ms: Math.max(0, Math.round(step.durationMs ?? 0)),
        known: holder.known,
        assignee_type: holder.assignee?.type ?? null,
        assignee_id: holder.assignee?.id ?? null,
      });
      (step.outcome === 'accepted' ? b.metSeqs : step.outcome === 'timed_out' ? b.breachedSeqs : b.rejectedSeqs).push(step.seq);
    }
  }
  return b;
}

/**
 * What a batch moves in its run, as the statement's parameters (null: the batch does not move it). Where the
 * run stands (status, node, holder, deadline, acceptance) follows only the newest step: a batch recorded late
 * (a retry that overtook later ones) leaves those as they are. What accumulates (first assignment, first
 * contact, counters, working-hours durations) takes every step the statement really inserted, late or not,
 * and never a step twice.
 */
interface RunMove {
  lastSeq: number;
  /** The node the run stands at after the newest step (at an end, the end it reached). */
  lastNode: string;
  firstAt: string;
  latest: { at: string; type: string; id: string } | null;
  first: { at: string; type: string; id: string; rep: string | null } | null;
  /** Whether a wait ended in the batch (the run no longer has a deadline). */
  waitEnded: boolean;
  /** The rep a wait answered for: `known` when an assignment earlier in the batch named them, else whoever holds the run. */
  accepted: { at: string; known: boolean; rep: string | null } | null;
  contacted: { at: string; known: boolean; rep: string | null } | null;
}

const repOf = (h: { known: boolean; assignee: Assignee | null }): { known: boolean; rep: string | null } => ({
  known: h.known,
  rep: h.known && h.assignee?.type === 'rep' ? h.assignee.id : null,
});

function runMove(steps: TraceStep[]): RunMove {
  const first = steps[0]!;
  const last = steps[steps.length - 1]!;
  const move: RunMove = { lastSeq: last.seq, lastNode: last.next ?? last.nodeId, firstAt: iso(first.at), latest: null, first: null, waitEnded: false, accepted: null, contacted: null };
  let holder: { known: boolean; assignee: Assignee | null } = { known: false, assignee: null };
  for (const step of steps) {
    const output = step.output ?? {};
    const assignee = step.nodeType === 'assign' || step.nodeType === 'escalate' ? assigneeOf(output.assignee) : null;
    if (assignee) {
      // Speed to lead is kept apart and never moves. The assign activity stored its decision at its own clock, a
      // little after the step's workflow time; the earlier of the two is the first assignment, so a lead
      // assigned once never shows a re-assignment.
      move.first ??= { at: iso(step.at), type: assignee.type, id: assignee.id, rep: assignee.type === 'rep' ? assignee.id : null };
      // Every (re)assignment restarts the clock the assigned-to-accepted metric runs on.
      move.latest = { at: iso(step.at), type: assignee.type, id: assignee.id };
      holder = { known: true, assignee };
    }
    if (step.nodeType === 'wait') {
      move.waitEnded = true;
      if (step.outcome === 'accepted') {
        const end = iso(step.at + (step.durationMs ?? 0));
        // A wait `until: contacted` reads "Contacted after ..." (shared/src/interpreter/steps/wait.ts).
        move.accepted = { at: end, ...repOf(holder) };
        if (step.decision.startsWith('Contacted')) move.contacted ??= { at: end, ...repOf(holder) };
      }
    }
  }
  return move;
}

/** Working time of a rep (SQL text, null: none) between the run's receipt and an instant, or null when the rep is not in the directory. */
const workingMs = (workspaceId: string, repId: SQL, to: SQL): SQL =>
  sql`(select working_ms(rp.working_hours, rp.time_zone, routing_runs.received_at, ${to}) from reps rp where rp.workspace_id = ${workspaceId}::uuid and rp.id = ${repId})`;

/** The rep a wait answered for: the one the batch named, else the run's holder when a rep holds it. */
const answeredFor = (h: { known: boolean; rep: string | null } | null): SQL =>
  sql`case when ${h?.known ?? false}::boolean then ${h?.rep ?? null}::text when routing_runs.assignee_type = 'rep' then routing_runs.assignee_id end`;

/**
 * The statement of a batch. Its text is the same for every batch (the batch travels as parameters, its rows
 * as jsonb), so each connection parses and plans it once, and building it is cheap: it runs for every lead.
 */
function recordStatement(leadId: string, workspaceId: string, steps: TraceStep[], b: BatchAnalytics, waiting: WaitingMark | undefined): SQL {
  const m = runMove(steps);
  const json = (rows: unknown): SQL => sql`${JSON.stringify(rows)}::jsonb`;
  const ts = (v: string | null | undefined): SQL => sql`${v ?? null}::timestamptz`;
  const text = (v: string | null | undefined): SQL => sql`${v ?? null}::text`;
  const counted = [
    ...b.assignedSeqs.map((seq) => ({ seq, kind: 'assigned' })),
    ...b.escalatedSeqs.map((seq) => ({ seq, kind: 'escalated' })),
    ...b.metSeqs.map((seq) => ({ seq, kind: 'met' })),
    ...b.breachedSeqs.map((seq) => ({ seq, kind: 'breached' })),
    ...b.rejectedSeqs.map((seq) => ({ seq, kind: 'rejected' })),
  ];
  // Edge counts: only the steps this statement inserted, in key order (concurrent runs lock rows alike: no deadlock).
  const edges = steps.map((s) => ({ seq: s.seq, node_id: s.nodeId, node_type: s.nodeType, outcome: s.outcome ?? '', next: s.next ?? '' }));
  const isWaiting = sql`${waiting !== undefined}::boolean`;
  const acceptedAt = ts(m.accepted?.at);
  const contactAt = ts(m.contacted?.at);
  const firstAt = ts(m.first?.at);
  return sql`with
  "run" as (select workspace_id, workflow_id, received_at, assignee_type, assignee_id from routing_runs where lead_id = ${leadId}::uuid and workspace_id = ${workspaceId}::uuid),
  "newest" as (select not exists (select 1 from trace_steps where lead_id = ${leadId}::uuid and seq > ${m.lastSeq}::int) as newest),
  "inserted" as (
    insert into trace_steps (lead_id, seq, node_id, node_type, label, at, duration_ms, input, decision, explanation, output, outcome, next, candidates)
    select ${leadId}::uuid, v.seq, v.node_id, v.node_type, v.label, v.at, v.duration_ms, v.input, v.decision, v.explanation, v.output, v.outcome, v.next, v.candidates
    from jsonb_to_recordset(${json(steps.map(traceStepRecord))}) as v(seq int, node_id text, node_type text, label text, at timestamptz, duration_ms int, input jsonb, decision text, explanation jsonb, output jsonb, outcome text, next text, candidates jsonb)
    order by v.seq
    on conflict do nothing returning seq),
  "assignments" as (
    insert into run_assignments (lead_id, seq, workspace_id, workflow_id, received_at, at, node_id, node_type, pool_key, assignee_type, assignee_id)
    select ${leadId}::uuid, v.seq, r.workspace_id, r.workflow_id, r.received_at, v.at, v.node_id, v.node_type, v.pool_key, v.assignee_type, v.assignee_id
    from jsonb_to_recordset(${json(b.assignments)}) as v(seq int, at timestamptz, node_id text, node_type text, pool_key text, assignee_type text, assignee_id text), "run" r
    on conflict do nothing),
  "passed_over" as (
    insert into run_passed_over (lead_id, seq, rep_id, workspace_id, workflow_id, received_at, node_id, verdict)
    select ${leadId}::uuid, v.seq, v.rep_id, r.workspace_id, r.workflow_id, r.received_at, v.node_id, v.verdict
    from jsonb_to_recordset(${json(b.passes)}) as v(seq int, rep_id text, node_id text, verdict text), "run" r
    on conflict do nothing),
  "waits" as (
    insert into run_waits (lead_id, seq, workspace_id, workflow_id, received_at, node_id, started_at, assignee_type, assignee_id, outcome, elapsed_ms)
    select ${leadId}::uuid, v.seq, r.workspace_id, r.workflow_id, r.received_at, v.node_id, v.started_at,
      case when v.known then v.assignee_type else r.assignee_type end, case when v.known then v.assignee_id else r.assignee_id end, v.outcome, v.elapsed_ms
    from jsonb_to_recordset(${json(b.waits)}) as v(seq int, node_id text, started_at timestamptz, outcome text, elapsed_ms bigint, known boolean, assignee_type text, assignee_id text), "run" r
    on conflict do nothing),
  "paths" as (
    insert into path_counts (workspace_id, workflow_id, day, node_id, node_type, outcome, next, count)
    select r.workspace_id, r.workflow_id, to_char(r.received_at at time zone 'UTC', 'YYYY-MM-DD'), v.node_id, min(v.node_type), v.outcome, v.next, count(*)::int
    from jsonb_to_recordset(${json(edges)}) as v(seq int, node_id text, node_type text, outcome text, next text)
      join "inserted" i on i.seq = v.seq, "run" r
    group by 1, 2, 3, 4, 6, 7 order by 1, 2, 3, 4, 6, 7
    on conflict (workspace_id, workflow_id, day, node_id, outcome, next) do update set count = path_counts.count + excluded.count),
  "counted" as (
    select count(*) filter (where k.kind = 'assigned')::int as assigned, count(*) filter (where k.kind = 'escalated')::int as escalated,
      count(*) filter (where k.kind = 'met')::int as met, count(*) filter (where k.kind = 'breached')::int as breached,
      count(*) filter (where k.kind = 'rejected')::int as rejected
    from jsonb_to_recordset(${json(counted)}) as k(seq int, kind text) join "inserted" i on i.seq = k.seq)
update routing_runs set
  status = case when routing_runs.status in ('completed', 'failed') then routing_runs.status when ${isWaiting} then 'waiting'::run_status
    when n.newest then 'running'::run_status else routing_runs.status end,
  current_node_id = case when ${isWaiting} then ${text(waiting?.nodeId)} when n.newest then ${text(m.lastNode)} else routing_runs.current_node_id end,
  started_at = coalesce(routing_runs.started_at, ${ts(m.firstAt)}),
  assignee_type = case when ${isWaiting} then ${text(waiting?.assignee?.type)} when n.newest and ${text(m.latest?.type)} is not null then ${text(m.latest?.type)} else routing_runs.assignee_type end,
  assignee_id = case when ${isWaiting} then ${text(waiting?.assignee?.id)} when n.newest and ${text(m.latest?.id)} is not null then ${text(m.latest?.id)} else routing_runs.assignee_id end,
  assigned_at = case when n.newest and ${ts(m.latest?.at)} is not null then ${ts(m.latest?.at)} else routing_runs.assigned_at end,
  first_assigned_at = least(coalesce(routing_runs.first_assigned_at, ${firstAt}), ${firstAt}),
  first_assignee_type = coalesce(routing_runs.first_assignee_type, ${text(m.first?.type)}),
  first_assignee_id = coalesce(routing_runs.first_assignee_id, ${text(m.first?.id)}),
  first_assigned_work_ms = case when ${firstAt} is not null and routing_runs.first_assignee_id is null then ${workingMs(workspaceId, text(m.first?.rep), firstAt)}
    else routing_runs.first_assigned_work_ms end,
  deadline_at = case when ${isWaiting} then ${ts(waiting ? iso(waiting.deadline) : null)} when n.newest and ${m.waitEnded}::boolean then null else routing_runs.deadline_at end,
  accepted_at = case when n.newest and ${acceptedAt} is not null then ${acceptedAt} else routing_runs.accepted_at end,
  accepted_work_ms = case when n.newest and ${acceptedAt} is not null then ${workingMs(workspaceId, answeredFor(m.accepted), acceptedAt)} else routing_runs.accepted_work_ms end,
  first_contact_at = coalesce(routing_runs.first_contact_at, ${contactAt}),
  first_contact_work_ms = case when ${contactAt} is not null and routing_runs.first_contact_at is null then ${workingMs(workspaceId, answeredFor(m.contacted), contactAt)}
    else routing_runs.first_contact_work_ms end,
  -- Assignments after the first: all the new ones, less the first when the run had none before.
  reassignments = routing_runs.reassignments + greatest(c.assigned - case when routing_runs.first_assignee_id is null then 1 else 0 end, 0),
  escalations = routing_runs.escalations + c.escalated,
  sla_met = routing_runs.sla_met + c.met,
  sla_breached = routing_runs.sla_breached + c.breached,
  rejections = routing_runs.rejections + c.rejected
from "newest" n, "counted" c
where routing_runs.lead_id = ${leadId}::uuid and routing_runs.workspace_id = ${workspaceId}::uuid`;
}

/** What markWaiting sets, when it travels with the steps before the wait (one statement for both). */
export interface WaitingMark {
  nodeId: string;
  deadline: number;
  assignee: Assignee | null;
}

/**
 * `recordSteps`: writes finished steps to the trace, in order, and moves the run along with the newest, in
 * one statement (the insert is a data-modifying CTE of the run's update, so both commit or neither does) and
 * one round trip. The same statement keeps the analytics tables (run_assignments, run_passed_over,
 * run_waits, path_counts) and the run's analytics columns, so analytics never read the trace; the per-day
 * rollups (rollup_*) follow those rows through their tables' statement triggers, in this statement too
 * (migration analytics-rollups). Idempotent on
 * (lead, seq): a retry inserts nothing and counts nothing. The run's position only follows the newest step
 * (the update sees the trace as it was before this statement), so steps recorded late (a retry that overtook
 * later ones) never move the run backwards. There is no one-step variant: the workflow always batches, and
 * local activities are never queued, so no older worker's task can ask for one.
 */
export function createRecordSteps(ctx: ActivityContext): Pick<RoutingActivities, 'recordSteps'> {
  const recordSteps = async (input: RunRef & { leadId: string; steps: TraceStep[]; waiting?: WaitingMark }): Promise<void> => {
    const { leadId, workspaceId } = input;
    assertUuid(leadId, 'Lead');
    const steps = [...input.steps].sort((a, b) => a.seq - b.seq);
    if (steps.length === 0) return;
    const b = analyticsOf(steps);
    try {
      await ctx.db.execute(recordStatement(leadId, workspaceId, steps, b, input.waiting));
    } catch (e) {
      if (isForeignKeyViolation(e)) throw notFoundFailure(`Lead ${leadId} does not exist`);
      throw e;
    }
  };
  return { recordSteps };
}

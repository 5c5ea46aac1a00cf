import type { Assignee, Candidate, TraceStep } from '@lead-router/shared';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { routingRuns, traceSteps } from '@lead-router/db/schema';
import { traceStepRow } from '@lead-router/db/trace-rows';
import type { ActivityContext } from './context';
import { assertUuid, isForeignKeyViolation, notFoundFailure } from './failures';
import type { RoutingActivities, RunRef } from './types';

/** A run that has finished keeps its status: a late write never turns it back into a running one. */
const FINISHED = sql`${routingRuns.status} in ('completed', 'failed')`;

/** Verdicts that are not a reason to pass a rep over: chosen, or eligible but not next. */
const NOT_PASSED_OVER = new Set<Candidate['verdict']>(['chosen', 'not_this_turn']);

const iso = (ms: number): string => new Date(ms).toISOString();
const at = (ms: number): SQL => sql`${iso(ms)}::timestamptz`;

/** An assignee as a step's output holds it, or null. */
function assigneeOf(v: unknown): Assignee | null {
  if (v === null || typeof v !== 'object') return null;
  const a = v as Partial<Assignee>;
  return (a.type === 'rep' || a.type === 'queue') && typeof a.id === 'string' ? (a as Assignee) : null;
}

const candidatesOf = (v: unknown): Candidate[] => (Array.isArray(v) ? (v as Candidate[]).filter((c) => c !== null && typeof c === 'object' && typeof c.repId === 'string' && typeof c.verdict === 'string') : []);

/** Seqs as a literal int array (they are integers: the trace's primary key). */
const seqArray = (seqs: number[]): SQL => sql.raw(`array[${seqs.map((s) => String(Math.trunc(s))).join(',')}]::int[]`);

/** How many of these steps the statement's insert really wrote: what counters add, so a retry adds nothing. */
const insertedAmong = (seqs: number[]): SQL => (seqs.length === 0 ? sql`0` : sql`(select count(*)::int from "inserted" where "seq" = any(${seqArray(seqs)}))`);

/** Working time of the rep `repId` (a SQL text) between two instants (SQL), or null when the rep is not in the directory. */
const workingMs = (workspaceId: string, repId: SQL, from: SQL, to: SQL): SQL =>
  sql`(select working_ms(r.working_hours, r.time_zone, ${from}, ${to}) from reps r where r.workspace_id = ${workspaceId} and r.id = ${repId})`;

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

type RunSet = Partial<Record<keyof typeof routingRuns.$inferInsert, unknown>>;

/**
 * The run update of a batch. Where the run stands (status, node, holder, deadline, acceptance) follows only the
 * newest step: a batch recorded late (a retry that overtook later ones) leaves those as they are. What
 * accumulates (first assignment, first contact, counters, working-hours durations) takes every step the
 * statement really inserted, late or not, and never a step twice.
 */
function runUpdate(workspaceId: string, leadId: string, steps: TraceStep[], b: BatchAnalytics, waiting: WaitingMark | undefined): RunSet {
  const first = steps[0]!;
  const last = steps[steps.length - 1]!;
  const isNewest = sql`not exists (select 1 from ${traceSteps} where ${traceSteps.leadId} = ${leadId} and ${traceSteps.seq} > ${last.seq})`;
  const follow = (column: SQL | typeof routingRuns.status, value: SQL): SQL => sql`case when ${isNewest} then ${value} else ${column} end`;

  const set: RunSet = {
    status: follow(routingRuns.status, sql`case when ${FINISHED} then ${routingRuns.status} else 'running'::run_status end`),
    // At an end there is no next node: the run stands at the end it reached.
    currentNodeId: follow(sql`${routingRuns.currentNodeId}`, sql`${last.next ?? last.nodeId}::text`),
    startedAt: sql`coalesce(${routingRuns.startedAt}, ${at(first.at)})`,
  };

  let firstAssigned: { at: number; assignee: Assignee } | null = null;
  let latest: { at: number; assignee: Assignee } | null = null;
  let accepted: { at: number; assignee: Assignee | null; known: boolean; contacted: boolean } | null = null;
  let contacted: { at: number; assignee: Assignee | null; known: boolean } | null = null;
  let holder: { known: boolean; assignee: Assignee | null } = { known: false, assignee: null };
  let waitEnded = false;
  for (const step of steps) {
    const output = step.output ?? {};
    const assignee = step.nodeType === 'assign' || step.nodeType === 'escalate' ? assigneeOf(output.assignee) : null;
    if (assignee) {
      firstAssigned ??= { at: step.at, assignee };
      latest = { at: step.at, assignee };
      holder = { known: true, assignee };
    }
    if (step.nodeType === 'wait') {
      waitEnded = true;
      if (step.outcome === 'accepted') {
        const end = step.at + (step.durationMs ?? 0);
        // A wait `until: contacted` reads "Contacted after ..." (shared/src/interpreter/steps/wait.ts).
        const isContact = step.decision.startsWith('Contacted');
        accepted = { at: end, ...holder, contacted: isContact };
        if (isContact) contacted ??= { at: end, ...holder };
      }
    }
  }

  if (latest) {
    // Every (re)assignment restarts the clock the assigned-to-accepted metric runs on.
    set.assigneeType = follow(sql`${routingRuns.assigneeType}`, sql`${latest.assignee.type}::text`);
    set.assigneeId = follow(sql`${routingRuns.assigneeId}`, sql`${latest.assignee.id}::text`);
    set.assignedAt = follow(sql`${routingRuns.assignedAt}`, at(latest.at));
  }
  if (firstAssigned) {
    // Speed to lead is kept apart and never moves. The assign activity stored its decision at its own clock, a
    // little after the step's workflow time; the earlier of the two is the first assignment, so a lead
    // assigned once never shows a re-assignment.
    const fa = at(firstAssigned.at);
    set.firstAssignedAt = sql`least(coalesce(${routingRuns.firstAssignedAt}, ${fa}), ${fa})`;
    set.firstAssigneeType = sql`coalesce(${routingRuns.firstAssigneeType}, ${firstAssigned.assignee.type}::text)`;
    set.firstAssigneeId = sql`coalesce(${routingRuns.firstAssigneeId}, ${firstAssigned.assignee.id}::text)`;
    const firstRep = firstAssigned.assignee.type === 'rep' ? sql`${firstAssigned.assignee.id}::text` : sql`null::text`;
    set.firstAssignedWorkMs = sql`case when ${routingRuns.firstAssigneeId} is null then ${workingMs(workspaceId, firstRep, sql`${routingRuns.receivedAt}`, fa)}
      else ${routingRuns.firstAssignedWorkMs} end`;
  }
  // The rep a wait answered for: an assignment earlier in this batch, else whoever holds the run now.
  const repOf = (h: { known: boolean; assignee: Assignee | null }): SQL =>
    h.known ? (h.assignee?.type === 'rep' ? sql`${h.assignee.id}::text` : sql`null::text`) : sql`case when ${routingRuns.assigneeType} = 'rep' then ${routingRuns.assigneeId} end`;
  if (waitEnded) set.deadlineAt = follow(sql`${routingRuns.deadlineAt}`, sql`null::timestamptz`);
  if (accepted) {
    const end = at(accepted.at);
    set.acceptedAt = follow(sql`${routingRuns.acceptedAt}`, end);
    set.acceptedWorkMs = follow(sql`${routingRuns.acceptedWorkMs}`, workingMs(workspaceId, repOf(accepted), sql`${routingRuns.receivedAt}`, end));
  }
  if (contacted) {
    const end = at(contacted.at);
    set.firstContactAt = sql`coalesce(${routingRuns.firstContactAt}, ${end})`;
    set.firstContactWorkMs = sql`case when ${routingRuns.firstContactAt} is null then ${workingMs(workspaceId, repOf(contacted), sql`${routingRuns.receivedAt}`, end)}
      else ${routingRuns.firstContactWorkMs} end`;
  }
  if (b.assignedSeqs.length > 0) {
    // Assignments after the first: all the new ones, less the first when the run had none before.
    const added = insertedAmong(b.assignedSeqs);
    set.reassignments = sql`${routingRuns.reassignments} + greatest(${added} - case when ${routingRuns.firstAssigneeId} is null then 1 else 0 end, 0)`;
  }
  if (b.escalatedSeqs.length > 0) set.escalations = sql`${routingRuns.escalations} + ${insertedAmong(b.escalatedSeqs)}`;
  if (b.metSeqs.length > 0) set.slaMet = sql`${routingRuns.slaMet} + ${insertedAmong(b.metSeqs)}`;
  if (b.breachedSeqs.length > 0) set.slaBreached = sql`${routingRuns.slaBreached} + ${insertedAmong(b.breachedSeqs)}`;
  if (b.rejectedSeqs.length > 0) set.rejections = sql`${routingRuns.rejections} + ${insertedAmong(b.rejectedSeqs)}`;
  if (waiting) {
    // The run now waits where the batch stopped (markWaiting's update, in the same statement).
    set.status = sql`case when ${FINISHED} then ${routingRuns.status} else 'waiting'::run_status end`;
    set.deadlineAt = new Date(waiting.deadline);
    set.currentNodeId = waiting.nodeId;
    set.assigneeType = waiting.assignee?.type ?? null;
    set.assigneeId = waiting.assignee?.id ?? null;
  }
  return set;
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
    const inserted = ctx.db.$with('inserted').as(
      ctx.db
        .insert(traceSteps)
        .values(steps.map((s) => traceStepRow(leadId, s)))
        .onConflictDoNothing()
        .returning({ seq: traceSteps.seq }),
    );
    // The run the rows belong to, as the statement found it (its received_at puts every row in a range).
    const run = sql`(select workspace_id, workflow_id, received_at, assignee_type, assignee_id from routing_runs where lead_id = ${leadId} and workspace_id = ${workspaceId})`;
    const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::jsonb`;
    const cte = (name: string, body: SQL) => ctx.db.$with(name, { n: sql<number>`n` }).as(body);
    const ctes: Array<typeof inserted | ReturnType<typeof cte>> = [inserted];
    if (b.assignments.length > 0) {
      ctes.push(
        cte(
          'assignments',
          sql`insert into run_assignments (lead_id, seq, workspace_id, workflow_id, received_at, at, node_id, node_type, pool_key, assignee_type, assignee_id)
            select ${leadId}, v.seq, r.workspace_id, r.workflow_id, r.received_at, v.at, v.node_id, v.node_type, v.pool_key, v.assignee_type, v.assignee_id
            from jsonb_to_recordset(${json(b.assignments)}) as v(seq int, at timestamptz, node_id text, node_type text, pool_key text, assignee_type text, assignee_id text), ${run} r
            on conflict do nothing returning 1 as n`,
        ),
      );
    }
    if (b.passes.length > 0) {
      ctes.push(
        cte(
          'passed_over',
          sql`insert into run_passed_over (lead_id, seq, rep_id, workspace_id, workflow_id, received_at, node_id, verdict)
            select ${leadId}, v.seq, v.rep_id, r.workspace_id, r.workflow_id, r.received_at, v.node_id, v.verdict
            from jsonb_to_recordset(${json(b.passes)}) as v(seq int, rep_id text, node_id text, verdict text), ${run} r
            on conflict do nothing returning 1 as n`,
        ),
      );
    }
    if (b.waits.length > 0) {
      ctes.push(
        cte(
          'waits',
          sql`insert into run_waits (lead_id, seq, workspace_id, workflow_id, received_at, node_id, started_at, assignee_type, assignee_id, outcome, elapsed_ms)
            select ${leadId}, v.seq, r.workspace_id, r.workflow_id, r.received_at, v.node_id, v.started_at,
              case when v.known then v.assignee_type else r.assignee_type end, case when v.known then v.assignee_id else r.assignee_id end, v.outcome, v.elapsed_ms
            from jsonb_to_recordset(${json(b.waits)}) as v(seq int, node_id text, started_at timestamptz, outcome text, elapsed_ms bigint, known boolean, assignee_type text, assignee_id text), ${run} r
            on conflict do nothing returning 1 as n`,
        ),
      );
    }
    // Edge counts: only the steps this statement inserted, in key order (concurrent runs lock rows alike: no deadlock).
    const edges = steps.map((s) => ({ seq: s.seq, node_id: s.nodeId, node_type: s.nodeType, outcome: s.outcome ?? '', next: s.next ?? '' }));
    ctes.push(
      cte(
        'paths',
        sql`insert into path_counts (workspace_id, workflow_id, day, node_id, node_type, outcome, next, count)
          select r.workspace_id, r.workflow_id, to_char(r.received_at at time zone 'UTC', 'YYYY-MM-DD'), v.node_id, min(v.node_type), v.outcome, v.next, count(*)::int
          from jsonb_to_recordset(${json(edges)}) as v(seq int, node_id text, node_type text, outcome text, next text)
            join "inserted" i on i.seq = v.seq, ${run} r
          group by 1, 2, 3, 4, 6, 7 order by 1, 2, 3, 4, 6, 7
          on conflict (workspace_id, workflow_id, day, node_id, outcome, next) do update set count = path_counts.count + excluded.count
          returning 1 as n`,
      ),
    );
    try {
      await ctx.db
        .with(...ctes)
        .update(routingRuns)
        .set(runUpdate(workspaceId, leadId, steps, b, input.waiting) as Partial<typeof routingRuns.$inferInsert>)
        .where(and(eq(routingRuns.leadId, leadId), eq(routingRuns.workspaceId, workspaceId)));
    } catch (e) {
      if (isForeignKeyViolation(e)) throw notFoundFailure(`Lead ${leadId} does not exist`);
      throw e;
    }
  };
  return { recordSteps };
}

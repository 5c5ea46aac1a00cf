import type { QueryDefinition, SignalDefinition } from '@temporalio/common';
import type { Assignee } from './assignment/types';
import type { RunCheckpoint } from './interpreter/interpret';
import type { RunStatus, TraceStep } from './interpreter/trace';

// The one statement of what the API server and the worker agree on through Temporal: the workflow type they
// start and run, its task queue, arguments and result, the signals reps answer with and the state query.
// Both sides import it, so renaming anything here (or the worker's export) fails to compile on both sides.
// Only types come from @temporalio/common; the definitions are plain objects, as defineSignal/defineQuery
// make them, so this module runs anywhere shared/ does.

/** The workflow type name: the worker exports the workflow function under it, the server starts it by it. */
export const ROUTE_LEAD_WORKFLOW = 'routeLead';

/** The task queue the server starts leads on and the worker polls, unless TEMPORAL_TASK_QUEUE says otherwise. */
export const DEFAULT_TASK_QUEUE = 'lead-routing';

/** The workflow id of a lead's routing: one per lead, so a lead never runs twice. */
export function workflowIdOf(leadId: string): string {
  return `lead-${leadId}`;
}

/** What the server starts a lead's routing with. */
export interface RouteLeadInput {
  leadId: string;
  workspaceId: string;
  versionId: string;
  /**
   * An operator's retry of the lead's failed run: the workflow routes the lead again from its trigger, on
   * the same version, numbering its steps after those of the runs before it (their trace stays).
   */
  retry?: boolean;
}

/**
 * The options a lead's routing workflow is started with, the same whoever starts it (the API server's
 * dispatcher or a worker's). One run per lead: an outbox row started again after its lead's run has ended (a
 * claim rolled back after the start, a start that timed out but went through) must not route the lead again,
 * and Temporal's default (ALLOW_DUPLICATE) would start a second run once the first has closed. An operator's
 * retry does start one; if that start is made twice, the second finds its run ended (the workflow's
 * beginRetry) and does nothing.
 */
export function routeLeadStartOptions(input: RouteLeadInput, taskQueue: string) {
  return {
    taskQueue,
    workflowId: workflowIdOf(input.leadId),
    args: [input] as [RouteLeadInput],
    workflowIdReusePolicy: input.retry ? ('ALLOW_DUPLICATE' as const) : ('REJECT_DUPLICATE' as const),
  };
}

/** The workflow's argument: the lead to route and, after a continue-as-new, where its run stands. */
export interface RouteLeadArgs extends RouteLeadInput {
  checkpoint?: RunCheckpoint;
  /** Continue-as-new before a wait once the history has this many events (default 2,000; tests lower it). */
  continueAfterEvents?: number;
  /** A claim the run before the continue-as-new had received and not yet taken: the new run takes it. */
  claim?: ClaimSignal;
}

/** What the workflow returns when the lead's route ends. */
export interface RouteLeadResult {
  leadId: string;
  status: RunStatus;
  outcome: string;
  assignee: Assignee | null;
  path: string[];
}

/** The workflow function's type, for typed starts (`client.workflow.start<RouteLeadWorkflow>`). */
export type RouteLeadWorkflow = (args: RouteLeadArgs) => Promise<RouteLeadResult>;

/** A rep's answer, as the server signals it. */
export interface RepAnswer {
  /** Who answered: a rep id, or `user:<id>` / `key:<id>` for someone answering on a rep's behalf. */
  by: string;
  /**
   * Who answered, as people read it (the user's name, else email; the API key's name), for the trace's text.
   * Absent in answers signalled before it was added: the trace then names the rep holding the lead, or `by`.
   */
  name?: string;
  /** ISO instant the server received the answer. */
  at: string;
  reason?: string;
}

/** The answers a rep can give to a lead that waits on them. */
export type RepSignal = 'accepted' | 'rejected' | 'contacted';

// What defineSignal/defineQuery return; the argument and result types are compile-time brands only.
const signal = <Args extends unknown[], N extends string>(name: N) => ({ type: 'signal', name }) as SignalDefinition<Args, N>;
const query = <Ret, N extends string>(name: N) => ({ type: 'query', name }) as QueryDefinition<Ret, [], N>;

/** The signal of each answer; its payload is a RepAnswer. */
export const repSignals: { readonly [S in RepSignal]: SignalDefinition<[RepAnswer], S> } = {
  accepted: signal('accepted'),
  rejected: signal('rejected'),
  contacted: signal('contacted'),
};

/**
 * A lead taken from a queue (a rep's claim, or a manager's assignment), as the server signals it after the
 * move has committed in PostgreSQL (the run's assignee and the rep's loads are already the rep's).
 * The workflow takes it as the lead's new holder: a wait in progress (or the next one) resolves as accepted
 * by that rep, and the route goes on from there; a route that ends first ends with the rep as its assignee.
 */
export interface ClaimSignal {
  /** The rep who now holds the lead. */
  repId: string;
  repName: string;
  /** The queue the lead was taken from. */
  queueId: string;
  queueName: string;
  /** Who made the move: the rep id for a claim of one's own, else `user:<id>` / `key:<id>`. */
  by: string;
  /** How the move is told on the timeline, e.g. "Ana Diaz" or "Ana Diaz (assigned by Mia Chen)". */
  byName: string;
  /** ISO instant the server made the move. */
  at: string;
  /** `claim` (a rep for themselves, or on their behalf) or `assign` (a manager's assignment). */
  kind: 'claim' | 'assign';
  /** A manager's override of a cap, with its reason. */
  override?: { reason: string; cap: string };
}

/** The `claimed` signal: the lead left its queue for a rep (see ClaimSignal). */
export const claimedSignal = signal<[ClaimSignal], 'claimed'>('claimed');

/** The trace step kind of a move out of a queue that no wait took (the run had ended, or ended before a wait). */
export const CLAIM_STEP_TYPE = 'claim';

/** How a move out of a queue reads on the lead's timeline: "Claimed by Ana Diaz from Enterprise queue". */
export function claimSentence(c: Pick<ClaimSignal, 'repName' | 'queueName' | 'byName' | 'kind'>): string {
  const queue = /\bqueue$/i.test(c.queueName.trim()) ? c.queueName : `${c.queueName} queue`;
  return c.kind === 'assign' ? `Assigned to ${c.repName} from ${queue} by ${c.byName}` : `Claimed by ${c.byName} from ${queue}`;
}


/** The explanation lines of a move out of a queue (who, from where, any override and its reason). */
export function claimExplanation(c: ClaimSignal): string[] {
  const lines = [claimSentence(c)];
  if (c.override) lines.push(`Cap overridden (${c.override.cap}): ${c.override.reason}`);
  return lines;
}

/**
 * The trace step of a move out of a queue that no wait took: written by the workflow when its route ended
 * with the claim still pending, or by the server when the run had already ended. Its kind, `claim`, is not
 * a graph node type (stored trace steps keep their kind as text), so it is cast; no interpreter yields it.
 */
export function claimTraceStep(c: ClaimSignal, at: number, seq: number, nodeId: string): TraceStep {
  return {
    seq,
    nodeId,
    nodeType: CLAIM_STEP_TYPE as TraceStep['nodeType'],
    label: c.kind === 'assign' ? 'Assigned from queue' : 'Claimed from queue',
    at,
    durationMs: 0,
    input: {},
    decision: claimSentence(c),
    explanation: claimExplanation(c),
    output: { assignee: { type: 'rep', id: c.repId, name: c.repName }, from: { type: 'queue', id: c.queueId, name: c.queueName }, by: c.by, kind: c.kind, ...(c.override ? { override: c.override } : {}) },
    outcome: 'accepted',
    next: null,
  };
}

/** Where a lead's routing stands, for the `state` query. */
export interface RouteState {
  status: 'starting' | 'running' | 'waiting' | RunStatus;
  /** The node being run or waited on. */
  nodeId: string | null;
  assignee: Assignee | null;
  /** When the current wait's SLA runs out (epoch ms), or null. */
  deadline: number | null;
  steps: number;
}

/** The `state` query. */
export const stateQuery = query<RouteState, 'state'>('state');

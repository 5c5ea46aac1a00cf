import type { QueryDefinition, SignalDefinition } from '@temporalio/common';
import type { Assignee } from './assignment/types';
import type { RunCheckpoint } from './interpreter/interpret';
import type { RunStatus } from './interpreter/trace';

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

/** The workflow's argument: the lead to route and, after a continue-as-new, where its run stands. */
export interface RouteLeadArgs extends RouteLeadInput {
  checkpoint?: RunCheckpoint;
  /** Continue-as-new before a wait once the history has this many events (default 2,000; tests lower it). */
  continueAfterEvents?: number;
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

/**
 * What the Temporal workflow needs from shared, and nothing else: the interpreter and its types. Kept
 * narrow so the workflow bundle stays small and carries no data files (free-mail lists, CSV parsing).
 */
export { interpret, isPaused, performEffect, type EffectCall, type PausedRun, type RunCheckpoint, type RunOptions } from './interpreter/interpret';
export type * from './interpreter/effects';
export type { FieldChange, RunResult, RunStatus, StepChanges, TraceStep } from './interpreter/trace';
export type { Assignee, Candidate } from './assignment/types';
export type { Plan, PlanNode } from './plan';
export type { Lead, LeadValue } from './fields/lead';
export * from './workflow-contract';
// SLA clocks (issue #16): pure arithmetic on a WorkCalendar an activity hands over; no holiday package.
export { needsSlaSchedule, reminderNotifyRequest, slaSchedule, type SlaSchedule } from './calendar/sla';
export { reminderTraceStep } from './interpreter/steps/wait';
export type { WorkCalendar } from './calendar/work-calendar';

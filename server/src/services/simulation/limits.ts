import { DomainError } from '../../errors/domain-error';
import type { JobFailure } from './jobs';

// The bounds of one test run's work, checked before it starts, and of its answer, measured as it is
// written. The route descriptions (routes/test-runs) state the same figures.

/** The most lead-steps (leads × steps of the graph) one simulate or backtest call may run. */
export const MAX_WORK_PER_CALL = 2_000_000;

/** The most bytes one test run may answer with, as JSON. */
export const MAX_RESPONSE_BYTES = 32 * 1024 * 1024;

const n = (x: number) => x.toLocaleString('en-US');
const size = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB` : `${Math.round((bytes / 1024) * 10) / 10} KiB`);

/** How to ask for less, by call: what the person can change. */
export interface Advice {
  /** The request field the lead count comes from (`leads`, or `limit` for a backtest). */
  path: string;
  /** What to do to fit, given the most leads that would. */
  fewer: (maxLeads: number) => string;
}

/** `too_much_work` when `leads` × `steps` is over MAX_WORK_PER_CALL, naming the limit and the figures. */
export function checkWork(leads: number, steps: number, advice: Advice): void {
  const work = leads * Math.max(steps, 1);
  if (work <= MAX_WORK_PER_CALL) return;
  const maxLeads = Math.floor(MAX_WORK_PER_CALL / Math.max(steps, 1));
  throw new DomainError(
    'too_much_work',
    `This test run is too big: ${n(leads)} leads × ${n(steps)} steps in the graph = ${n(work)} lead-steps, over the limit of ${n(MAX_WORK_PER_CALL)} per call. ${advice.fewer(maxLeads)}`,
    [{ path: advice.path, message: `at most ${n(maxLeads)} leads for a graph of ${n(steps)} steps (${n(MAX_WORK_PER_CALL)} lead-steps per call)`, code: 'too_much_work' }],
  );
}

/** `response_too_large` for an answer that passed its limit, naming the limit and how far it got. */
export function responseTooLarge(f: Extract<JobFailure, { code: 'response_too_large' }>, hint: string): DomainError {
  const where = f.leadsDone < f.leads ? `it passed ${size(f.limit)} after ${n(f.leadsDone)} of ${n(f.leads)} leads` : `it would be ${size(f.bytes)}`;
  return new DomainError('response_too_large', `The answer would be larger than ${size(f.limit)}, the most one test run may answer (${where}). ${hint}`, [
    { path: 'response', message: `at most ${f.limit} bytes`, code: 'response_too_large' },
  ]);
}

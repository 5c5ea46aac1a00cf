import type { MessagePort } from 'node:worker_threads';
import { runJob, type Job, type JobLimits, type JobOutcome } from './jobs';

/** What the pool posts to a simulation thread for one job. */
export interface WorkerTask {
  job: Job;
  limits: JobLimits;
  /** Told when the job starts computing, so its time budget leaves out the wait for a free thread. */
  started: MessagePort;
}

/** A simulation thread's task handler (loaded through simulation.worker.mjs, which registers tsx first). */
export default function handle(task: WorkerTask): JobOutcome {
  task.started.postMessage('started');
  task.started.close();
  return runJob(task.job, task.limits);
}

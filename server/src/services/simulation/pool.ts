import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { DomainError } from '../../errors/domain-error';
import type { Logger } from '../../http/context';
import { runJob, type Job, type JobKind, type JobLimits, type JobOutcome } from './jobs';
import { MAX_RESPONSE_BYTES } from './limits';
import type { WorkerTask } from './simulation.worker';

/** Runs test-run jobs: in the pool of simulation threads, or (unit tests) in the caller's thread. */
export interface SimulationRunner {
  run<K extends JobKind>(job: Job<K>): Promise<JobOutcome<K>>;
  close(): Promise<void>;
}

/** How the pool is sized and what one job may use. */
export interface SimulationPoolOptions {
  /** Threads that compute at once. */
  threads: number;
  /** How long one job may compute (from when a thread starts it), in ms. */
  timeoutMs: number;
  /** The heap one job's thread may use, in MB. */
  memoryMb: number;
  /** The most bytes an answer may take; default MAX_RESPONSE_BYTES. */
  maxResponseBytes?: number;
  /** Jobs that may wait for a free thread; past it a call is refused with 503. Default 4 per thread, at least 8. */
  maxQueue?: number;
  log?: Logger;
}

/** The default number of threads: all CPUs but one (the one the event loop keeps), at least one. */
export const defaultSimulationThreads = () => Math.max(1, availableParallelism() - 1);

/** The pool's options from the server's configuration (SIMULATION_THREADS, _TIMEOUT_MS, _MEMORY_MB). */
export function simulationPoolOptions(config: { SIMULATION_THREADS?: number | undefined; SIMULATION_TIMEOUT_MS: number; SIMULATION_MEMORY_MB: number }, log?: Logger): SimulationPoolOptions {
  return { threads: config.SIMULATION_THREADS ?? defaultSimulationThreads(), timeoutMs: config.SIMULATION_TIMEOUT_MS, memoryMb: config.SIMULATION_MEMORY_MB, ...(log ? { log } : {}) };
}

/**
 * The server's pool of simulation threads (piscina): test runs compute there, off the event loop, so the
 * API keeps answering while a big one runs. Each job has a time budget (counted from when a thread starts
 * it) and each thread a heap limit: a job over either is stopped with its thread, the pool starts a fresh
 * one, and the caller gets `time_budget_exceeded` or `memory_budget_exceeded`. Threads start on the first
 * job (each loads the interpreter, a second or two) and stay until idle for a few minutes.
 */
export class SimulationPool implements SimulationRunner {
  #pool: Piscina<WorkerTask, JobOutcome> | null = null;
  #closed = false;
  readonly #limits: JobLimits;

  constructor(readonly options: SimulationPoolOptions) {
    this.#limits = { maxResponseBytes: options.maxResponseBytes ?? MAX_RESPONSE_BYTES };
  }

  async run<K extends JobKind>(job: Job<K>): Promise<JobOutcome<K>> {
    if (this.#closed) throw new DomainError('unavailable', 'The server is shutting down; run the test again in a moment.', undefined, { retryAfterSeconds: 5 });
    const pool = (this.#pool ??= this.#start());
    const abort = new AbortController();
    const { port1, port2 } = new MessageChannel();
    let timer: NodeJS.Timeout | undefined;
    port1.once('message', () => {
      timer = setTimeout(() => abort.abort(), this.options.timeoutMs);
    });
    try {
      return (await pool.run({ job: job as Job, limits: this.#limits, started: port2 }, { transferList: [port2], signal: abort.signal })) as JobOutcome<K>;
    } catch (e) {
      throw this.#explain(e, abort.signal.aborted);
    } finally {
      clearTimeout(timer);
      port1.close();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const pool = this.#pool;
    this.#pool = null;
    // Running jobs end with their threads: the HTTP server has stopped, nobody waits for their answers.
    await pool?.destroy();
  }

  #start(): Piscina<WorkerTask, JobOutcome> {
    const { threads, memoryMb } = this.options;
    const pool = new Piscina<WorkerTask, JobOutcome>({
      filename: new URL('./simulation.worker.mjs', import.meta.url).href,
      minThreads: 0,
      maxThreads: threads,
      idleTimeout: 5 * 60_000,
      maxQueue: this.options.maxQueue ?? Math.max(8, threads * 4),
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
      // The event loop comes first: on a machine with no core to spare, a simulation thread yields to it.
      niceIncrement: 5,
    });
    // A thread that dies outside a job (one replacing a thread that ran out of memory, say) is reported
    // here; without a listener the pool's 'error' event would end the process.
    pool.on('error', (e: unknown) => this.options.log?.warn('simulation thread failed', { err: e instanceof Error ? e.message : String(e) }));
    return pool;
  }

  #explain(e: unknown, timedOut: boolean): unknown {
    const { timeoutMs, memoryMb } = this.options;
    if (timedOut) {
      return new DomainError(
        'time_budget_exceeded',
        `The test run did not finish within ${timeoutMs / 1000} s, the time one test run may take, and was stopped. Send fewer leads per call, or a smaller graph.`,
        [{ path: 'leads', message: `stopped after ${timeoutMs} ms`, code: 'time_budget_exceeded' }],
      );
    }
    const code = (e as { code?: unknown } | null)?.code;
    if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return new DomainError(
        'memory_budget_exceeded',
        `The test run needed more than ${memoryMb} MB, the memory one test run may use, and was stopped. Ask for detail "path", or send fewer leads per call.`,
        [{ path: 'leads', message: `over ${memoryMb} MB`, code: 'memory_budget_exceeded' }],
      );
    }
    if (e instanceof Error && e.message === 'Task queue is at limit') {
      return new DomainError('unavailable', 'Every simulation thread is busy and the queue is full; run the test again in a few seconds.', undefined, { retryAfterSeconds: 5 });
    }
    return e;
  }
}

/** Runs jobs in the caller's thread, blocking it: for unit tests of the services, never for the server. */
export function inlineSimulations(limits: Partial<JobLimits> = {}): SimulationRunner {
  const full: JobLimits = { maxResponseBytes: limits.maxResponseBytes ?? MAX_RESPONSE_BYTES };
  return {
    run: async (job) => runJob(job, full),
    close: async () => {},
  };
}

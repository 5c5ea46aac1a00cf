import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';

// Real processes for the end-to-end tests: the API server and workers, each a `node --import tsx <script>`
// child of the test, so a test can SIGKILL one exactly as a crash would. Every child is tracked here and
// killed by its own pid at the end (and, as a last resort, when the test process exits).

/** The repository root (the monorepo's top directory). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const OUTPUT_TAIL = 32_000;

/** A child process started by a test. */
export class TestProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  private tail = '';

  constructor(
    readonly name: string,
    script: string,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: REPO_ROOT,
      // Test processes share the machine's PostgreSQL (100 connections by default) with the test files running
      // beside them: a worker's pool is capped at 10 here (50 by default), plenty for the tests' rates. With
      // the default, workers starting leads eagerly opened enough connections in a burst for PostgreSQL to
      // refuse the API server's ("too many clients already"), and three leads got a 503.
      env: { WORKER_DB_POOL: '10', ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => {
      this.tail = (this.tail + chunk.toString('utf8')).slice(-OUTPUT_TAIL);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.child.once('error', (e) => keep(Buffer.from(`spawn error: ${e.message}\n`)));
    live.add(this);
    void this.exited.then(() => live.delete(this));
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.name} has no pid (it failed to spawn): ${this.tail}`);
    return this.child.pid;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines it wrote (stdout and stderr interleaved). */
  output(): string {
    return this.tail;
  }

  /** Sends `signal` to this process (by its pid) and waits until it has exited. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.alive) return;
    this.child.kill(signal);
    await this.exited;
  }
}

const live = new Set<TestProcess>();

process.once('exit', () => {
  for (const p of live) p.child.kill('SIGKILL');
});

/** SIGKILLs every child still running (each by its own pid) and waits for them to exit. */
export async function killAllTestProcesses(): Promise<void> {
  await Promise.all([...live].map((p) => p.kill('SIGKILL')));
}

/** The children still tracked (running). */
export function liveTestProcesses(): TestProcess[] {
  return [...live];
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Polls `probe` until it returns something other than null/undefined/false, or throws after `timeoutMs`
 * with `describe()` (the state to print when it did not happen).
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  options: { timeoutMs: number; intervalMs?: number; describe?: () => Promise<string> | string },
): Promise<T> {
  const deadline = performance.now() + options.timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const v = await probe();
      if (v !== null && v !== undefined && v !== false) return v;
      lastError = null;
    } catch (e) {
      if (e instanceof ProcessDied) throw e;
      lastError = e;
    }
    if (performance.now() > deadline) {
      const state = options.describe ? await options.describe() : '';
      const err = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`Timed out after ${options.timeoutMs} ms waiting for ${what}${err}${state ? `\n${state}` : ''}`);
    }
    await sleep(options.intervalMs ?? 100);
  }
}

/** A process a test waits on has died: waiting longer is pointless. */
export class ProcessDied extends Error {}

/** Throws with the process's output when it has died. */
export function assertAlive(p: TestProcess): void {
  if (!p.alive) throw new ProcessDied(`${p.name} exited (code ${p.child.exitCode}, signal ${p.child.signalCode}):\n${p.output()}`);
}

/**
 * Waits until the worker process `p` polls `taskQueue` for both workflow and activity tasks (its Temporal
 * identity is `<pid>@<host>`). Fails at once if the process dies.
 */
export async function waitForWorkerPolling(connection: Connection, taskQueue: string, p: TestProcess, timeoutMs = 90_000): Promise<void> {
  const prefix = `${p.pid}@`;
  const polls = async (taskQueueType: number) => {
    const r = await connection.workflowService.describeTaskQueue({
      namespace: 'default',
      // kind 1 = NORMAL; type 1 = WORKFLOW, 2 = ACTIVITY.
      taskQueue: { name: taskQueue, kind: 1 },
      taskQueueType,
    });
    return (r.pollers ?? []).some((x) => x.identity?.startsWith(prefix) === true);
  };
  await waitFor(
    `${p.name} (pid ${p.pid}) to poll ${taskQueue}`,
    async () => {
      assertAlive(p);
      return (await polls(1)) && (await polls(2));
    },
    { timeoutMs, intervalMs: 250, describe: () => p.output() },
  );
}

/** Waits until `url` answers 200; fails at once if the process serving it dies. */
export async function waitForHttp(url: string, p: TestProcess, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `${url} to answer 200`,
    async () => {
      assertAlive(p);
      const r = await fetch(url).catch(() => null);
      return r?.status === 200;
    },
    { timeoutMs, intervalMs: 200, describe: () => p.output() },
  );
}

/** What the server and worker processes are started with. */
export type StackEnv = Record<string, string> & { TEMPORAL_ADDRESS: string; TEMPORAL_TASK_QUEUE: string; HOST: string; PORT: string };

/**
 * Starts the API server and one worker as processes on `env` (TEMPORAL_ADDRESS, TEMPORAL_TASK_QUEUE, HOST and
 * PORT among it) and resolves once the server answers its health check and the worker polls its task queue.
 */
export async function startServerAndWorker(env: StackEnv): Promise<{ server: TestProcess; worker: TestProcess; base: string }> {
  const server = new TestProcess('server', 'server/src/main.ts', env);
  const worker = new TestProcess('worker', 'worker/src/worker.ts', env);
  const base = `http://${env.HOST}:${env.PORT}`;
  await waitForHttp(`${base}/healthz`, server, 90_000);
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  try {
    await waitForWorkerPolling(connection, env.TEMPORAL_TASK_QUEUE, worker, 120_000);
  } finally {
    await connection.close();
  }
  return { server, worker, base };
}

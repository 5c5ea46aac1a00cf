// Temporal's own cost per lead on this machine, without any of our code: workflows of 0, 1, 3 and 6 no-op
// local activities then a timer (a lead's route to its SLA wait ran 6 local activities before issue 18:
// loadRun, enrich, matchAccount, assign, notify in-app, markWaiting; since, it runs one: runSegment, the
// shape `measureFloor(1)` measures for speed-to-lead's ratio), started at FLOOR_RATE per second (default 20) for
// FLOOR_SECONDS (default 20) on a local `temporal server start-dev`. It prints the CPU each workflow costs the
// TypeScript SDK's worker (with the client that starts it, one process) and the Temporal server: the floor
// under speed-to-lead's figures. Each shape is measured started the usual way (a client's start, the first workflow
// task queued on the task queue for the worker's poll) and, for 1 activity, started eagerly as the workers start
// leads since OUTBOX_DISPATCH=worker (a client on the worker's connection asks for the first workflow task in
// the start's answer).
import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Runtime, DefaultLogger, Worker } from '@temporalio/worker';
import { freePort, startTemporalDevServer } from '@lead-router/testkit/temporal-dev-server';
import { report, type BenchRow } from './results';

const RATE = Number(process.env.FLOOR_RATE ?? 20);
const SECONDS = Number(process.env.FLOOR_SECONDS ?? 20);

/** CPU ms a process has used (Linux /proc). */
function cpuMs(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(f[11]) + Number(f[12])) * 10;
}

/** A floor's shape: how many no-op local activities before the timer, and whether the start is eager. */
export interface FloorShape {
  activities: number;
  eager?: boolean;
}

/** What one workflow of the floor's shape costs: CPU ms per workflow in the worker (and client) and in the Temporal server. */
export interface FloorCost {
  workerMs: number;
  serverMs: number;
}

let runtimeInstalled = false;

/** Measures the floor of each shape, in order, on one fresh dev server. */
export async function measureFloor(shapes: FloorShape[]): Promise<Array<FloorShape & FloorCost>> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const temporal = await startTemporalDevServer(await freePort());
  const costs: Array<FloorShape & FloorCost> = [];
  try {
    const workflowBundle = await bundleWorkflowCode({ workflowsPath: new URL('./temporal-floor.workflow.ts', import.meta.url).pathname, logger: new DefaultLogger('WARN') });
    for (const shape of shapes) {
      const n = shape.activities;
      const eager = shape.eager === true;
      const taskQueue = `floor-${n}${eager ? '-eager' : ''}`;
      const native = await NativeConnection.connect({ address: temporal.address });
      const worker = await Worker.create({ connection: native, taskQueue, workflowBundle, activities: { noop: async (i: number) => i }, maxCachedWorkflows: 2 * RATE * SECONDS + 100 });
      const running = worker.run();
      // Eager: the client is on the worker's own connection, so the server can hand it the first task.
      const grpc = eager ? null : await Connection.connect({ address: temporal.address });
      const client = new Client({ connection: grpc ?? native });
      const start = (workflowId: string) => client.workflow.start('floor', { taskQueue, workflowId, args: [n], ...(eager ? { requestEagerStart: true } : {}) });
      // Warm-up, not measured.
      await Promise.all(Array.from({ length: 20 }, (_, i) => start(`${taskQueue}-warm-${i}`)));
      await new Promise((r) => setTimeout(r, 2000));
      const self0 = process.cpuUsage();
      const server0 = cpuMs(temporal.pid!);
      const started = Date.now();
      const starts: Promise<unknown>[] = [];
      for (let i = 0; i < RATE * SECONDS; i++) {
        const wait = started + (i * 1000) / RATE - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        starts.push(start(`${taskQueue}-${i}`));
      }
      await Promise.all(starts);
      // Let the last workflows reach their timer.
      await new Promise((r) => setTimeout(r, 2000));
      const self = process.cpuUsage(self0);
      const count = RATE * SECONDS;
      const workerMs = (self.user + self.system) / 1000 / count;
      const serverMs = (cpuMs(temporal.pid!) - server0) / count;
      costs.push({ ...shape, workerMs, serverMs });
      worker.shutdown();
      await running;
      await grpc?.close();
      await native.close();
    }
  } finally {
    await temporal.stop();
  }
  return costs;
}

/** The floor row of one shape, as RESULTS.md shows it. */
export function floorRow(c: FloorShape & FloorCost): BenchRow {
  const n = c.activities;
  return {
    name: `${n} no-op local activit${n === 1 ? 'y' : 'ies'} then a timer, ${c.eager ? 'started eagerly, ' : ''}${RATE} workflows/s for ${SECONDS} s`,
    value: `worker and client ${c.workerMs.toFixed(1)} ms CPU per workflow, Temporal server ${c.serverMs.toFixed(1)} ms; together ${(((c.workerMs + c.serverMs) * RATE) / 1000).toFixed(2)} cores at ${RATE}/s, ${(((c.workerMs + c.serverMs) * 25) / 1000).toFixed(2)} cores at 25/s`,
    target: 'none (the floor under speed-to-lead)',
    met: null,
  };
}

export async function runTemporalFloorBench(): Promise<void> {
  const costs = await measureFloor([{ activities: 0 }, { activities: 1 }, { activities: 1, eager: true }, { activities: 3 }, { activities: 6 }]);
  {
    const rows = costs.map(floorRow);
    report('Temporal floor (bench/temporal-floor.ts)', rows, [
      'The TypeScript SDK worker (workflow sandbox, one activation per local activity result) and a local `temporal server start-dev` (in-memory SQLite), no product code: what a lead costs Temporal before our activities do anything.',
      'CPU time from /proc and process.cpuUsage over the measured window; the same machine runs both processes.',
    ]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runTemporalFloorBench();

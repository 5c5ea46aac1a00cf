// Container health checks for docker-compose.yml (exit 0 healthy, 1 not), with the app's own env vars:
//   node --import tsx scripts/healthcheck.ts server   GET /readyz on PORT (the database answers)
//   node --import tsx scripts/healthcheck.ts worker   this host's worker is polling its Temporal task queue
import { hostname } from 'node:os';
import { Connection } from '@temporalio/client';

async function server(): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${process.env.PORT ?? 3000}/readyz`, { signal: AbortSignal.timeout(3000) });
  return res.ok;
}

async function worker(): Promise<boolean> {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set');
  const connection = await Connection.connect({ address, connectTimeout: '3s' });
  try {
    const r = await connection.workflowService.describeTaskQueue({
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: { name: process.env.TEMPORAL_TASK_QUEUE ?? 'lead-routing' },
      taskQueueType: 1, // workflow tasks
    });
    // Poller identities are "<pid>@<hostname>"; a container's hostname is its own.
    return (r.pollers ?? []).some((p) => (p.identity ?? '').endsWith(`@${hostname()}`));
  } finally {
    await connection.close();
  }
}

const checks: Record<string, () => Promise<boolean>> = { server, worker };
const check = checks[process.argv[2] ?? ''];
if (!check) {
  console.error('usage: healthcheck.ts server|worker');
  process.exit(2);
}
check().then(
  (ok) => process.exit(ok ? 0 : 1),
  (e: unknown) => {
    console.error((e as Error).message);
    process.exit(1);
  },
);

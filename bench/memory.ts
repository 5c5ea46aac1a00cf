// Memory: the resident set size of the worker and the API server processes with MEMORY_WAITING (default
// 1,000) leads waiting on SLA timers at once, then after MEMORY_LEADS (default 10,000) routed leads. The
// hybrid routing fixture assigns every lead and then waits 15 minutes for an accept, so each routed lead
// is also a workflow holding a timer: the first figure is 1,000 timers, the second 10,000 routed leads
// (all of them still waiting). Real processes: a local Temporal dev server, the API server, one worker,
// a scratch PostgreSQL database.
import { generateSampleLeads } from '@lead-router/shared/fixtures';
import { sql } from 'drizzle-orm';
import { rssOf, startBenchStack, type BenchStack } from './ingest';
import { report, type BenchRow } from './results';

const WAITING = Number(process.env.MEMORY_WAITING ?? 1_000);
const TOTAL = Number(process.env.MEMORY_LEADS ?? 10_000);
const CONCURRENCY = 20;
const MiB = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

/** Posts `n` leads (CONCURRENCY at a time) and waits until every lead in the database has been assigned. */
async function routeLeads(stack: BenchStack, from: number, n: number): Promise<void> {
  const leads = generateSampleLeads(n, 21 + from).filter((l) => l.email);
  let next = 0;
  let refused = 0;
  const postOne = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      const lead = { ...leads[i % leads.length], id: `mem-${from + i}` };
      const res = await fetch(`${stack.base}/api/workflows/${stack.workflowId}/leads`, { method: 'POST', headers: { authorization: `Bearer ${stack.key}`, 'content-type': 'application/json' }, body: JSON.stringify(lead) });
      if (res.status !== 202) refused++;
      await res.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, postOne));
  if (refused > 0) throw new Error(`${refused} leads were refused`);
  const deadline = Date.now() + Math.max(120_000, n * 60);
  for (;;) {
    const [r] = (await stack.database.db.execute(sql`select count(*)::int as total, count(assigned_at)::int as assigned from routing_runs`)) as unknown as Array<{ total: number; assigned: number }>;
    if (r && r.total >= from + n && r.assigned === r.total) return;
    if (Date.now() > deadline) throw new Error(`only ${r?.assigned} of ${r?.total} leads assigned in time`);
    await new Promise((res) => setTimeout(res, 1000));
  }
}

/** RSS of both processes after a few seconds of quiet (a settled figure, not a mid-burst peak). */
async function settled(stack: BenchStack): Promise<{ server: number; worker: number }> {
  await new Promise((r) => setTimeout(r, 5000));
  return { server: rssOf(stack.server.pid), worker: rssOf(stack.worker?.pid) };
}

export async function runMemoryBench(): Promise<void> {
  const stack = await startBenchStack({ temporal: true });
  try {
    const idle = await settled(stack);
    await routeLeads(stack, 0, WAITING);
    const waiting = await settled(stack);
    await routeLeads(stack, WAITING, TOTAL - WAITING);
    const routed = await settled(stack);
    const target = 'none set in DESIGN or the issues (recorded for comparison)';
    const rows: BenchRow[] = [
      { name: 'started, idle', value: `worker ${MiB(idle.worker)}, server ${MiB(idle.server)}`, target, met: null },
      { name: `${WAITING.toLocaleString('en-US')} leads waiting on SLA timers at once`, value: `worker ${MiB(waiting.worker)}, server ${MiB(waiting.server)}`, target, met: null },
      { name: `after ${TOTAL.toLocaleString('en-US')} routed leads (all still waiting on their SLA)`, value: `worker ${MiB(routed.worker)}, server ${MiB(routed.server)}`, target, met: null },
    ];
    report('Memory (bench/memory.ts)', rows, [
      'Resident set size (VmRSS) of each process, read 5 s after the last lead was assigned.',
      "The worker's workflow cache keeps its default size; Temporal's dev server is a separate process and not counted.",
    ]);
  } finally {
    await stack.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runMemoryBench();

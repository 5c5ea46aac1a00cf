// Hostile load (issue 14): the burst of tests/reliability/hostile-load.scenario.ts on the real stack (a
// Temporal dev server, the API server and a worker as processes, a scratch PostgreSQL database): a huge
// simulate, the probe's pathological pattern and the costliest allowed patterns on 10,000-character leads,
// ten 300 MB bodies and 100 concurrent wrong sign-ins, while /healthz is polled every 100 ms and 100 good
// leads are posted at 20 a second. Records the poll latencies, the server's peak RSS, what every hostile
// call was answered and how fast the good leads were assigned.
import { describeFigures, runHostileBurst, startHostileStack } from '../tests/reliability/hostile-load.scenario';
import { report } from './results';

export async function runHostileLoadBench(): Promise<void> {
  const stack = await startHostileStack();
  try {
    const f = await runHostileBurst(stack);
    report(
      'Hostile load (bench/hostile-load.ts)',
      [
        { name: '/healthz polled every 100 ms during the burst', value: `${f.healthz.polls} polls: p50 ${f.healthz.p50.toFixed(1)} ms, p99 ${f.healthz.p99.toFixed(1)} ms, max ${f.healthz.max.toFixed(1)} ms`, target: 'every poll < 500 ms (issue 14)', met: f.healthz.max < 500 },
        { name: 'good leads posted at 20/s during the burst', value: `${f.good.routed} of ${f.good.posted} assigned; received -> assigned p50 ${f.good.p50Ms} ms, p99 ${f.good.p99Ms} ms`, target: 'all 100 routed', met: f.good.routed === 100 && f.good.posted === 100 },
        { name: 'worker and API server processes', value: `worker ${f.workerAlive ? 'up' : 'exited'}, server ${f.serverAlive ? 'up' : 'exited'}; server peak RSS ${f.serverRssPeakMb.toFixed(0)} MB`, target: 'neither exits', met: f.workerAlive && f.serverAlive },
        { name: 'leads with 10,000-character names on the costliest allowed patterns', value: `${f.costlyLeads.ended} of ${f.costlyLeads.posted} ended (${JSON.stringify(f.costlyLeads.statuses)})`, target: 'every one ends', met: f.costlyLeads.ended === f.costlyLeads.posted },
      ],
      describeFigures(f),
    );
  } finally {
    await stack.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runHostileLoadBench();

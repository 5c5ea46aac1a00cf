// `npm run bench`: runs every benchmark, prints its figures and appends them to bench/RESULTS.md.
// BENCH_ONLY=name,name runs a subset (interpreter, simulate-http, ingest, speed-to-lead, temporal-floor,
// memory, canvas, hostile-load, analytics, backfill, matching, histogram-add);
// BENCH_DRY=1 prints only. Each benchmark's own env vars shorten it (see the top of its file).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runAnalyticsBench } from './analytics';
import { runBackfillBench } from './backfill';
import { runHistogramAddBench } from './histogram-add';
import { runHostileLoadBench } from './hostile-load';
import { runIngestBench } from './ingest';
import { runInterpreterBench } from './interpreter';
import { runMatchingBench } from './matching';
import { runMemoryBench } from './memory';
import { runSimulateHttpBench } from './simulate-http';
import { runSpeedToLeadBench } from './speed-to-lead';
import { runTemporalFloorBench } from './temporal-floor';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const BENCHES: Array<[string, () => void | Promise<void>]> = [
  ['interpreter', runInterpreterBench],
  ['simulate-http', runSimulateHttpBench],
  ['ingest', runIngestBench],
  ['speed-to-lead', runSpeedToLeadBench],
  ['temporal-floor', runTemporalFloorBench],
  ['memory', runMemoryBench],
  ['hostile-load', runHostileLoadBench],
  ['analytics', runAnalyticsBench],
  ['backfill', runBackfillBench],
  ['matching', runMatchingBench],
  ['histogram-add', runHistogramAddBench],
  // bench/canvas.ts runs itself when loaded (and keeps its own "## Canvas" section): run it as a script.
  [
    'canvas',
    () => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/canvas.ts'], { cwd: ROOT, stdio: 'inherit' });
      if (r.status !== 0) throw new Error(`bench/canvas.ts exited with ${r.status ?? r.signal}`);
    },
  ],
];

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const unknown = only?.filter((n) => !BENCHES.some(([name]) => name === n)) ?? [];
if (unknown.length > 0) throw new Error(`BENCH_ONLY names no benchmark called ${unknown.join(', ')}; known: ${BENCHES.map(([n]) => n).join(', ')}`);
for (const [name, run] of BENCHES) {
  if (only && !only.includes(name)) continue;
  console.log(`\n== ${name}`);
  await run();
}

// Appends a benchmark's figures to bench/RESULTS.md, headed by the machine and the date, so every row
// can be traced to where and when it was measured.
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RESULTS = join(dirname(fileURLToPath(import.meta.url)), 'RESULTS.md');

/** One measured figure and the target it is held to. */
export interface BenchRow {
  name: string;
  value: string;
  target: string;
  met: boolean | null;
}

/** The machine, as the results header states it. */
export function machine(): string {
  const c = cpus();
  return `${c.length} cores (${c[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`;
}

/** Prints the rows and appends them to bench/RESULTS.md under a dated heading. */
export function report(title: string, rows: BenchRow[], notes: string[] = []): void {
  const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const lines = [
    `### ${title}: ${stamp}`,
    '',
    `Machine: ${machine()}`,
    '',
    '| measure | result | target | met |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.value} | ${r.target} | ${r.met === null ? 'n/a' : r.met ? 'yes' : '**no**'} |`),
    ...(notes.length ? ['', ...notes.map((n) => `- ${n}`)] : []),
    '',
  ];
  console.log(lines.join('\n'));
  // BENCH_DRY=1: print only (exploratory runs leave RESULTS.md alone).
  if (process.env.BENCH_DRY === '1') return;
  if (!existsSync(RESULTS)) writeFileSync(RESULTS, '# Benchmark results\n\nAppended by `npm run bench`; newest last.\n\n');
  appendFileSync(RESULTS, `${lines.join('\n')}\n`);
}

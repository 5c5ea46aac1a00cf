import { basename } from 'node:path';
import {
  buildCatalog,
  compile,
  detectLeadsFormat,
  normalizeLead,
  parseLeadsFile,
  simulate,
  summarize,
  type RunResult,
  type SimulationLead,
  type WaitChoice,
} from '@lead-router/shared';
import { InputError, readDirectory, readJson, readText } from '../io';
import { problemJson, problemLine } from './validate';

export interface SimulateArgs {
  graph: string;
  directory: string;
  leads: string;
  json: boolean;
  /** Virtual start instant, ms since epoch. */
  at: number;
  wait?: string;
}

/** A lead the CLI could not run, with what is wrong with it. */
interface InvalidLead {
  leadId: string;
  problems: { field: string; message: string }[];
}

/** Parses `--wait accepted`, `--wait accepted:20`, `--wait timed_out`, `--wait rejected:3`. */
export function parseWaitOption(value: string): WaitChoice {
  const m = /^(accepted|timed_out|rejected)(?::(\d+(?:\.\d+)?))?$/.exec(value.trim());
  if (!m) throw new InputError(`--wait must be accepted, timed_out or rejected, optionally with minutes (accepted:20); got "${value}"`);
  const choice: WaitChoice = { outcome: m[1] as WaitChoice['outcome'] };
  if (m[2] !== undefined) choice.afterMinutes = Number(m[2]);
  return choice;
}

/** `lead-router simulate`: runs every lead through the graph on simulated effects and prints results and a summary. */
export function simulateCommand(args: SimulateArgs, out: (s: string) => void, err: (s: string) => void): number {
  const graph = readJson(args.graph, 'graph');
  const directory = readDirectory(args.directory);
  const compiled = compile(graph, { directory });
  if (!compiled.ok) {
    if (args.json) out(JSON.stringify({ ok: false, problems: compiled.problems.map(problemJson) }, null, 2));
    else {
      out(`The graph does not compile (${compiled.problems.length} problem${compiled.problems.length === 1 ? '' : 's'}):`);
      for (const p of compiled.problems) out(problemLine(p));
    }
    return 1;
  }
  const text = readText(args.leads, 'leads file');
  const format = detectLeadsFormat(basename(args.leads), text);
  const parsed = parseLeadsFile(text, format);
  for (const p of parsed.problems) err(`leads ${basename(args.leads)} row ${p.row}: ${p.message}`);
  const catalog = buildCatalog(directory.customFields);
  const runnable: SimulationLead[] = [];
  const invalid: InvalidLead[] = [];
  const order: Array<{ kind: 'run'; index: number } | { kind: 'invalid'; index: number }> = [];
  for (const rec of parsed.records) {
    const data = rec.data as Record<string, unknown> | null;
    const rawId = data && typeof data === 'object' ? data.id : undefined;
    const leadId = typeof rawId === 'string' && rawId.trim() !== '' ? rawId.trim() : typeof rawId === 'number' ? String(rawId) : String(rec.row);
    const n = normalizeLead(rec.data, catalog, { coerceStrings: format === 'csv' });
    if (n.ok) {
      order.push({ kind: 'run', index: runnable.length });
      runnable.push({ leadId, lead: n.lead });
    } else {
      order.push({ kind: 'invalid', index: invalid.length });
      invalid.push({ leadId, problems: n.problems.map((p) => ({ field: p.field, message: p.message })) });
      err(`lead ${leadId}: ${n.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`);
    }
  }
  const waits = args.wait ? { default: parseWaitOption(args.wait) } : undefined;
  const report = simulate(compiled.plan, runnable, { directory, startTime: args.at, ...(waits ? { waits } : {}) });
  const summary = summarize(report.results);
  if (invalid.length > 0) summary.byOutcome.invalid = invalid.length;

  if (args.json) {
    const results = order.map((o) => {
      if (o.kind === 'run') {
        const r = report.results[o.index] as RunResult;
        return { leadId: r.leadId, outcome: r.outcome, assignee: r.assignee ? r.assignee.id : null, assigneeType: r.assignee?.type ?? null, path: r.path, steps: r.steps };
      }
      const bad = invalid[o.index] as InvalidLead;
      return { leadId: bad.leadId, outcome: 'invalid', assignee: null, assigneeType: null, path: [], steps: [], problems: bad.problems };
    });
    out(JSON.stringify({ ok: true, results, summary }, null, 2));
    return 0;
  }
  out(table(report.results, invalid));
  out('');
  out(`${summary.leads + invalid.length} leads: ${Object.entries(summary.byOutcome).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  out('By assignee:');
  const names = new Map<string, string>();
  for (const r of report.results) if (r.assignee) names.set(r.assignee.id, r.assignee.name);
  for (const [id, n] of Object.entries(summary.byAssignee).sort((a, b) => b[1] - a[1])) out(`  ${(names.get(id) ?? id).padEnd(24)} ${String(n).padStart(6)}`);
  if (summary.unassigned > 0) out(`  ${'(nobody)'.padEnd(24)} ${String(summary.unassigned).padStart(6)}`);
  return 0;
}

function table(results: RunResult[], invalid: InvalidLead[]): string {
  const rows = results.map((r) => [r.leadId, r.outcome, r.assignee ? r.assignee.name : '-', r.path.join(' > ')]);
  for (const bad of invalid) rows.push([bad.leadId, 'invalid', '-', bad.problems.map((p) => `${p.field}: ${p.message}`).join('; ')]);
  const head = ['Lead', 'Outcome', 'Assignee', 'Path'];
  const widths = head.map((h, i) => Math.min(i === 3 ? 200 : 30, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))));
  const fmt = (r: string[]) => r.map((c, i) => (i === 3 ? c : c.slice(0, widths[i]).padEnd(widths[i] ?? 0))).join('  ');
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n');
}

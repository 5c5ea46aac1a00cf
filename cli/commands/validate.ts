import { compile, type Problem } from '@lead-router/shared';
import { readDirectory, readJson } from '../io';

export interface ValidateArgs {
  graph: string;
  directory?: string;
  json: boolean;
}

/** Problems as the CLI prints them in JSON: code, message, nodeId and path (null when not about one node). */
export function problemJson(p: Problem) {
  return { code: p.code, message: p.message, nodeId: p.nodeId ?? null, path: p.path ?? null, severity: p.severity };
}

/** A problem as one readable line: `error [branch_missing_else] fast-lane config: message`. */
export function problemLine(p: Problem): string {
  const where = [p.nodeId, p.path].filter(Boolean).join(' ');
  return `${p.severity} [${p.code}]${where ? ` ${where}` : ''}: ${p.message}`;
}

/** `lead-router validate`: exit 0 when the graph compiles, 1 with every problem when it does not. */
export function validateCommand(args: ValidateArgs, out: (s: string) => void): number {
  const graph = readJson(args.graph, 'graph');
  const directory = args.directory ? readDirectory(args.directory) : null;
  const result = compile(graph, { directory });
  if (args.json) {
    if (result.ok) {
      out(JSON.stringify({ ok: true, problems: [], warnings: result.warnings.map(problemJson), nodes: Object.keys(result.plan.nodes).length, compilerVersion: result.plan.compilerVersion }, null, 2));
    } else {
      out(JSON.stringify({ ok: false, problems: result.problems.map(problemJson), warnings: result.warnings.map(problemJson) }, null, 2));
    }
    return result.ok ? 0 : 1;
  }
  if (result.ok) {
    const n = Object.keys(result.plan.nodes).length;
    out(`OK: ${n} steps compile${directory ? ' against the directory' : ' (no directory given: rep, team and queue references were not checked)'}.`);
    for (const w of result.warnings) out(problemLine(w));
    return 0;
  }
  out(`${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}:`);
  for (const p of [...result.problems, ...result.warnings]) out(problemLine(p));
  return 1;
}

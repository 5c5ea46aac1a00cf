import type { Directory } from '../directory/schema';
import { problem, type Problem } from '../errors';
import { buildCatalog, type CustomField } from '../fields/catalog';
import type { Plan } from '../plan';
import { buildPlan } from './build-plan';
import { buildRuleContext } from './context';
import { parseDocument, type ParsedDocument } from './parse';
import { RULES } from './rules/index';
import { sortProblems } from './sort';

export { parseGraph, type ParseResult } from './parse';

/** What a graph is compiled against. */
export interface CompileOptions {
  /** The workspace directory; without one, references to reps, teams, queues and territories are not checked. */
  directory?: Directory | null;
  /** Custom lead fields; default: the directory's. */
  customFields?: readonly CustomField[];
  /** The names of the workspace's secrets; without them, `{{secret.NAME}}` references are not checked against any. */
  secretNames?: readonly string[] | null;
}

/** A plan and any warnings, or every problem found (errors in `problems`, warnings apart). */
export type CompileResult =
  | { ok: true; plan: Plan; problems: []; warnings: Problem[] }
  | { ok: false; problems: Problem[]; warnings: Problem[] };

/** Compiles a graph document into a plan, or returns every problem at once. Never throws. */
export function compile(input: unknown, options: CompileOptions = {}): CompileResult {
  try {
    return planOf(analyse(input, options));
  } catch (err) {
    return { ok: false, problems: [internalProblem('compile', err)], warnings: [] };
  }
}

/** What checkGraph finds: every problem (as validateGraph lists them) and the compile result. */
export interface GraphCheck {
  /** Errors and warnings together, sorted. */
  problems: Problem[];
  result: CompileResult;
}

/** validateGraph and compile from one analysis of the graph, for callers that need both. Never throws. */
export function checkGraph(input: unknown, options: CompileOptions = {}): GraphCheck {
  let analysis: Analysis;
  try {
    analysis = analyse(input, options);
  } catch (err) {
    return { problems: [internalProblem('validate', err)], result: { ok: false, problems: [internalProblem('compile', err)], warnings: [] } };
  }
  return { problems: analysis.problems, result: planOf(analysis) };
}

/** Every problem of a graph, errors and warnings together, sorted: the canvas's live validation. Never throws. */
export function validateGraph(input: unknown, options: CompileOptions = {}): Problem[] {
  try {
    return analyse(input, options).problems;
  } catch (err) {
    return [internalProblem('validate', err)];
  }
}

interface Analysis {
  doc: ParsedDocument;
  /** Sorted; errors and warnings together. */
  problems: Problem[];
  /** Null when the document was unreadable and no rule ran. */
  context: ReturnType<typeof buildRuleContext> | null;
}

/** The plan of an analysed graph, or its errors (warnings apart). */
function planOf({ doc, problems, context }: Analysis): CompileResult {
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity !== 'error');
  if (errors.length > 0 || !context) return { ok: false, problems: errors, warnings };
  try {
    return { ok: true, plan: buildPlan(doc.graph, context.catalog, context.directory), problems: [], warnings };
  } catch (err) {
    return { ok: false, problems: [internalProblem('plan', err)], warnings };
  }
}

function analyse(input: unknown, options: CompileOptions | null | undefined): Analysis {
  const doc = parseDocument(input);
  if (doc.fatal) return { doc, problems: sortProblems(doc.problems, doc), context: null };
  // Callers in plain JavaScript may pass null for "no options".
  const directory = options?.directory ?? null;
  const catalog = buildCatalog(options?.customFields ?? directory?.customFields ?? []);
  const context = buildRuleContext(doc, catalog, directory, options?.secretNames ?? null);
  const found: Problem[] = [...doc.problems];
  for (const [name, rule] of RULES) {
    // A bug in one rule must not hide what the others find, nor crash the caller.
    try {
      found.push(...rule(context));
    } catch (err) {
      found.push(internalProblem(`the ${name} rule`, err));
    }
  }
  return { doc, problems: sortProblems(found, doc), context };
}

function internalProblem(where: string, err: unknown): Problem {
  let detail = 'unknown error';
  try {
    detail = err instanceof Error ? err.message : String(err);
  } catch {
    // An error whose message cannot be read still becomes a problem.
  }
  return problem(
    'internal_error',
    `The graph could not be fully checked: ${where} failed (${detail}). This is a bug in the product, not in your graph; please report it.`,
  );
}

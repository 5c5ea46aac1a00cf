import {
  buildCatalog,
  indexDirectory,
  interpretSync,
  isPaused,
  normalizeLead,
  SimulationEffects,
  type Directory,
  type DirectoryIndex,
  type LeadValue,
  type Plan,
  type RunResult,
} from '@lead-router/shared';

// Golden leads judged against a plan, pure (no database, no HTTP): it runs inside the simulation threads
// (simulation.worker.ts), and directly in unit tests.

/** The instant golden leads run at when their row names none: a Tuesday afternoon UTC, inside most working hours. */
export const GOLDEN_DEFAULT_AT = '2026-01-06T15:00:00Z';

/** What a golden lead must get; every expectation given must hold. */
export interface GoldenExpectation {
  /** The rep or queue id the lead ends with. */
  assignee?: string;
  /** A team the final assignee is a member of. */
  team?: string;
  /** A node the path visits. */
  node?: string;
  /** The end outcome name. */
  outcome?: string;
}

/** A golden lead's expectations as stored: the expectations and the virtual instant it runs at. */
export type StoredGoldenExpect = GoldenExpectation & { at?: string };

/** One golden lead's verdict against a plan. */
export interface GoldenResult {
  id: string;
  name: string;
  passed: boolean;
  expected: { assignee?: string; team?: string; node?: string; outcome?: string };
  actual: { assignee: string | null; outcome: string; path: string[] };
  message: string;
}

/** A golden lead row, as the suite reads it. */
export interface GoldenLeadRow {
  id: string;
  name: string;
  lead: Record<string, LeadValue>;
  expect: StoredGoldenExpect;
}

/** The verdicts of these golden leads against `plan` (pure: no database). */
export function evaluateGoldenLeads(rows: readonly GoldenLeadRow[], plan: Plan, directory: Directory): GoldenResult[] {
  if (rows.length === 0) return [];
  const catalog = buildCatalog(directory.customFields);
  // One index for the whole suite; each lead still gets its own effects, hence its own fresh state.
  const index = indexDirectory(directory);
  return rows.map((row) => evaluateOne(row, plan, directory, index, catalog));
}

function evaluateOne(row: GoldenLeadRow, plan: Plan, directory: Directory, index: DirectoryIndex, catalog: ReturnType<typeof buildCatalog>): GoldenResult {
  const expected = expectationsOf(row.expect);
  const base = { id: row.id, name: row.name, expected };
  const normalized = normalizeLead(row.lead, catalog);
  if (!normalized.ok) {
    // The lead was valid when saved; custom fields may have changed since.
    const why = normalized.problems.map((p) => (p.field ? `${p.field}: ${p.message}` : p.message)).join('; ');
    return { ...base, passed: false, actual: { assignee: null, outcome: 'invalid', path: [] }, message: `The golden lead is no longer a valid lead: ${why}` };
  }
  const leadId = typeof row.lead.id === 'string' && row.lead.id.trim() !== '' ? row.lead.id.trim() : typeof row.lead.id === 'number' ? String(row.lead.id) : row.id;
  const effects = new SimulationEffects({ directory, startTime: instantOf(row.expect.at) }, index);
  effects.beginLead(leadId);
  const r = interpretSync(plan, normalized.lead, effects, { leadId });
  // No pause hook is given, so the run always finishes.
  if (isPaused(r)) return { ...base, passed: false, actual: { assignee: null, outcome: 'paused', path: [] }, message: 'The run paused unexpectedly.' };
  return judge(base, r, index);
}

function judge(base: Pick<GoldenResult, 'id' | 'name' | 'expected'>, r: RunResult, index: DirectoryIndex): GoldenResult {
  const e = base.expected;
  const actual = { assignee: r.assignee ? r.assignee.id : null, outcome: r.outcome, path: r.path };
  const got = actual.assignee ?? 'nobody';
  const failures: string[] = [];
  if (e.assignee !== undefined && actual.assignee !== e.assignee) failures.push(`expected ${e.assignee}, got ${got}`);
  if (e.team !== undefined) {
    const team = index.teams.get(e.team);
    if (!team) failures.push(`expected a member of team ${e.team}, but that team is not in the directory`);
    else if (r.assignee?.type !== 'rep' || !team.members.some((m) => m.repId === r.assignee?.id)) {
      failures.push(`expected a member of ${team.name} (${team.id}), got ${got}`);
    }
  }
  if (e.node !== undefined && !r.path.includes(e.node)) failures.push(`expected the path to pass ${e.node}, it did not`);
  if (e.outcome !== undefined && r.outcome !== e.outcome) failures.push(`expected outcome ${e.outcome}, got ${r.outcome}`);
  const via = r.path.length > 0 ? r.path.join(' > ') : '(no steps)';
  const error = r.error ? ` (${r.error})` : '';
  if (failures.length > 0) return { ...base, passed: false, actual, message: `${failures.join('; ')} via ${via}${error}` };
  return { ...base, passed: true, actual, message: `Passed: ${got}, outcome ${r.outcome}, via ${via}` };
}

/** The expectations without the run instant, as results report them. */
function expectationsOf(expect: StoredGoldenExpect): GoldenExpectation {
  const out: GoldenExpectation = {};
  for (const k of ['assignee', 'team', 'node', 'outcome'] as const) {
    const v = expect[k];
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** The virtual start instant, ms since epoch; a missing or unreadable `at` falls back to the default. */
function instantOf(at: string | undefined): number {
  const ms = typeof at === 'string' ? Date.parse(at) : NaN;
  return Number.isFinite(ms) ? ms : Date.parse(GOLDEN_DEFAULT_AT);
}


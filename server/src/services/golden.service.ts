import {
  buildCatalog,
  compile,
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
import { and, asc, count, eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Db, Tx } from '@lead-router/db/client';
import { drafts, goldenLeads, workflows } from '@lead-router/db/schema';
import { DomainError, notFound, type ErrorDetail } from '../errors/domain-error';
import { audit } from './audit.service';
import { loadDirectory } from '@lead-router/db/directory-snapshot';
import { problemDetails } from './simulation.service';
import { requireWorkflow, UUID_PATTERN } from './workflow-access';

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

/** The golden leads of a workflow in this workspace, oldest first (empty for another workspace's workflow). */
export async function listGoldenLeads(db: Db | Tx, workspaceId: string, workflowId: string): Promise<Array<GoldenLeadRow & { createdAt: Date }>> {
  const rows = await db
    .select({ id: goldenLeads.id, name: goldenLeads.name, lead: goldenLeads.lead, expect: goldenLeads.expect, createdAt: goldenLeads.createdAt })
    .from(goldenLeads)
    .innerJoin(workflows, eq(workflows.id, goldenLeads.workflowId))
    .where(and(eq(goldenLeads.workflowId, workflowId), eq(workflows.workspaceId, workspaceId)))
    .orderBy(asc(goldenLeads.createdAt), asc(goldenLeads.id));
  return rows.map((r) => ({ ...r, expect: r.expect as StoredGoldenExpect }));
}

/**
 * Runs every golden lead of a workflow through `plan` and says which pass. Each lead runs alone, on an
 * empty routing state, at its own fixed instant (`expect.at`, default GOLDEN_DEFAULT_AT): the suite re-runs
 * on every draft save, so its verdicts must not depend on order, on production's loads or on the clock.
 */
export async function runGoldenSuite(db: Db | Tx, workspaceId: string, workflowId: string, plan: Plan, directory: Directory): Promise<GoldenResult[]> {
  const rows = await listGoldenLeads(db, workspaceId, workflowId);
  return evaluateGoldenLeads(rows, plan, directory);
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

/** The most golden leads one workflow may keep: the suite runs on every draft save. */
export const MAX_GOLDEN_LEADS = 500;

/** A golden lead as the API shows it, with its latest verdict against the draft (null when omitted). */
export interface GoldenLeadView extends GoldenLeadRow {
  createdAt: string;
  result: GoldenResult | null;
}

/** The golden leads of a workflow and how the draft fares on them. */
export interface GoldenSuiteView {
  goldenLeads: GoldenLeadView[];
  /** The draft revision the results are for (null when there is no draft). */
  draftRevision: number | null;
  passed: number | null;
  failed: number | null;
  /** Why results are missing (the draft does not compile, or there is none), with the compiler's problems. */
  omitted: { reason: string; problems: ErrorDetail[] } | null;
}

/** The draft compiled against the directory, or why it cannot be. */
async function compileDraft(db: Db | Tx, workflowId: string, directory: Directory): Promise<{ ok: true; plan: Plan; revision: number } | { ok: false; revision: number | null; reason: string; problems: ErrorDetail[] }> {
  const [draft] = await db.select({ graph: drafts.graph, revision: drafts.revision }).from(drafts).where(eq(drafts.workflowId, workflowId)).limit(1);
  if (!draft) return { ok: false, revision: null, reason: 'The workflow has no draft to test.', problems: [] };
  const compiled = compile(draft.graph, { directory });
  if (compiled.ok) return { ok: true, plan: compiled.plan, revision: draft.revision };
  const n = compiled.problems.length;
  return { ok: false, revision: draft.revision, reason: `The draft does not compile (${n} problem${n === 1 ? '' : 's'}); fix it to see results.`, problems: problemDetails(compiled.problems) };
}

/** `GET /workflows/{id}/golden`: the golden leads with their verdicts against the current draft. */
export async function getGoldenSuite(db: Db, workspaceId: string, workflowId: string): Promise<GoldenSuiteView> {
  await requireWorkflow(db, workspaceId, workflowId);
  const [rows, directory] = await Promise.all([listGoldenLeads(db, workspaceId, workflowId), loadDirectory(db, workspaceId, { companies: true })]);
  const draft = await compileDraft(db, workflowId, directory);
  const view = (results: Array<GoldenResult | null>) => rows.map((r, i) => ({ id: r.id, name: r.name, lead: r.lead, expect: r.expect, createdAt: r.createdAt.toISOString(), result: results[i] ?? null }));
  if (!draft.ok) {
    return { goldenLeads: view([]), draftRevision: draft.revision, passed: null, failed: null, omitted: { reason: draft.reason, problems: draft.problems } };
  }
  const results = evaluateGoldenLeads(rows, draft.plan, directory);
  const passed = results.filter((r) => r.passed).length;
  return { goldenLeads: view(results), draftRevision: draft.revision, passed, failed: results.length - passed, omitted: null };
}

/** What `POST /workflows/{id}/golden` asks for. */
export interface CreateGoldenInput {
  name: string;
  lead: Record<string, unknown>;
  expect: StoredGoldenExpect;
}

/**
 * Saves a golden lead (its lead validated and normalised like a test run's: `invalid_request` naming each bad field) and
 * answers with its verdict against the current draft (null when the draft does not compile).
 */
export async function createGoldenLead(db: Db, actor: Principal, workflowId: string, input: CreateGoldenInput): Promise<{ goldenLead: GoldenLeadView; omitted: string | null }> {
  const workspaceId = actor.workspaceId;
  await requireWorkflow(db, workspaceId, workflowId);
  const directory = await loadDirectory(db, workspaceId, { companies: true });
  const normalized = normalizeLead(input.lead, buildCatalog(directory.customFields), { coerceStrings: true });
  if (!normalized.ok) {
    const details = normalized.problems.map((p) => ({ path: p.field ? `lead.${p.field}` : 'lead', message: p.message, code: p.code }));
    throw new DomainError('invalid_request', `The lead is not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
  }
  const expect: StoredGoldenExpect = {};
  for (const k of ['assignee', 'team', 'node', 'outcome', 'at'] as const) {
    const v = input.expect[k];
    if (typeof v === 'string') expect[k] = v;
  }
  const row = await db.transaction(async (tx) => {
    const [existing] = await tx.select({ n: count() }).from(goldenLeads).where(eq(goldenLeads.workflowId, workflowId));
    if ((existing?.n ?? 0) >= MAX_GOLDEN_LEADS) {
      throw new DomainError('too_many_golden_leads', `A workflow can keep at most ${MAX_GOLDEN_LEADS} golden leads; delete some first.`);
    }
    const [created] = await tx.insert(goldenLeads).values({ workflowId, name: input.name, lead: normalized.lead, expect }).returning();
    if (!created) throw new Error('golden lead insert returned nothing');
    await audit(tx, actor, workspaceId, 'golden_lead.create', { type: 'golden_lead', id: created.id }, { workflowId, name: input.name, expect });
    return created;
  });
  const stored: GoldenLeadRow = { id: row.id, name: row.name, lead: row.lead, expect: row.expect as StoredGoldenExpect };
  const draft = await compileDraft(db, workflowId, directory);
  const result = draft.ok ? (evaluateGoldenLeads([stored], draft.plan, directory)[0] ?? null) : null;
  return { goldenLead: { ...stored, createdAt: row.createdAt.toISOString(), result }, omitted: draft.ok ? null : draft.reason };
}

/** Deletes a golden lead of this workflow (`not_found` when it is not one). */
export async function deleteGoldenLead(db: Db, actor: Principal, workflowId: string, goldenId: string): Promise<void> {
  const workspaceId = actor.workspaceId;
  await requireWorkflow(db, workspaceId, workflowId);
  if (!UUID_PATTERN.test(goldenId)) throw notFound(`Golden lead ${goldenId}`);
  await db.transaction(async (tx) => {
    const [gone] = await tx
      .delete(goldenLeads)
      .where(and(eq(goldenLeads.id, goldenId), eq(goldenLeads.workflowId, workflowId)))
      .returning({ id: goldenLeads.id, name: goldenLeads.name });
    if (!gone) throw notFound(`Golden lead ${goldenId}`);
    await audit(tx, actor, workspaceId, 'golden_lead.delete', { type: 'golden_lead', id: gone.id }, { workflowId, name: gone.name });
  });
}

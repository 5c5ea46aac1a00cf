import { buildCatalog, normalizeLead, type Directory, type Graph, type Plan } from '@lead-router/shared';
import { and, asc, count, eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import type { Db, Tx } from '@lead-router/db/client';
import { drafts, goldenLeads, workflows } from '@lead-router/db/schema';
import { DomainError, notFound, type ErrorDetail } from '../errors/domain-error';
import { audit } from './audit.service';
import { loadDirectory } from '@lead-router/db/directory-snapshot';
import { problemDetails } from './simulation.service';
import type { GoldenLeadRow, GoldenResult, StoredGoldenExpect } from './simulation/golden-evaluate';
import type { SimulationRunner } from './simulation/pool';
import { requireWorkflow, UUID_PATTERN } from './workflow-access';

export {
  evaluateGoldenLeads,
  GOLDEN_DEFAULT_AT,
  type GoldenExpectation,
  type GoldenLeadRow,
  type GoldenResult,
  type StoredGoldenExpect,
} from './simulation/golden-evaluate';

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
export async function runGoldenSuite(db: Db | Tx, simulations: SimulationRunner, workspaceId: string, workflowId: string, plan: Plan, directory: Directory): Promise<GoldenResult[]> {
  const rows = await listGoldenLeads(db, workspaceId, workflowId);
  return evaluateInThread(simulations, rows, plan, directory);
}

/**
 * The verdicts of these golden leads against a compiled plan, computed in a simulation thread (up to
 * MAX_GOLDEN_LEADS runs through a graph of up to 1,000 steps: seconds of work). None to judge, no job.
 */
export async function evaluateInThread(simulations: SimulationRunner, rows: readonly GoldenLeadRow[], plan: Plan, directory: Directory): Promise<GoldenResult[]> {
  if (rows.length === 0) return [];
  const outcome = await simulations.run({ kind: 'golden', source: { plan }, rows: rows.map(plainRow), directory });
  // A compiled plan cannot fail to compile, and verdicts are never too large.
  if (!outcome.ok) throw new Error(`golden suite failed: ${outcome.failure.code}`);
  return outcome.value;
}

/** A row as a job takes it: only the fields the verdict reads (a listed row also has its createdAt). */
const plainRow = (r: GoldenLeadRow): GoldenLeadRow => ({ id: r.id, name: r.name, lead: r.lead, expect: r.expect });

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

/** Verdicts of golden leads against the draft, or why there are none (no draft, or it does not compile). */
type DraftVerdicts = { ok: true; results: GoldenResult[]; revision: number } | { ok: false; revision: number | null; reason: string; problems: ErrorDetail[] };

/** Compiles the draft and judges `rows` against it, both in a simulation thread. */
async function judgeAgainstDraft(db: Db | Tx, simulations: SimulationRunner, workflowId: string, rows: readonly GoldenLeadRow[], directory: Directory): Promise<DraftVerdicts> {
  const [draft] = await db.select({ graph: drafts.graph, revision: drafts.revision }).from(drafts).where(eq(drafts.workflowId, workflowId)).limit(1);
  if (!draft) return { ok: false, revision: null, reason: 'The workflow has no draft to test.', problems: [] };
  const source: { graph: Graph } = { graph: draft.graph };
  const outcome = await simulations.run({ kind: 'golden', source, rows: rows.map(plainRow), directory });
  if (outcome.ok) return { ok: true, results: outcome.value, revision: draft.revision };
  if (outcome.failure.code !== 'invalid_graph') throw new Error(`golden suite failed: ${outcome.failure.code}`);
  const n = outcome.failure.problems.length;
  return { ok: false, revision: draft.revision, reason: `The draft does not compile (${n} problem${n === 1 ? '' : 's'}); fix it to see results.`, problems: problemDetails(outcome.failure.problems) };
}

/** `GET /workflows/{id}/golden`: the golden leads with their verdicts against the current draft. */
export async function getGoldenSuite(db: Db, simulations: SimulationRunner, workspaceId: string, workflowId: string): Promise<GoldenSuiteView> {
  await requireWorkflow(db, workspaceId, workflowId);
  const [rows, directory] = await Promise.all([listGoldenLeads(db, workspaceId, workflowId), loadDirectory(db, workspaceId, { companies: true })]);
  const draft = await judgeAgainstDraft(db, simulations, workflowId, rows, directory);
  const view = (results: Array<GoldenResult | null>) => rows.map((r, i) => ({ id: r.id, name: r.name, lead: r.lead, expect: r.expect, createdAt: r.createdAt.toISOString(), result: results[i] ?? null }));
  if (!draft.ok) {
    return { goldenLeads: view([]), draftRevision: draft.revision, passed: null, failed: null, omitted: { reason: draft.reason, problems: draft.problems } };
  }
  const results = draft.results;
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
export async function createGoldenLead(db: Db, simulations: SimulationRunner, actor: Principal, workflowId: string, input: CreateGoldenInput): Promise<{ goldenLead: GoldenLeadView; omitted: string | null }> {
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
  const draft = await judgeAgainstDraft(db, simulations, workflowId, [stored], directory);
  const result = draft.ok ? (draft.results[0] ?? null) : null;
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

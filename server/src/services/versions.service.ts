import { compile, emptyGraph, type Graph, type Plan, type Problem } from '@lead-router/shared';
import { and, desc, eq, max, sql } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import { sha256 } from '../auth/secrets';
import type { Db, Tx } from '@lead-router/db/client';
import { drafts, versions, workflows } from '@lead-router/db/schema';
import { DomainError, notFound } from '../errors/domain-error';
import { audit } from './audit.service';
import { loadDirectory } from '@lead-router/db/directory-snapshot';
import { diffGraphs, type GraphDiff } from './graph-diff';
import { runGoldenSuite } from './golden.service';
import { secretNames } from './secrets.service';
import type { SimulationRunner } from './simulation/pool';
import { requireWorkflow } from './workflow-access';
import { archivedConflict, lockWorkflow } from './workflows.service';

type VersionRow = typeof versions.$inferSelect;

/** A published version as lists show it. */
export interface VersionSummary {
  id: string;
  number: number;
  /** sha256 hex of the plan's JSON. */
  checksum: string;
  authorId: string | null;
  authorName: string;
  note: string;
  createdAt: string;
  /** True for the version new leads run on. */
  active: boolean;
}

/** A published version with its graph and compiled plan. */
export interface VersionDetail extends VersionSummary {
  graph: Graph;
  plan: Plan;
}

/** Two graphs of a workflow compared: `from` null is the empty graph (nothing was published yet). */
export interface WorkflowDiff extends GraphDiff {
  from: number | null;
  to: number | 'draft';
}

/** sha256 hex of the plan as JSON: what a version's checksum is. */
export function planChecksum(plan: Plan): string {
  return sha256(JSON.stringify(plan));
}

/**
 * Publishes the draft as the next version and makes it active, in one transaction under the workflow's row
 * lock, so two publishes never take the same number and each publishes the draft it checked.
 * `invalid_graph` with every problem when it does not compile; `golden_failed` with the failing
 * golden leads unless `force`; `archived` for an archived workflow.
 */
export async function publishDraft(db: Db, simulations: SimulationRunner, p: Principal, id: string, input: { note: string; force?: boolean | undefined }, now: Date): Promise<VersionSummary> {
  return db.transaction(async (tx) => {
    const wf = await lockWorkflow(tx, p.workspaceId, id);
    if (wf.archivedAt) throw archivedConflict(wf);
    const [draft] = await tx.select().from(drafts).where(eq(drafts.workflowId, wf.id)).limit(1);
    if (!draft) throw new Error(`workflow ${wf.id} has no draft`);

    const directory = await loadDirectory(tx, p.workspaceId);
    // Shared with a secret's delete (exclusive), so a secret is never deleted while a version naming it is published.
    await tx.execute(sql`select pg_advisory_xact_lock_shared(hashtextextended(${`secrets:${p.workspaceId}`}, 0))`);
    const compiled = compile(draft.graph, { directory, secretNames: await secretNames(tx, p.workspaceId) });
    if (!compiled.ok) {
      const n = compiled.problems.length;
      throw new DomainError('invalid_graph', `The draft cannot be published: ${n} problem${n === 1 ? '' : 's'} must be fixed first.`, compiled.problems.map(publishProblem));
    }

    const golden = await runGoldenSuite(tx, simulations, p.workspaceId, wf.id, compiled.plan, directory);
    const failing = golden.filter((g) => !g.passed);
    if (failing.length > 0 && !input.force) {
      throw new DomainError(
        'golden_failed',
        `${failing.length} of ${golden.length} golden lead${golden.length === 1 ? '' : 's'} would not route as expected. Fix the draft, or publish anyway with force.`,
        failing,
      );
    }

    const [last] = await tx.select({ n: max(versions.number) }).from(versions).where(eq(versions.workflowId, wf.id));
    const number = (last?.n ?? 0) + 1;
    const [version] = await tx
      .insert(versions)
      .values({
        workflowId: wf.id,
        number,
        graph: draft.graph,
        plan: compiled.plan,
        checksum: planChecksum(compiled.plan),
        authorId: p.id,
        authorName: p.name,
        note: input.note,
        createdAt: now,
      })
      .returning();
    if (!version) throw new Error('version insert returned nothing');
    await tx.update(workflows).set({ activeVersionId: version.id, updatedAt: now }).where(eq(workflows.id, wf.id));
    await audit(tx, p, p.workspaceId, 'version.published', { type: 'workflow', id: wf.id }, {
      versionId: version.id,
      number,
      checksum: version.checksum,
      draftRevision: draft.revision,
      note: input.note,
      ...(failing.length > 0 ? { forced: true, failingGoldenLeads: failing.map((g) => g.id) } : {}),
    });
    return summary(version, version.id);
  });
}

/** The workflow's versions, newest first. */
export async function listVersions(db: Db, workspaceId: string, id: string): Promise<VersionSummary[]> {
  const wf = await requireWorkflow(db, workspaceId, id);
  const rows = await db
    .select({
      id: versions.id,
      number: versions.number,
      checksum: versions.checksum,
      authorId: versions.authorId,
      authorName: versions.authorName,
      note: versions.note,
      createdAt: versions.createdAt,
    })
    .from(versions)
    .where(eq(versions.workflowId, wf.id))
    .orderBy(desc(versions.number));
  return rows.map((v) => summary(v, wf.activeVersionId));
}

/** One version with its graph and plan; `not_found` when the workflow has no version `number`. */
export async function getVersion(db: Db | Tx, workspaceId: string, id: string, number: number): Promise<VersionDetail> {
  const wf = await requireWorkflow(db, workspaceId, id);
  const v = await versionRow(db, wf.id, number);
  return { ...summary(v, wf.activeVersionId), graph: v.graph, plan: v.plan };
}

/** Makes version `number` the active one (a rollback, or a roll forward); leads already running keep theirs. */
export async function activateVersion(db: Db, p: Principal, id: string, number: number, now: Date): Promise<VersionSummary> {
  return db.transaction(async (tx) => {
    const wf = await lockWorkflow(tx, p.workspaceId, id);
    if (wf.archivedAt) throw archivedConflict(wf);
    const v = await versionRow(tx, wf.id, number);
    if (wf.activeVersionId === v.id) return summary(v, v.id);
    const [previous] = wf.activeVersionId
      ? await tx.select({ number: versions.number }).from(versions).where(eq(versions.id, wf.activeVersionId)).limit(1)
      : [];
    await tx.update(workflows).set({ activeVersionId: v.id, updatedAt: now }).where(eq(workflows.id, wf.id));
    await audit(tx, p, p.workspaceId, 'version.activated', { type: 'workflow', id: wf.id }, {
      versionId: v.id,
      number: v.number,
      previousNumber: previous?.number ?? null,
    });
    return summary(v, v.id);
  });
}

/**
 * Compares two graphs of a workflow. `from` defaults to the active version (the empty graph when none is
 * active), `to` to the draft.
 */
export async function diffWorkflow(db: Db, workspaceId: string, id: string, query: { from?: number | undefined; to?: number | 'draft' | undefined }): Promise<WorkflowDiff> {
  const wf = await requireWorkflow(db, workspaceId, id);
  let from: number | null = null;
  let before: Graph = emptyGraph();
  if (query.from !== undefined) {
    before = (await versionRow(db, wf.id, query.from)).graph;
    from = query.from;
  } else if (wf.activeVersionId) {
    const [active] = await db
      .select({ number: versions.number, graph: versions.graph })
      .from(versions)
      .where(and(eq(versions.id, wf.activeVersionId), eq(versions.workflowId, wf.id)))
      .limit(1);
    if (active) {
      before = active.graph;
      from = active.number;
    }
  }
  const to = query.to ?? 'draft';
  let after: Graph;
  if (to === 'draft') {
    const [draft] = await db.select({ graph: drafts.graph }).from(drafts).where(eq(drafts.workflowId, wf.id)).limit(1);
    if (!draft) throw new Error(`workflow ${wf.id} has no draft`);
    after = draft.graph;
  } else {
    after = (await versionRow(db, wf.id, to)).graph;
  }
  return { from, to, ...diffGraphs(before, after) };
}

/** The active version of a workflow (id, number, plan), or null when nothing is active. `not_found` outside the workspace. */
export async function loadActiveVersion(db: Db | Tx, workspaceId: string, id: string): Promise<{ id: string; number: number; plan: Plan; graph: Graph } | null> {
  const wf = await requireWorkflow(db, workspaceId, id);
  if (!wf.activeVersionId) return null;
  const [v] = await db
    .select({ id: versions.id, number: versions.number, plan: versions.plan, graph: versions.graph })
    .from(versions)
    .where(and(eq(versions.id, wf.activeVersionId), eq(versions.workflowId, wf.id)))
    .limit(1);
  return v ?? null;
}

/** A problem that blocks publishing, always naming its node and path (null for the whole graph or node). */
export interface PublishProblem {
  code: string;
  message: string;
  nodeId: string | null;
  path: string | null;
  edgeId?: string;
  severity: 'error' | 'warning';
}

// Every key present, so the web can highlight without guessing which of them a given problem carries.
function publishProblem(p: Problem): PublishProblem {
  return { code: p.code, message: p.message, nodeId: p.nodeId ?? null, path: p.path ?? null, ...(p.edgeId !== undefined ? { edgeId: p.edgeId } : {}), severity: p.severity };
}

async function versionRow(db: Db | Tx, workflowId: string, number: number): Promise<VersionRow> {
  const [v] = await db
    .select()
    .from(versions)
    .where(and(eq(versions.workflowId, workflowId), eq(versions.number, number)))
    .limit(1);
  if (!v) throw notFound(`Version ${number}`);
  return v;
}

function summary(v: Pick<VersionRow, 'id' | 'number' | 'checksum' | 'authorId' | 'authorName' | 'note' | 'createdAt'>, activeVersionId: string | null): VersionSummary {
  return {
    id: v.id,
    number: v.number,
    checksum: v.checksum,
    authorId: v.authorId,
    authorName: v.authorName,
    note: v.note,
    createdAt: v.createdAt.toISOString(),
    active: v.id === activeVersionId,
  };
}

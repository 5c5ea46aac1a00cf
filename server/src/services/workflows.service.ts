import { checkGraph, edgeId, GRAPH_SCHEMA_VERSION, isStorableText, parseGraph, validateGraph, type Graph, type Problem } from '@lead-router/shared';
import { and, count, desc, eq, gte, inArray, isNull, max, sql } from 'drizzle-orm';
import { hasRole, type Principal } from '../auth/principal';
import { newWebhookSecret } from '../auth/secrets';
import type { Db, Tx } from '@lead-router/db/client';
import { apiKeys, drafts, routingRuns, users, versions, workflows } from '@lead-router/db/schema';
import type { Logger } from '../http/context';
import { DomainError, invalidInput, notFound } from '../errors/domain-error';
import { audit } from './audit.service';
import { loadDirectory } from '@lead-router/db/directory-snapshot';
import { evaluateInThread, listGoldenLeads, type GoldenResult } from './golden.service';
import { secretNames } from './secrets.service';
import type { SimulationRunner } from './simulation/pool';
import { unstorableText } from './storable-text';
import { requireWorkflow, UUID_PATTERN } from './workflow-access';

type WorkflowRow = typeof workflows.$inferSelect;

/** Where a workflow stands: never published, live on a version, or archived. */
export type WorkflowStatus = 'draft_only' | 'active' | 'archived';

/** A workflow as lists show it. */
export interface WorkflowSummary {
  id: string;
  name: string;
  description: string;
  status: WorkflowStatus;
  /** The active version's number; null when nothing was published (or none is active). */
  activeVersion: number | null;
  lastPublishedAt: string | null;
  /** Leads of this workflow assigned since midnight UTC. */
  leadsRoutedToday: number;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
}

/** A workflow with what its page needs. `webhookSecret` is there for admins only. */
export interface WorkflowDetail extends WorkflowSummary {
  activeVersionId: string | null;
  draftRevision: number;
  webhookSecret?: string;
}

/** Who last saved something, by name, so the web can say "Ana saved this at 10:32". */
export interface ActorRef {
  id: string;
  name: string;
}

/** The draft as the editor loads it. */
export interface DraftView {
  graph: Graph;
  revision: number;
  updatedAt: string;
  updatedBy: ActorRef | null;
  /** Every problem of the draft (errors and warnings) against the workspace directory. */
  problems: Problem[];
}

/** The golden leads' verdict on a saved draft, or why they were not run. */
export type GoldenOutcome = GoldenResult[] | { skipped: true; reason: string };

/** The answer to a draft save. */
export interface DraftSaved {
  revision: number;
  problems: Problem[];
  golden: GoldenOutcome;
}

/** The graph a new workflow starts with: a webhook trigger wired to an end, one above the other. */
export function starterGraph(): Graph {
  return {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, label: 'Inbound lead', config: { source: 'webhook' } },
      { id: 'end', type: 'end', position: { x: 0, y: 200 }, label: 'Done', config: { outcome: 'completed' } },
    ],
    edges: [{ id: edgeId('trigger', 'next', 'end'), source: 'trigger', sourceHandle: 'next', target: 'end' }],
  };
}

/**
 * The graph document parsed and normalised (upgraded, defaults applied), or an `invalid_request` listing every structural
 * problem. Problems of a well-formed document (unreachable steps, unknown reps...) are allowed in drafts.
 */
export function parseGraphDocument(input: unknown): Graph {
  assertStorableGraph(input);
  const parsed = parseGraph(input);
  if (parsed.ok) return parsed.graph;
  const first = parsed.problems[0]?.message ?? 'The graph could not be read.';
  const more = parsed.problems.length > 1 ? ` (and ${parsed.problems.length - 1} more)` : '';
  // A problem of the document as a whole names the field it is in, `graph`, so every detail names one.
  const details = parsed.problems.map((p) => (p.path || p.nodeId || p.edgeId ? p : { ...p, path: 'graph' }));
  throw new DomainError('invalid_request', `The graph is not a valid graph document: ${first}${more}`, details);
}

/**
 * Reads a draft to save. A draft may hold half-filled steps (an author mid-way through a form): when every
 * problem lies inside a node's `config` or title, the document is stored as given, with those nodes' configs
 * unparsed, and the problems are reported on the save like any other. Anything else (not a graph, unknown
 * node types, bad ids, positions or connections) is still an `invalid_request`: the canvas could not draw it.
 * Publishing and test runs compile the draft, so a half-filled node never reaches a version or a lead.
 */
export function parseDraftDocument(input: unknown): Graph {
  assertStorableGraph(input);
  const parsed = parseGraph(input);
  if (parsed.ok) return parsed.graph;
  if (!parsed.problems.every(isConfigProblem)) return parseGraphDocument(input);
  const raw = input as { nodes: unknown[] };
  const good = new Map(parsed.graph.nodes.map((n) => [n.id, n]));
  // Keep the document's node order; nodes that parsed are stored as parsed (unknown keys dropped), the
  // others keep only the keys a node has.
  const nodes = raw.nodes.map((n) => {
    const node = n as { id: string; type: string; position: { x: number; y: number }; label?: unknown; config?: unknown };
    const ok = good.get(node.id);
    if (ok) return ok;
    return {
      id: node.id,
      type: node.type,
      position: { x: node.position.x, y: node.position.y },
      ...(typeof node.label === 'string' ? { label: node.label } : {}),
      config: node.config ?? null,
    };
  });
  // Sticky notes (when the document has them) parsed, like the edges.
  return { ...parsed.graph, nodes: nodes as Graph['nodes'] };
}

/**
 * Refuses a graph document holding text PostgreSQL cannot store (a NUL, a lone surrogate), anywhere in
 * it (a half-filled config is stored as given), naming each field (`graph.nodes.2.label`) and its node.
 */
function assertStorableGraph(input: unknown): void {
  const details = unstorableText(input, ['graph']);
  if (details.length === 0) return;
  const nodes = (input as { nodes?: unknown }).nodes;
  throw invalidInput(
    details.map((d) => {
      const at = /^graph\.nodes\.(\d+)(\.|$)/.exec(d.path);
      const node: unknown = at && Array.isArray(nodes) ? nodes[Number(at[1])] : undefined;
      const id = node !== null && typeof node === 'object' ? (node as { id?: unknown }).id : undefined;
      return typeof id === 'string' && isStorableText(id) ? { ...d, nodeId: id } : d;
    }),
  );
}

/** A problem inside one identified node's settings or title: a draft may be saved with it. */
function isConfigProblem(p: Problem): boolean {
  return p.code === 'invalid_node' && p.nodeId !== undefined && p.path !== undefined && /^(config|label)(\.|$)/.test(p.path);
}

/** The `archived` error for changes to an archived workflow. */
export function archivedConflict(wf: { id: string; name: string }): DomainError {
  return new DomainError('archived', `The workflow "${wf.name}" is archived; restore it before changing it.`, { workflowId: wf.id });
}

/** The workflow row locked FOR UPDATE until the transaction ends (`not_found` when not in this workspace). */
export async function lockWorkflow(tx: Tx, workspaceId: string, id: string): Promise<WorkflowRow> {
  if (!UUID_PATTERN.test(id)) throw notFound(`Workflow ${id}`);
  const [wf] = await tx
    .select()
    .from(workflows)
    .where(and(eq(workflows.id, id), eq(workflows.workspaceId, workspaceId)))
    .for('update');
  if (!wf) throw notFound(`Workflow ${id}`);
  return wf;
}

/** Midnight UTC of the day `now` falls on. */
export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** The workspace's workflows, most recently changed first; archived ones only when asked. */
export async function listWorkflows(db: Db, workspaceId: string, options: { archived: boolean; now: Date }): Promise<WorkflowSummary[]> {
  const rows = await db
    .select()
    .from(workflows)
    .where(and(eq(workflows.workspaceId, workspaceId), options.archived ? undefined : isNull(workflows.archivedAt)))
    .orderBy(desc(workflows.updatedAt), workflows.id);
  return summarise(db, workspaceId, rows, options.now);
}

/** One workflow with its draft revision; the webhook secret only when the caller is an admin. */
export async function getWorkflowDetail(db: Db | Tx, p: Principal, id: string, now: Date): Promise<WorkflowDetail> {
  const wf = await requireWorkflow(db, p.workspaceId, id);
  return detail(db, p, wf, now);
}

/** Creates a workflow with a fresh webhook secret and its draft at revision 1 (the starter graph by default). */
export async function createWorkflow(
  db: Db,
  p: Principal,
  input: { name: string; description?: string | undefined; graph?: unknown },
  now: Date,
): Promise<WorkflowDetail> {
  const graph = input.graph === undefined ? starterGraph() : parseGraphDocument(input.graph);
  return db.transaction(async (tx) => {
    const wf = await insertWorkflow(tx, p, { name: input.name, description: input.description ?? '', graph }, now);
    await audit(tx, p, p.workspaceId, 'workflow.created', { type: 'workflow', id: wf.id }, { name: wf.name });
    return detail(tx, p, wf, now);
  });
}

/** Renames a workflow or changes its description. */
export async function updateWorkflow(
  db: Db,
  p: Principal,
  id: string,
  patch: { name?: string | undefined; description?: string | undefined },
  now: Date,
): Promise<WorkflowDetail> {
  return db.transaction(async (tx) => {
    const wf = await lockWorkflow(tx, p.workspaceId, id);
    if (wf.archivedAt) throw archivedConflict(wf);
    const set: Partial<WorkflowRow> = {};
    if (patch.name !== undefined && patch.name !== wf.name) set.name = patch.name;
    if (patch.description !== undefined && patch.description !== wf.description) set.description = patch.description;
    if (Object.keys(set).length === 0) return detail(tx, p, wf, now);
    const [updated] = await tx
      .update(workflows)
      .set({ ...set, updatedAt: now })
      .where(and(eq(workflows.id, wf.id), eq(workflows.workspaceId, p.workspaceId)))
      .returning();
    await audit(tx, p, p.workspaceId, 'workflow.updated', { type: 'workflow', id: wf.id }, {
      ...(set.name !== undefined ? { name: { before: wf.name, after: set.name } } : {}),
      ...(set.description !== undefined ? { description: { before: wf.description, after: set.description } } : {}),
    });
    return detail(tx, p, updated ?? wf, now);
  });
}

/** Archives a workflow (idempotent). Its versions and draft are kept, so it can be restored as it was. */
export async function archiveWorkflow(db: Db, p: Principal, id: string, now: Date): Promise<WorkflowDetail> {
  return setArchived(db, p, id, now, true);
}

/** Brings an archived workflow back (idempotent). */
export async function restoreWorkflow(db: Db, p: Principal, id: string, now: Date): Promise<WorkflowDetail> {
  return setArchived(db, p, id, now, false);
}

async function setArchived(db: Db, p: Principal, id: string, now: Date, archive: boolean): Promise<WorkflowDetail> {
  return db.transaction(async (tx) => {
    const wf = await lockWorkflow(tx, p.workspaceId, id);
    if ((wf.archivedAt !== null) === archive) return detail(tx, p, wf, now);
    const [updated] = await tx
      .update(workflows)
      .set({ archivedAt: archive ? now : null, updatedAt: now })
      .where(and(eq(workflows.id, wf.id), eq(workflows.workspaceId, p.workspaceId)))
      .returning();
    await audit(tx, p, p.workspaceId, archive ? 'workflow.archived' : 'workflow.restored', { type: 'workflow', id: wf.id }, { name: wf.name });
    return detail(tx, p, updated ?? wf, now);
  });
}

/** A new workflow named "<name> (copy)" whose draft is a copy of this one's draft (a new webhook secret, no versions). */
export async function duplicateWorkflow(db: Db, p: Principal, id: string, now: Date): Promise<WorkflowDetail> {
  return db.transaction(async (tx) => {
    const source = await requireWorkflow(tx, p.workspaceId, id);
    const draft = await draftRow(tx, source.id);
    const suffix = ' (copy)';
    const name = `${source.name.slice(0, 200 - suffix.length)}${suffix}`;
    const wf = await insertWorkflow(tx, p, { name, description: source.description, graph: draft.graph }, now);
    await audit(tx, p, p.workspaceId, 'workflow.duplicated', { type: 'workflow', id: wf.id }, { sourceId: source.id, name });
    return detail(tx, p, wf, now);
  });
}

/** The draft with its problems against the workspace directory. */
export async function getDraft(db: Db, workspaceId: string, id: string): Promise<DraftView> {
  const wf = await requireWorkflow(db, workspaceId, id);
  const [draft, directory, secrets] = await Promise.all([draftRow(db, wf.id), loadDirectory(db, workspaceId, { companies: false }), secretNames(db, workspaceId)]);
  return {
    graph: draft.graph,
    revision: draft.revision,
    updatedAt: draft.updatedAt.toISOString(),
    updatedBy: await actorRef(db, workspaceId, draft.updatedBy),
    problems: validateGraph(draft.graph, { directory, secretNames: secrets }),
  };
}

/**
 * Saves the draft if `revision` is still the current one, else `stale_revision` and nothing written: a
 * stale save is refused, never merged. Then reports its problems and, when it compiles, the golden leads.
 */
export async function saveDraft(
  db: Db,
  simulations: SimulationRunner,
  p: Principal,
  id: string,
  input: { graph: unknown; revision: number },
  now: Date,
  log?: Logger,
): Promise<DraftSaved> {
  const graph = parseDraftDocument(input.graph);
  const saved = await db.transaction(async (tx) => {
    // The row lock orders this save against publishes and other saves of the same workflow; the
    // revision condition on the UPDATE is what refuses a stale save.
    const wf = await lockWorkflow(tx, p.workspaceId, id);
    if (wf.archivedAt) throw archivedConflict(wf);
    const [row] = await tx
      .update(drafts)
      .set({ graph, revision: sql`${drafts.revision} + 1`, updatedBy: p.id, updatedAt: now })
      .where(and(eq(drafts.workflowId, wf.id), eq(drafts.revision, input.revision)))
      .returning({ revision: drafts.revision });
    if (!row) {
      const current = await draftRow(tx, wf.id);
      throw new DomainError('stale_revision', 'Someone saved this draft after you loaded it. Reload it to see their changes, then make yours again.', {
        currentRevision: current.revision,
        updatedAt: current.updatedAt.toISOString(),
        updatedBy: await actorRef(tx, p.workspaceId, current.updatedBy),
      });
    }
    await tx.update(workflows).set({ updatedAt: now }).where(eq(workflows.id, wf.id));
    await audit(tx, p, p.workspaceId, 'draft.saved', { type: 'workflow', id: wf.id }, { revision: row.revision });
    return { workflowId: wf.id, revision: row.revision };
  });

  return { revision: saved.revision, ...(await checkSavedDraft(db, simulations, p.workspaceId, saved.workflowId, graph, log)) };
}

/**
 * A saved draft's problems and golden leads' verdict, from one load of the directory and one analysis of the
 * graph. The directory holds the firmographics only when golden leads will need them (they are simulated).
 */
async function checkSavedDraft(db: Db, simulations: SimulationRunner, workspaceId: string, workflowId: string, graph: Graph, log: Logger | undefined): Promise<Omit<DraftSaved, 'revision'>> {
  const listed = await listGoldenLeads(db, workspaceId, workflowId).then(
    (rows) => ({ rows }),
    (err: unknown) => ({ err }),
  );
  const directory = await loadDirectory(db, workspaceId, { companies: 'rows' in listed && listed.rows.length > 0 });
  const { problems, result } = checkGraph(graph, { directory, secretNames: await secretNames(db, workspaceId) });
  if (!result.ok) {
    const n = result.problems.length;
    return { problems, golden: { skipped: true, reason: `The draft has ${n} problem${n === 1 ? '' : 's'} to fix before its golden leads can run.` } };
  }
  try {
    if ('err' in listed) throw listed.err;
    return { problems, golden: await evaluateInThread(simulations, listed.rows, result.plan, directory) };
  } catch (err) {
    // The draft is saved either way: a failure of the suite must not turn a good save into an error.
    log?.warn('golden suite failed after a draft save', { workflowId, err: err instanceof Error ? err.message : String(err) });
    return { problems, golden: { skipped: true, reason: 'The golden leads could not be run just now; they run again on the next save and before publishing.' } };
  }
}

// ---- helpers ----------------------------------------------------------------------------------------------

async function insertWorkflow(tx: Tx, p: Principal, input: { name: string; description: string; graph: Graph }, now: Date): Promise<WorkflowRow> {
  const [wf] = await tx
    .insert(workflows)
    .values({ workspaceId: p.workspaceId, name: input.name, description: input.description, webhookSecret: newWebhookSecret(), createdAt: now, updatedAt: now })
    .returning();
  if (!wf) throw new Error('workflow insert returned nothing');
  await tx.insert(drafts).values({ workflowId: wf.id, graph: input.graph, revision: 1, updatedBy: p.id, updatedAt: now });
  return wf;
}

async function draftRow(db: Db | Tx, workflowId: string) {
  const [draft] = await db.select().from(drafts).where(eq(drafts.workflowId, workflowId)).limit(1);
  // Every workflow is created with its draft in one transaction; a missing one is a bug, not a client error.
  if (!draft) throw new Error(`workflow ${workflowId} has no draft`);
  return draft;
}

/** The name of the user or API key with this id in the workspace; null when unknown or absent. */
export async function actorRef(db: Db | Tx, workspaceId: string, id: string | null): Promise<ActorRef | null> {
  if (!id) return null;
  const [user] = await db
    .select({ name: users.name })
    .from(users)
    .where(and(eq(users.id, id), eq(users.workspaceId, workspaceId)))
    .limit(1);
  if (user) return { id, name: user.name };
  const [key] = await db
    .select({ name: apiKeys.name })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), eq(apiKeys.workspaceId, workspaceId)))
    .limit(1);
  // Named as the principal is, so the audit log and the editor agree.
  if (key) return { id, name: `key ${key.name}` };
  return { id, name: 'someone no longer in this workspace' };
}

async function detail(db: Db | Tx, p: Principal, wf: WorkflowRow, now: Date): Promise<WorkflowDetail> {
  const [[summary], draft] = await Promise.all([summarise(db, p.workspaceId, [wf], now), draftRow(db, wf.id)]);
  if (!summary) throw new Error('summary of one workflow came back empty');
  return {
    ...summary,
    activeVersionId: wf.activeVersionId,
    draftRevision: draft.revision,
    ...(hasRole(p, 'admin') ? { webhookSecret: wf.webhookSecret } : {}),
  };
}

/** Summaries of workflows rows, with active version numbers, last publish and today's routed leads in three queries. */
async function summarise(db: Db | Tx, workspaceId: string, rows: WorkflowRow[], now: Date): Promise<WorkflowSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const activeIds = rows.flatMap((r) => (r.activeVersionId ? [r.activeVersionId] : []));
  const [active, published, routed] = await Promise.all([
    activeIds.length === 0
      ? Promise.resolve([])
      : db.select({ id: versions.id, number: versions.number }).from(versions).where(and(inArray(versions.id, activeIds), inArray(versions.workflowId, ids))),
    db
      .select({ workflowId: versions.workflowId, last: max(versions.createdAt) })
      .from(versions)
      .where(inArray(versions.workflowId, ids))
      .groupBy(versions.workflowId),
    db
      .select({ workflowId: routingRuns.workflowId, n: count() })
      .from(routingRuns)
      .where(and(eq(routingRuns.workspaceId, workspaceId), inArray(routingRuns.workflowId, ids), gte(routingRuns.firstAssignedAt, startOfUtcDay(now))))
      .groupBy(routingRuns.workflowId),
  ]);
  const activeNumber = new Map(active.map((v) => [v.id, v.number]));
  const lastPublished = new Map(published.map((v) => [v.workflowId, v.last]));
  const routedToday = new Map(routed.map((r) => [r.workflowId, r.n]));
  return rows.map((wf) => {
    const activeVersion = wf.activeVersionId ? (activeNumber.get(wf.activeVersionId) ?? null) : null;
    const last = lastPublished.get(wf.id);
    return {
      id: wf.id,
      name: wf.name,
      description: wf.description,
      status: wf.archivedAt ? 'archived' : activeVersion !== null ? 'active' : 'draft_only',
      activeVersion,
      lastPublishedAt: last ? toIso(last) : null,
      leadsRoutedToday: routedToday.get(wf.id) ?? 0,
      createdAt: wf.createdAt.toISOString(),
      updatedAt: wf.updatedAt.toISOString(),
      archivedAt: wf.archivedAt ? wf.archivedAt.toISOString() : null,
    };
  });
}

// max() over a timestamp column comes back as a Date from drizzle's column mapping; be tolerant of strings.
function toIso(v: Date | string): string {
  return (v instanceof Date ? v : new Date(v)).toISOString();
}

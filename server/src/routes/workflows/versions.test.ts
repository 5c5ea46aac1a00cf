import { createHash, randomUUID } from 'node:crypto';
import { compile, DirectorySchema, type Graph } from '@lead-router/shared';
import { demoDirectory, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, drafts, versions, workflows } from '@lead-router/db/schema';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { addGoldenLead, createWorkflow, publish, saveGraph, seedDemoDirectory } from './workflows.fixtures';

const t = setupTestApp();
const db = t.database.db;

const clone = (g: Graph): Graph => structuredClone(g);

/** The hybrid graph with the enterprise threshold changed from 1,000 to `employees`. */
function withThreshold(employees: number): Graph {
  const g = clone(hybridRoutingGraph);
  const lane = g.nodes.find((n) => n.id === 'fast-lane');
  if (lane?.type !== 'branch') throw new Error('fixture changed');
  const clause = lane.config.cases[0]?.condition.conditions[1];
  if (!clause || !('field' in clause)) throw new Error('fixture changed');
  clause.value = employees;
  return g;
}

/** A workspace with the demo directory and a workflow whose draft is the hybrid graph. */
async function hybridWorkspace(): Promise<{ ws: TestWorkspace; id: string }> {
  const ws = await t.workspace();
  await seedDemoDirectory(db, ws.id);
  const id = await createWorkflow(t, ws, { name: 'Hybrid', graph: hybridRoutingGraph });
  return { ws, id };
}

describe('PUT /api/workflows/{id}/draft', () => {
  it('refuses a stale save with 409 and writes nothing; the loser reloads and saves', async () => {
    const ws = await t.workspace();
    const id = await createWorkflow(t, ws);
    const ana = await t.call('GET', `/api/workflows/${id}/draft`, { key: ws.keys.editor });
    const bo = await t.call('GET', `/api/workflows/${id}/draft`, { key: ws.keys.admin });
    expect(ana.body.revision).toBe(1);
    expect(bo.body.revision).toBe(1);

    const anaGraph = clone(ana.body.graph);
    anaGraph.nodes[1]!.label = 'Ana was here';
    const first = await t.call('PUT', `/api/workflows/${id}/draft`, { key: ws.keys.editor, body: { graph: anaGraph, revision: 1 } });
    expect(first.status).toBe(200);
    expect(first.body.revision).toBe(2);
    expect(first.body.problems).toEqual([]);

    const boGraph = clone(bo.body.graph);
    boGraph.nodes[1]!.label = 'Bo was here';
    const second = await t.call('PUT', `/api/workflows/${id}/draft`, { key: ws.keys.admin, body: { graph: boGraph, revision: 1 } });
    expect(second.status).toBe(409);
    expect(second.body.error).toEqual({
      code: 'stale_revision',
      message: 'Someone saved this draft after you loaded it. Reload it to see their changes, then make yours again.',
      details: { currentRevision: 2, updatedAt: expect.any(String), updatedBy: { id: expect.any(String), name: 'key editor key' } },
    });
    const [row] = await db.select().from(drafts).where(eq(drafts.workflowId, id));
    expect(row?.revision).toBe(2);
    expect(row?.graph.nodes[1]?.label).toBe('Ana was here');
    expect(second.body.error.details.updatedAt).toBe(row?.updatedAt.toISOString());

    const reloaded = await t.call('GET', `/api/workflows/${id}/draft`, { key: ws.keys.admin });
    expect(reloaded.body.revision).toBe(2);
    expect(reloaded.body.graph.nodes[1].label).toBe('Ana was here');
    const merged = clone(reloaded.body.graph);
    merged.nodes[0]!.label = 'Bo was here';
    const third = await t.call('PUT', `/api/workflows/${id}/draft`, { key: ws.keys.admin, body: { graph: merged, revision: 2 } });
    expect(third.status).toBe(200);
    expect(third.body.revision).toBe(3);
    const after = await t.call('GET', `/api/workflows/${id}/draft`, { key: ws.keys.viewer });
    expect(after.body.graph.nodes.map((n: { label: string }) => n.label)).toEqual(['Bo was here', 'Ana was here']);
    expect(after.body.updatedBy.name).toBe('key admin key');

    const saves = await db.select().from(auditLog).where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'draft.saved')));
    expect(saves.map((s) => s.details.revision).sort()).toEqual([2, 3]);
  });

  it('lets exactly one of two simultaneous saves of the same revision win', async () => {
    const ws = await t.workspace();
    const id = await createWorkflow(t, ws);
    const draft = await t.call('GET', `/api/workflows/${id}/draft`, { key: ws.keys.editor });
    const a = clone(draft.body.graph);
    a.nodes[0]!.label = 'A';
    const b = clone(draft.body.graph);
    b.nodes[0]!.label = 'B';
    const results = await Promise.all([
      t.call('PUT', `/api/workflows/${id}/draft`, { key: ws.keys.editor, body: { graph: a, revision: 1 } }),
      t.call('PUT', `/api/workflows/${id}/draft`, { key: ws.keys.publisher, body: { graph: b, revision: 1 } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.status === 200);
    expect(winner?.body.revision).toBe(2);
    const [row] = await db.select().from(drafts).where(eq(drafts.workflowId, id));
    expect(row?.revision).toBe(2);
    expect(row?.graph.nodes[0]?.label).toBe(results[0]?.status === 200 ? 'A' : 'B');
  });

  it('reports the problems of a saved draft and skips golden leads until it compiles', async () => {
    const ws = await t.workspace();
    const id = await createWorkflow(t, ws);
    const r = await saveGraph(t, ws, id, hybridRoutingGraph);
    expect(r.status).toBe(200);
    expect(r.body.revision).toBe(2);
    const expected = compile(hybridRoutingGraph, { directory: DirectorySchema.parse({}) });
    expect(r.body.problems).toEqual(expected.problems);
    expect(r.body.golden).toEqual({ skipped: true, reason: 'The draft has 4 problems to fix before its golden leads can run.' });

    const draft = await t.call('GET', `/api/workflows/${id}/draft`, { key: ws.keys.viewer });
    expect(draft.body.problems).toEqual(expected.problems);
  });

  it('runs the golden leads when the draft compiles', async () => {
    const { ws, id } = await hybridWorkspace();
    const pass = await addGoldenLead(db, id, 'No email is filtered', { firstName: 'Nobody' }, { outcome: 'filtered' });
    const fail = await addGoldenLead(db, id, 'Expects routing', { firstName: 'Nobody' }, { outcome: 'routed' });
    const r = await saveGraph(t, ws, id, hybridRoutingGraph);
    expect(r.status).toBe(200);
    expect(r.body.problems).toEqual([]);
    expect(r.body.golden).toHaveLength(2);
    expect(r.body.golden.find((g: { id: string }) => g.id === pass)).toMatchObject({ passed: true, expected: { outcome: 'filtered' }, actual: { outcome: 'filtered' } });
    expect(r.body.golden.find((g: { id: string }) => g.id === fail)).toMatchObject({ passed: false, name: 'Expects routing', expected: { outcome: 'routed' } });
  });

  it('refuses graphs that are not graph documents and bodies without a revision', async () => {
    const ws = await t.workspace();
    const id = await createWorkflow(t, ws);
    const notGraph = await t.call('PUT', `/api/workflows/${id}/draft`, { key: ws.keys.editor, body: { graph: [1, 2], revision: 1 } });
    expect(notGraph.status).toBe(400);
    expect(notGraph.body.error.details).toEqual([expect.objectContaining({ code: 'invalid_document' })]);
    const tooNew = await t.call('PUT', `/api/workflows/${id}/draft`, { key: ws.keys.editor, body: { graph: { schemaVersion: 99, nodes: [], edges: [] }, revision: 1 } });
    expect(tooNew.status).toBe(400);
    expect(tooNew.body.error.details[0]).toMatchObject({ code: 'unsupported_schema_version', path: 'schemaVersion' });
    for (const [body, path] of [
      [{ graph: hybridRoutingGraph }, 'revision'],
      [{ graph: hybridRoutingGraph, revision: 0 }, 'revision'],
      [{ graph: hybridRoutingGraph, revision: 1.5 }, 'revision'],
      [{ graph: hybridRoutingGraph, revision: '1' }, 'revision'],
      [{ graph: hybridRoutingGraph, revision: 1e12 }, 'revision'],
    ] as const) {
      const r = await t.call('PUT', `/api/workflows/${id}/draft`, { key: ws.keys.editor, body });
      expect(r.status, JSON.stringify(body.revision)).toBe(400);
      expect(r.body.error.details[0].path).toBe(path);
    }
    const malformed = await t.call('PUT', `/api/workflows/${id}/draft`, { key: ws.keys.editor, rawBody: '{"graph":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_json');
    const [row] = await db.select().from(drafts).where(eq(drafts.workflowId, id));
    expect(row?.revision).toBe(1);
  });

  it('needs an editor to save and a viewer to read; other workspaces get 404', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const id = await createWorkflow(t, ws);
    const graph = (await t.call('GET', `/api/workflows/${id}/draft`, { key: ws.keys.viewer })).body.graph;
    expect((await t.call('GET', `/api/workflows/${id}/draft`)).status).toBe(401);
    expect((await t.call('GET', `/api/workflows/${id}/draft`, { key: ws.keys.ingest })).status).toBe(403);
    expect((await t.call('GET', `/api/workflows/${id}/draft`, { key: other.keys.admin })).status).toBe(404);
    expect((await t.call('PUT', `/api/workflows/${id}/draft`, { body: { graph, revision: 1 } })).status).toBe(401);
    expect((await t.call('PUT', `/api/workflows/${id}/draft`, { key: ws.keys.viewer, body: { graph, revision: 1 } })).status).toBe(403);
    expect((await t.call('PUT', `/api/workflows/${id}/draft`, { key: other.keys.admin, body: { graph, revision: 1 } })).status).toBe(404);
    expect((await t.call('PUT', `/api/workflows/${randomUUID()}/draft`, { key: ws.keys.editor, body: { graph, revision: 1 } })).status).toBe(404);
    const [row] = await db.select().from(drafts).where(eq(drafts.workflowId, id));
    expect(row?.revision).toBe(1);
  });
});

describe('POST /api/workflows/{id}/publish', () => {
  it('publishes the draft as version 1, makes it active, and audits it', async () => {
    const { ws, id } = await hybridWorkspace();
    const r = await publish(t, ws, id, 'Hybrid routing, first cut');
    expect(r.status).toBe(201);
    expect(r.body).toEqual({
      id: expect.any(String),
      number: 1,
      checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
      authorId: expect.any(String),
      authorName: 'key publisher key',
      note: 'Hybrid routing, first cut',
      createdAt: expect.any(String),
      active: true,
    });
    const [row] = await db.select().from(versions).where(eq(versions.id, r.body.id));
    expect(row?.graph).toEqual(hybridRoutingGraph);
    // What the workspace holds: the seeded part of the demo directory.
    const seeded = DirectorySchema.parse({ reps: demoDirectory.reps, teams: demoDirectory.teams, territories: demoDirectory.territories, queues: demoDirectory.queues });
    const expectedPlan = compile(hybridRoutingGraph, { directory: seeded });
    if (!expectedPlan.ok) throw new Error('fixture does not compile');
    expect(row?.plan).toEqual(expectedPlan.plan);
    expect(r.body.checksum).toBe(createHash('sha256').update(JSON.stringify(expectedPlan.plan)).digest('hex'));

    const wf = await t.call('GET', `/api/workflows/${id}`, { key: ws.keys.viewer });
    expect(wf.body).toMatchObject({ status: 'active', activeVersion: 1, activeVersionId: r.body.id, lastPublishedAt: r.body.createdAt });
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'version.published')));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorType: 'key', actorName: 'key publisher key', details: { number: 1, versionId: r.body.id, note: 'Hybrid routing, first cut', draftRevision: 1 } });
  });

  it('refuses an invalid draft with 422 and every problem, each with node, path, code and message', async () => {
    const ws = await t.workspace();
    const broken = clone(hybridRoutingGraph);
    // Besides the unknown teams and queues (no directory here), unhook the branch's else and add a lonely step.
    broken.edges = broken.edges.filter((e) => !(e.source === 'fast-lane' && e.sourceHandle === 'else'));
    broken.nodes.push({ id: 'orphan', type: 'end', position: { x: 0, y: 0 }, config: { outcome: 'lost' } });
    const id = await createWorkflow(t, ws, { graph: broken });
    const r = await publish(t, ws, id);
    expect(r.status).toBe(422);
    const expected = compile(broken, { directory: DirectorySchema.parse({}) });
    expect(expected.ok).toBe(false);
    expect(r.body.error.code).toBe('invalid_graph');
    expect(r.body.error.message).toBe(`The draft cannot be published: ${expected.problems.length} problems must be fixed first.`);
    expect(r.body.error.details).toEqual(
      expected.problems.map((p) => ({ code: p.code, message: p.message, nodeId: p.nodeId ?? null, path: p.path ?? null, severity: 'error', ...(p.edgeId ? { edgeId: p.edgeId } : {}) })),
    );
    expect(r.body.error.details).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'branch_missing_else', nodeId: 'fast-lane' }),
        expect.objectContaining({ code: 'unreachable_node', nodeId: 'orphan' }),
        expect.objectContaining({ code: 'unknown_team', nodeId: 'assign-enterprise', path: 'config.strategy.teamId' }),
        expect.objectContaining({ code: 'unknown_queue', nodeId: 'to-queue', path: 'config.queueId' }),
      ]),
    );
    for (const p of r.body.error.details) {
      expect(Object.keys(p)).toEqual(expect.arrayContaining(['code', 'message', 'nodeId', 'path']));
    }
    expect(await db.select().from(versions).where(eq(versions.workflowId, id))).toEqual([]);
    const [wf] = await db.select().from(workflows).where(eq(workflows.id, id));
    expect(wf?.activeVersionId).toBeNull();
  });

  it('refuses a draft whose golden leads fail with 422, unless forced', async () => {
    const { ws, id } = await hybridWorkspace();
    await addGoldenLead(db, id, 'Filtered', { firstName: 'No email' }, { outcome: 'filtered' });
    const failing = await addGoldenLead(db, id, 'Wrongly expects routing', { firstName: 'No email' }, { outcome: 'routed', node: 'assign-pool' });

    const refused = await publish(t, ws, id);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('golden_failed');
    expect(refused.body.error.message).toBe('1 of 2 golden leads would not route as expected. Fix the draft, or publish anyway with force.');
    expect(refused.body.error.details).toEqual([
      {
        id: failing,
        name: 'Wrongly expects routing',
        passed: false,
        expected: { outcome: 'routed', node: 'assign-pool' },
        actual: { assignee: null, outcome: 'filtered', path: expect.any(Array) },
        message: expect.stringContaining('expected outcome routed, got filtered'),
      },
    ]);
    expect(await db.select().from(versions).where(eq(versions.workflowId, id))).toEqual([]);

    const forced = await publish(t, ws, id, 'Known difference', true);
    expect(forced.status).toBe(201);
    expect(forced.body.number).toBe(1);
    const [audit] = await db.select().from(auditLog).where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'version.published')));
    expect(audit?.details).toMatchObject({ forced: true, failingGoldenLeads: [failing] });
  });

  it('gives two simultaneous publishes versions 1 and 2, never the same number', async () => {
    const { ws, id } = await hybridWorkspace();
    const results = await Promise.all([publish(t, ws, id, 'one'), publish(t, ws, id, 'two')]);
    expect(results.map((r) => r.status)).toEqual([201, 201]);
    expect(results.map((r) => r.body.number).sort()).toEqual([1, 2]);
    const rows = await db.select().from(versions).where(eq(versions.workflowId, id));
    expect(rows.map((v) => v.number).sort()).toEqual([1, 2]);
    const [wf] = await db.select().from(workflows).where(eq(workflows.id, id));
    const second = results.find((r) => r.body.number === 2);
    expect(wf?.activeVersionId).toBe(second?.body.id);
  });

  it('validates the note', async () => {
    const { ws, id } = await hybridWorkspace();
    for (const body of [{}, { note: '' }, { note: '   ' }, { note: 'x'.repeat(2001) }, { note: 'ok', force: 'yes' }]) {
      const r = await t.call('POST', `/api/workflows/${id}/publish`, { key: ws.keys.publisher, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.details[0].path).toBe('note' in body && body.note === 'ok' ? 'force' : 'note');
    }
    expect(await db.select().from(versions).where(eq(versions.workflowId, id))).toEqual([]);
  });

  it('needs a publisher; other workspaces get 404', async () => {
    const { ws, id } = await hybridWorkspace();
    const other = await t.workspace();
    expect((await t.call('POST', `/api/workflows/${id}/publish`, { body: { note: 'x' } })).status).toBe(401);
    for (const role of ['viewer', 'editor'] as const) {
      const r = await t.call('POST', `/api/workflows/${id}/publish`, { key: ws.keys[role], body: { note: 'x' } });
      expect(r.status).toBe(403);
    }
    expect((await t.call('POST', `/api/workflows/${id}/publish`, { key: other.keys.admin, body: { note: 'x' } })).status).toBe(404);
    expect((await t.call('POST', `/api/workflows/${id}/publish`, { key: ws.keys.admin, body: { note: 'by the admin' } })).status).toBe(201);
  });
});

describe('versions and rollback', () => {
  let ws: TestWorkspace;
  let id: string;
  const ids: string[] = [];
  beforeAll(async () => {
    ({ ws, id } = await hybridWorkspace());
    ids.push((await publish(t, ws, id, 'v1')).body.id);
    expect((await saveGraph(t, ws, id, withThreshold(500))).status).toBe(200);
    ids.push((await publish(t, ws, id, 'v2: lower the enterprise bar')).body.id);
  });

  it('lists versions newest first with the active flag', async () => {
    const r = await t.call('GET', `/api/workflows/${id}/versions`, { key: ws.keys.viewer });
    expect(r.status).toBe(200);
    expect(r.body.versions.map((v: { number: number; active: boolean; note: string }) => [v.number, v.active, v.note])).toEqual([
      [2, true, 'v2: lower the enterprise bar'],
      [1, false, 'v1'],
    ]);
    expect(r.body.versions[0]).toEqual({
      id: ids[1],
      number: 2,
      checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
      authorId: expect.any(String),
      authorName: 'key publisher key',
      note: 'v2: lower the enterprise bar',
      createdAt: expect.any(String),
      active: true,
    });
    expect(r.body.versions[0].checksum).not.toBe(r.body.versions[1].checksum);
  });

  it('shows one version with its graph and plan', async () => {
    const r = await t.call('GET', `/api/workflows/${id}/versions/1`, { key: ws.keys.viewer });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: ids[0], number: 1, active: false, note: 'v1' });
    expect(r.body.graph).toEqual(hybridRoutingGraph);
    expect(r.body.plan).toMatchObject({ format: 'lead-router.plan', entry: 'trigger' });
    expect(r.body.plan.nodes['fast-lane'].config.cases[0].condition.conditions[1].value).toBe(1000);
  });

  it('is 404 for an unknown version and 400 for a version that is not a positive integer', async () => {
    expect((await t.call('GET', `/api/workflows/${id}/versions/3`, { key: ws.keys.viewer })).status).toBe(404);
    expect((await t.call('GET', `/api/workflows/${id}/versions/3`, { key: ws.keys.viewer })).body.error.message).toBe('Version 3 was not found.');
    for (const n of ['0', '-1', 'abc', '1.5', '01', '99999999999']) {
      const r = await t.call('GET', `/api/workflows/${id}/versions/${n}`, { key: ws.keys.viewer });
      expect(r.status, n).toBe(400);
      expect(r.body.error.details[0].path).toBe('n');
    }
    expect((await t.call('POST', `/api/workflows/${id}/versions/abc/activate`, { key: ws.keys.publisher })).status).toBe(400);
    expect((await t.call('POST', `/api/workflows/${id}/versions/7/activate`, { key: ws.keys.publisher })).status).toBe(404);
  });

  it('rolls back to version 1 and forward again, auditing each change', async () => {
    const back = await t.call('POST', `/api/workflows/${id}/versions/1/activate`, { key: ws.keys.publisher });
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ id: ids[0], number: 1, active: true });
    const wf = await t.call('GET', `/api/workflows/${id}`, { key: ws.keys.viewer });
    expect(wf.body).toMatchObject({ activeVersion: 1, activeVersionId: ids[0], status: 'active' });
    const list = await t.call('GET', `/api/workflows/${id}/versions`, { key: ws.keys.viewer });
    expect(list.body.versions.map((v: { active: boolean }) => v.active)).toEqual([false, true]);

    // Activating the active version again changes nothing.
    expect((await t.call('POST', `/api/workflows/${id}/versions/1/activate`, { key: ws.keys.publisher })).status).toBe(200);
    const forward = await t.call('POST', `/api/workflows/${id}/versions/2/activate`, { key: ws.keys.admin });
    expect(forward.status).toBe(200);
    expect(forward.body).toMatchObject({ number: 2, active: true });

    const audits = await db.select().from(auditLog).where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'version.activated'))).orderBy(auditLog.id);
    expect(audits.map((a) => a.details)).toEqual([
      { versionId: ids[0], number: 1, previousNumber: 2 },
      { versionId: ids[1], number: 2, previousNumber: 1 },
    ]);
  });

  it('needs a viewer to read versions and a publisher to activate; other workspaces get 404', async () => {
    const other = await t.workspace();
    for (const path of [`/api/workflows/${id}/versions`, `/api/workflows/${id}/versions/1`, `/api/workflows/${id}/diff`]) {
      expect((await t.call('GET', path)).status, path).toBe(401);
      expect((await t.call('GET', path, { key: ws.keys.ingest })).status, path).toBe(403);
      expect((await t.call('GET', path, { key: other.keys.admin })).status, path).toBe(404);
    }
    const activate = `/api/workflows/${id}/versions/1/activate`;
    expect((await t.call('POST', activate)).status).toBe(401);
    expect((await t.call('POST', activate, { key: ws.keys.editor })).status).toBe(403);
    expect((await t.call('POST', activate, { key: other.keys.admin })).status).toBe(404);
    const [wf] = await db.select().from(workflows).where(eq(workflows.id, id));
    expect(wf?.activeVersionId).toBe(ids[1]);
  });
});

describe('GET /api/workflows/{id}/diff', () => {
  it('diffs the active version against the draft by default, and two versions on request', async () => {
    const { ws, id } = await hybridWorkspace();
    const nothingPublished = await t.call('GET', `/api/workflows/${id}/diff`, { key: ws.keys.viewer });
    expect(nothingPublished.status).toBe(200);
    expect(nothingPublished.body).toMatchObject({ from: null, to: 'draft', summary: { nodesAdded: hybridRoutingGraph.nodes.length, edgesAdded: hybridRoutingGraph.edges.length } });

    expect((await publish(t, ws, id, 'v1')).status).toBe(201);
    const same = await t.call('GET', `/api/workflows/${id}/diff`, { key: ws.keys.viewer });
    expect(same.body).toMatchObject({ from: 1, to: 'draft', summary: { identical: true } });

    const next = withThreshold(500);
    next.nodes.find((n) => n.id === 'score')!.position = { x: 600, y: 300 };
    next.nodes.push({ id: 'end-spam', type: 'end', position: { x: 0, y: 300 }, config: { outcome: 'spam' } });
    next.nodes = next.nodes.filter((n) => n.id !== 'end-filtered');
    next.edges = next.edges.map((e) => (e.target === 'end-filtered' ? { id: 'trigger:filtered->end-spam', source: e.source, sourceHandle: e.sourceHandle, target: 'end-spam' } : e));
    expect((await saveGraph(t, ws, id, next)).status).toBe(200);

    const d = await t.call('GET', `/api/workflows/${id}/diff`, { key: ws.keys.viewer });
    expect(d.status).toBe(200);
    expect(d.body.from).toBe(1);
    expect(d.body.to).toBe('draft');
    expect(d.body.nodes.added).toEqual([{ id: 'end-spam', type: 'end', label: 'End' }]);
    expect(d.body.nodes.removed).toEqual([{ id: 'end-filtered', type: 'end', label: 'Not a lead' }]);
    expect(d.body.nodes.changed).toEqual([
      {
        id: 'score',
        type: 'score',
        label: 'Fit and intent',
        positionOnly: true,
        changes: [
          { path: 'position.x', kind: 'changed', before: 560, after: 600, text: 'position.x: 560 -> 600' },
          { path: 'position.y', kind: 'changed', before: 280, after: 300, text: 'position.y: 280 -> 300' },
        ],
      },
      {
        id: 'fast-lane',
        type: 'branch',
        label: 'Enterprise fast lane',
        positionOnly: false,
        changes: [{ path: 'config.cases.0.condition.conditions.1.value', kind: 'changed', before: 1000, after: 500, text: 'config.cases.0.condition.conditions.1.value: 1000 -> 500' }],
      },
    ]);
    expect(d.body.edges).toEqual({
      added: [{ id: 'trigger:filtered->end-spam', source: 'trigger', sourceHandle: 'filtered', target: 'end-spam' }],
      removed: [{ id: 'trigger:filtered->end-filtered', source: 'trigger', sourceHandle: 'filtered', target: 'end-filtered' }],
    });

    expect((await publish(t, ws, id, 'v2')).status).toBe(201);
    const versionsDiff = await t.call('GET', `/api/workflows/${id}/diff?from=1&to=2`, { key: ws.keys.viewer });
    expect(versionsDiff.status).toBe(200);
    expect(versionsDiff.body).toMatchObject({ from: 1, to: 2, summary: { nodesAdded: 1, nodesRemoved: 1, nodesChanged: 1, nodesMoved: 1, edgesAdded: 1, edgesRemoved: 1, identical: false } });
    const backwards = await t.call('GET', `/api/workflows/${id}/diff?from=2&to=1`, { key: ws.keys.viewer });
    expect(backwards.body.nodes.added).toEqual([{ id: 'end-filtered', type: 'end', label: 'Not a lead' }]);
    const draftVsActive = await t.call('GET', `/api/workflows/${id}/diff?to=draft`, { key: ws.keys.viewer });
    expect(draftVsActive.body).toMatchObject({ from: 2, to: 'draft', summary: { identical: true } });
  });

  it('is 404 for unknown versions and 400 for bad query values', async () => {
    const { ws, id } = await hybridWorkspace();
    expect((await publish(t, ws, id, 'v1')).status).toBe(201);
    expect((await t.call('GET', `/api/workflows/${id}/diff?from=5`, { key: ws.keys.viewer })).status).toBe(404);
    expect((await t.call('GET', `/api/workflows/${id}/diff?from=1&to=9`, { key: ws.keys.viewer })).status).toBe(404);
    for (const [q, path] of [
      ['from=x', 'from'],
      ['from=0', 'from'],
      ['to=latest', 'to'],
      ['to=-2', 'to'],
    ] as const) {
      const r = await t.call('GET', `/api/workflows/${id}/diff?${q}`, { key: ws.keys.viewer });
      expect(r.status, q).toBe(400);
      expect(r.body.error.details[0].path).toBe(path);
    }
  });
});

import { randomUUID } from 'node:crypto';
import { hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, leads, routingRuns, versions, workflows } from '@lead-router/db/schema';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { createWorkflow, publish, seedDemoDirectory } from './workflows.fixtures';

const t = setupTestApp();
const db = t.database.db;

describe('POST /api/workflows', () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await t.workspace();
  });

  it('creates a workflow with a starter draft: a webhook trigger wired to an end', async () => {
    const r = await t.call('POST', '/api/workflows', { key: ws.keys.editor, body: { name: '  Inbound  ', description: 'Website leads' } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      name: 'Inbound',
      description: 'Website leads',
      status: 'draft_only',
      activeVersion: null,
      activeVersionId: null,
      lastPublishedAt: null,
      leadsRoutedToday: 0,
      draftRevision: 1,
      archivedAt: null,
    });
    // An editor does not get the webhook secret; it is still created.
    expect(r.body).not.toHaveProperty('webhookSecret');
    const [row] = await db.select().from(workflows).where(eq(workflows.id, r.body.id));
    expect(row?.webhookSecret).toMatch(/^whsec_/);
    expect(row?.workspaceId).toBe(ws.id);

    const draft = await t.call('GET', `/api/workflows/${r.body.id}/draft`, { key: ws.keys.viewer });
    expect(draft.status).toBe(200);
    expect(draft.body.revision).toBe(1);
    expect(draft.body.graph.nodes.map((n: { type: string }) => n.type)).toEqual(['trigger', 'end']);
    expect(draft.body.graph.edges).toEqual([{ id: 'trigger:next->end', source: 'trigger', sourceHandle: 'next', target: 'end' }]);
    const [trigger, end] = draft.body.graph.nodes;
    expect(trigger.config).toEqual({ source: 'webhook' });
    expect(end.position.y).toBeGreaterThan(trigger.position.y);
    // The starter graph compiles as it is.
    expect(draft.body.problems).toEqual([]);
    expect(draft.body.updatedBy).toEqual({ id: expect.any(String), name: 'key editor key' });

    const audits = await db.select().from(auditLog).where(and(eq(auditLog.workspaceId, ws.id), eq(auditLog.entityId, r.body.id)));
    expect(audits.map((a) => a.action)).toEqual(['workflow.created']);
  });

  it('takes a given graph; problems inside a well-formed graph are fine for a draft', async () => {
    const r = await t.call('POST', '/api/workflows', { key: ws.keys.editor, body: { name: 'Hybrid', graph: hybridRoutingGraph } });
    expect(r.status).toBe(201);
    const draft = await t.call('GET', `/api/workflows/${r.body.id}/draft`, { key: ws.keys.viewer });
    expect(draft.body.graph).toEqual(hybridRoutingGraph);
    // This workspace has no directory: the teams and queues the graph names are unknown.
    expect(draft.body.problems.map((p: { code: string }) => p.code).sort()).toEqual(['unknown_queue', 'unknown_queue', 'unknown_team', 'unknown_team']);
  });

  it('refuses a graph that is not a graph document, with its problems', async () => {
    const r = await t.call('POST', '/api/workflows', { key: ws.keys.editor, body: { name: 'Broken', graph: { schemaVersion: 1, nodes: 'no', edges: [] } } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('invalid_request');
    expect(r.body.error.details).toEqual([{ code: 'invalid_document', message: 'The graph needs a `nodes` list.', path: 'nodes', severity: 'error' }]);

    const badNode = await t.call('POST', '/api/workflows', {
      key: ws.keys.editor,
      body: { name: 'Broken', graph: { schemaVersion: 1, nodes: [{ id: 'b', type: 'branch', position: { x: 0, y: 0 }, config: {} }], edges: [] } },
    });
    expect(badNode.status).toBe(400);
    expect(badNode.body.error.details).toEqual([expect.objectContaining({ code: 'invalid_node', nodeId: 'b', path: 'config.cases' })]);
    const mine = await db.select().from(workflows).where(and(eq(workflows.workspaceId, ws.id), eq(workflows.name, 'Broken')));
    expect(mine).toEqual([]);
  });

  it('validates the name and description, naming the field', async () => {
    for (const [body, path] of [
      [{}, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(201) }, 'name'],
      [{ name: 42 }, 'name'],
      [{ name: 'ok', description: 'x'.repeat(2001) }, 'description'],
    ] as const) {
      const r = await t.call('POST', '/api/workflows', { key: ws.keys.editor, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
      expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    const ok = await t.call('POST', '/api/workflows', { key: ws.keys.editor, body: { name: 'x'.repeat(200) } });
    expect(ok.status).toBe(201);
  });

  it('answers malformed JSON with 400', async () => {
    const r = await t.call('POST', '/api/workflows', { key: ws.keys.editor, rawBody: '{"name": "x",' });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('malformed_json');
  });

  it('needs an editor', async () => {
    expect((await t.call('POST', '/api/workflows', { body: { name: 'x' } })).status).toBe(401);
    for (const role of ['ingest', 'viewer'] as const) {
      const r = await t.call('POST', '/api/workflows', { key: ws.keys[role], body: { name: 'x' } });
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    }
    for (const role of ['publisher', 'admin'] as const) {
      expect((await t.call('POST', '/api/workflows', { key: ws.keys[role], body: { name: `by ${role}` } })).status).toBe(201);
    }
  });
});

describe('GET /api/workflows', () => {
  it("lists the workspace's workflows with status, active version, last publish and today's routed leads", async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    await seedDemoDirectory(db, ws.id);
    const draftOnly = await createWorkflow(t, ws, { name: 'Draft only' });
    const live = await createWorkflow(t, ws, { name: 'Live', graph: hybridRoutingGraph });
    const archived = await createWorkflow(t, ws, { name: 'Old' });
    await createWorkflow(t, other, { name: 'Not mine' });
    const v1 = await publish(t, ws, live);
    expect(v1.status).toBe(201);
    expect((await t.call('DELETE', `/api/workflows/${archived}`, { key: ws.keys.publisher })).status).toBe(200);

    // Three leads of `live`: assigned today, assigned yesterday, not assigned yet.
    const now = new Date();
    const startOfDay = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const assigned = [new Date(startOfDay.getTime() + 1000), new Date(startOfDay.getTime() - 1000), null];
    for (const assignedAt of assigned) {
      const [lead] = await db.insert(leads).values({ workspaceId: ws.id, workflowId: live, data: { email: 'a@b.com' } }).returning();
      if (!lead) throw new Error('no lead');
      await db.insert(routingRuns).values({
        leadId: lead.id,
        workspaceId: ws.id,
        workflowId: live,
        versionId: v1.body.id,
        temporalWorkflowId: `lead-${lead.id}`,
        receivedAt: now,
        firstAssignedAt: assignedAt,
        assignedAt,
      });
    }

    const r = await t.call('GET', '/api/workflows', { key: ws.keys.viewer });
    expect(r.status).toBe(200);
    const byName = Object.fromEntries(r.body.workflows.map((w: { name: string }) => [w.name, w]));
    expect(Object.keys(byName).sort()).toEqual(['Draft only', 'Live']);
    expect(byName['Draft only']).toMatchObject({ id: draftOnly, status: 'draft_only', activeVersion: null, lastPublishedAt: null, leadsRoutedToday: 0 });
    expect(byName.Live).toMatchObject({ id: live, status: 'active', activeVersion: 1, lastPublishedAt: v1.body.createdAt, leadsRoutedToday: 1 });
    expect(typeof byName.Live.updatedAt).toBe('string');
    expect(r.body.workflows[0].name).toBe('Live'); // most recently changed first

    const all = await t.call('GET', '/api/workflows?archived=true', { key: ws.keys.viewer });
    expect(all.status).toBe(200);
    expect(all.body.workflows.map((w: { name: string }) => w.name).sort()).toEqual(['Draft only', 'Live', 'Old']);
    expect(all.body.workflows.find((w: { id: string }) => w.id === archived)).toMatchObject({ status: 'archived', archivedAt: expect.any(String) });

    const explicit = await t.call('GET', '/api/workflows?archived=false', { key: ws.keys.viewer });
    expect(explicit.body.workflows).toHaveLength(2);
    const bad = await t.call('GET', '/api/workflows?archived=yes', { key: ws.keys.viewer });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('archived');
  });

  it('needs a viewer', async () => {
    const ws = await t.workspace();
    expect((await t.call('GET', '/api/workflows')).status).toBe(401);
    expect((await t.call('GET', '/api/workflows', { key: ws.keys.ingest })).status).toBe(403);
    expect((await t.call('GET', '/api/workflows', { key: ws.keys.viewer })).body).toEqual({ workflows: [] });
  });
});

describe('GET and PATCH /api/workflows/{id}', () => {
  let ws: TestWorkspace;
  let id: string;
  beforeAll(async () => {
    ws = await t.workspace();
    id = await createWorkflow(t, ws, { name: 'Inbound', description: 'first' });
  });

  it('shows the webhook secret to admins only', async () => {
    const admin = await t.call('GET', `/api/workflows/${id}`, { key: ws.keys.admin });
    expect(admin.status).toBe(200);
    expect(admin.body).toMatchObject({ id, name: 'Inbound', description: 'first', status: 'draft_only', draftRevision: 1, activeVersion: null });
    expect(admin.body.webhookSecret).toMatch(/^whsec_/);
    for (const role of ['viewer', 'editor', 'publisher'] as const) {
      const r = await t.call('GET', `/api/workflows/${id}`, { key: ws.keys[role] });
      expect(r.status).toBe(200);
      expect(r.body).not.toHaveProperty('webhookSecret');
    }
  });

  it('renames and re-describes, and audits it', async () => {
    const r = await t.call('PATCH', `/api/workflows/${id}`, { key: ws.keys.editor, body: { name: 'Inbound EMEA', description: 'second' } });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id, name: 'Inbound EMEA', description: 'second' });
    const same = await t.call('PATCH', `/api/workflows/${id}`, { key: ws.keys.editor, body: {} });
    expect(same.status).toBe(200);
    expect(same.body.name).toBe('Inbound EMEA');
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'workflow.updated')));
    expect(audits).toHaveLength(1);
    expect(audits[0]?.details).toEqual({ name: { before: 'Inbound', after: 'Inbound EMEA' }, description: { before: 'first', after: 'second' } });
  });

  it('validates the patch', async () => {
    const r = await t.call('PATCH', `/api/workflows/${id}`, { key: ws.keys.editor, body: { name: '' } });
    expect(r.status).toBe(400);
    expect(r.body.error.details[0].path).toBe('name');
  });

  it('is 404 for unknown ids, ids that are not UUIDs, and other workspaces', async () => {
    const other = await t.workspace();
    for (const path of [`/api/workflows/${randomUUID()}`, '/api/workflows/not-a-uuid', `/api/workflows/${id}`]) {
      const key = path.endsWith(id) ? other.keys.admin : ws.keys.viewer;
      const r = await t.call('GET', path, { key });
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
    const patch = await t.call('PATCH', `/api/workflows/${id}`, { key: other.keys.admin, body: { name: 'mine now' } });
    expect(patch.status).toBe(404);
    const [row] = await db.select().from(workflows).where(eq(workflows.id, id));
    expect(row?.name).toBe('Inbound EMEA');
  });

  it('needs a viewer to read and an editor to change', async () => {
    expect((await t.call('GET', `/api/workflows/${id}`)).status).toBe(401);
    expect((await t.call('GET', `/api/workflows/${id}`, { key: ws.keys.ingest })).status).toBe(403);
    expect((await t.call('PATCH', `/api/workflows/${id}`, { body: { name: 'x' } })).status).toBe(401);
    expect((await t.call('PATCH', `/api/workflows/${id}`, { key: ws.keys.viewer, body: { name: 'x' } })).status).toBe(403);
  });
});

describe('archive, restore and duplicate', () => {
  it('archives idempotently, keeps it out of the list, refuses changes, and restores', async () => {
    const ws = await t.workspace();
    await seedDemoDirectory(db, ws.id);
    const id = await createWorkflow(t, ws, { name: 'Seasonal', graph: hybridRoutingGraph });
    expect((await publish(t, ws, id)).status).toBe(201);

    const first = await t.call('DELETE', `/api/workflows/${id}`, { key: ws.keys.publisher });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ id, status: 'archived', activeVersion: 1, archivedAt: expect.any(String) });
    const again = await t.call('DELETE', `/api/workflows/${id}`, { key: ws.keys.publisher });
    expect(again.status).toBe(200);
    expect(again.body.archivedAt).toBe(first.body.archivedAt);

    expect((await t.call('GET', '/api/workflows', { key: ws.keys.viewer })).body.workflows).toEqual([]);
    // Still readable by id.
    expect((await t.call('GET', `/api/workflows/${id}`, { key: ws.keys.viewer })).body.status).toBe('archived');

    const save = await t.call('PUT', `/api/workflows/${id}/draft`, { key: ws.keys.editor, body: { graph: hybridRoutingGraph, revision: 1 } });
    expect(save.status).toBe(409);
    expect(save.body.error.code).toBe('archived');
    const pub = await publish(t, ws, id, 'again');
    expect(pub.status).toBe(409);
    expect(pub.body.error.code).toBe('archived');
    const rename = await t.call('PATCH', `/api/workflows/${id}`, { key: ws.keys.editor, body: { name: 'x' } });
    expect(rename.status).toBe(409);
    const activate = await t.call('POST', `/api/workflows/${id}/versions/1/activate`, { key: ws.keys.publisher });
    expect(activate.status).toBe(409);

    const restored = await t.call('POST', `/api/workflows/${id}/restore`, { key: ws.keys.publisher });
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ status: 'active', activeVersion: 1, archivedAt: null });
    expect((await t.call('POST', `/api/workflows/${id}/restore`, { key: ws.keys.publisher })).status).toBe(200);

    const audits = await db.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.entityId, id)).orderBy(auditLog.id);
    expect(audits.map((a) => a.action)).toEqual(['workflow.created', 'version.published', 'workflow.archived', 'workflow.restored']);
  });

  it('needs a publisher to archive and restore; other workspaces get 404', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const id = await createWorkflow(t, ws);
    for (const [method, path] of [
      ['DELETE', `/api/workflows/${id}`],
      ['POST', `/api/workflows/${id}/restore`],
    ] as const) {
      expect((await t.call(method, path)).status).toBe(401);
      expect((await t.call(method, path, { key: ws.keys.editor })).status).toBe(403);
      expect((await t.call(method, path, { key: other.keys.admin })).status).toBe(404);
    }
    const [row] = await db.select().from(workflows).where(eq(workflows.id, id));
    expect(row?.archivedAt).toBeNull();
  });

  it('duplicates the draft into a new workflow named "(copy)", without versions', async () => {
    const ws = await t.workspace();
    await seedDemoDirectory(db, ws.id);
    const id = await createWorkflow(t, ws, { name: 'Hybrid', description: 'the demo', graph: hybridRoutingGraph });
    expect((await publish(t, ws, id)).status).toBe(201);

    const r = await t.call('POST', `/api/workflows/${id}/duplicate`, { key: ws.keys.admin });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ name: 'Hybrid (copy)', description: 'the demo', status: 'draft_only', activeVersion: null, draftRevision: 1 });
    expect(r.body.id).not.toBe(id);
    const original = await t.call('GET', `/api/workflows/${id}`, { key: ws.keys.admin });
    expect(r.body.webhookSecret).toMatch(/^whsec_/);
    expect(r.body.webhookSecret).not.toBe(original.body.webhookSecret);

    const draft = await t.call('GET', `/api/workflows/${r.body.id}/draft`, { key: ws.keys.viewer });
    expect(draft.body.graph).toEqual(hybridRoutingGraph);
    expect(await db.select().from(versions).where(eq(versions.workflowId, r.body.id))).toEqual([]);

    const long = await createWorkflow(t, ws, { name: 'n'.repeat(200) });
    const copy = await t.call('POST', `/api/workflows/${long}/duplicate`, { key: ws.keys.editor });
    expect(copy.status).toBe(201);
    expect(copy.body.name).toBe(`${'n'.repeat(193)} (copy)`);
  });

  it('needs an editor to duplicate; other workspaces get 404', async () => {
    const ws = await t.workspace();
    const other = await t.workspace();
    const id = await createWorkflow(t, ws);
    expect((await t.call('POST', `/api/workflows/${id}/duplicate`)).status).toBe(401);
    expect((await t.call('POST', `/api/workflows/${id}/duplicate`, { key: ws.keys.viewer })).status).toBe(403);
    expect((await t.call('POST', `/api/workflows/${id}/duplicate`, { key: other.keys.editor })).status).toBe(404);
    expect(await db.select().from(workflows).where(eq(workflows.workspaceId, other.id))).toEqual([]);
  });
});

describe('OpenAPI', () => {
  it('documents the workflow routes', async () => {
    const r = await t.call('GET', '/api/openapi.json');
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/workflows',
        '/api/workflows/{id}',
        '/api/workflows/{id}/draft',
        '/api/workflows/{id}/publish',
        '/api/workflows/{id}/versions',
        '/api/workflows/{id}/versions/{n}',
        '/api/workflows/{id}/versions/{n}/activate',
        '/api/workflows/{id}/diff',
      ]),
    );
  });
});

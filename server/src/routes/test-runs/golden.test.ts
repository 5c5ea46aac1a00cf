// The app first: its routes extend zod with .openapi() before shared's schemas are built.
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { demoDirectory, EXAMPLE_LEADS, hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditLog, goldenLeads } from '@lead-router/db/schema';
import { createWorkflowWithDraft, seedDirectory } from './test-runs.fixtures';

const t = setupTestApp();

let ws: TestWorkspace;
let other: TestWorkspace;
let wfId: string;
let brokenId: string;

beforeAll(async () => {
  ws = await t.workspace();
  other = await t.workspace();
  await seedDirectory(t.database.db, ws.id, demoDirectory);
  wfId = await createWorkflowWithDraft(t.database.db, ws.id, hybridRoutingGraph);
  brokenId = await createWorkflowWithDraft(t.database.db, ws.id, { schemaVersion: 1, nodes: [], edges: [] });
});

const url = (id = wfId) => `/api/workflows/${id}/golden`;
const create = (body: unknown, key = ws.keys.editor, id = wfId) => t.call('POST', url(id), { key, body });

const L1_PATH = ['trigger', 'enrich', 'score', 'match', 'assign-owner', 'notify-rep', 'sla', 'end-routed'];

describe('golden leads', () => {
  it('POST saves a golden lead (normalised) and answers with its verdict against the draft', async () => {
    const r = await create({ name: 'Acme goes to its owner', lead: EXAMPLE_LEADS[0], expect: { assignee: 'rep-ana', outcome: 'routed' } });
    expect(r.status).toBe(201);
    expect(r.body.omitted).toBeNull();
    const g = r.body.goldenLead;
    expect(g).toMatchObject({ name: 'Acme goes to its owner', expect: { assignee: 'rep-ana', outcome: 'routed' } });
    expect(g.lead).toMatchObject({ id: 'L-1', email: 'wile@acme.com', domain: 'acme.com' });
    expect(g.result).toEqual({
      id: g.id,
      name: 'Acme goes to its owner',
      passed: true,
      expected: { assignee: 'rep-ana', outcome: 'routed' },
      actual: { assignee: 'rep-ana', outcome: 'routed', path: L1_PATH },
      message: `Passed: rep-ana, outcome routed, via ${L1_PATH.join(' > ')}`,
    });
    const [audited] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.workspaceId, ws.id), eq(auditLog.action, 'golden_lead.create'), eq(auditLog.entityId, g.id)));
    expect(audited).toMatchObject({ actorType: 'key', entityType: 'golden_lead' });
  });

  it('a failing expectation says what was expected and what happened', async () => {
    const r = await create({ name: 'Bergmann to Eli', lead: EXAMPLE_LEADS[2], expect: { assignee: 'rep-eli' } });
    expect(r.status).toBe(201);
    expect(r.body.goldenLead.result).toMatchObject({ passed: false, actual: { assignee: 'rep-fay', outcome: 'routed' } });
    expect(r.body.goldenLead.result.message).toBe(
      'expected rep-eli, got rep-fay via trigger > enrich > score > match > fast-lane > assign-territory > notify-rep > sla > end-routed',
    );
  });

  it('GET lists them with their results against the draft (viewer)', async () => {
    const r = await t.call('GET', url(), { key: ws.keys.viewer });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ draftRevision: 1, passed: 1, failed: 1, omitted: null });
    expect(r.body.goldenLeads.map((g: { name: string; result: { passed: boolean } }) => [g.name, g.result.passed])).toEqual([
      ['Acme goes to its owner', true],
      ['Bergmann to Eli', false],
    ]);
    expect(r.body.goldenLeads[0].createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('omits results with a reason when the draft does not compile', async () => {
    const created = await create({ name: 'Anything', lead: { email: 'a@acme.com' }, expect: { node: 'trigger' } }, ws.keys.editor, brokenId);
    expect(created.status).toBe(201);
    expect(created.body.goldenLead.result).toBeNull();
    expect(created.body.omitted).toContain('does not compile');
    const r = await t.call('GET', url(brokenId), { key: ws.keys.viewer });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ draftRevision: 1, passed: null, failed: null });
    expect(r.body.goldenLeads).toHaveLength(1);
    expect(r.body.goldenLeads[0].result).toBeNull();
    expect(r.body.omitted.reason).toBe('The draft does not compile (1 problem); fix it to see results.');
    expect(r.body.omitted.problems).toEqual([expect.objectContaining({ code: 'no_trigger' })]);
  });

  it('validates the body: at least one expectation, the lead by field, names and instants', async () => {
    const cases: Array<[unknown, string]> = [
      [{ name: 'x', lead: EXAMPLE_LEADS[0], expect: {} }, 'expect'],
      [{ name: 'x', lead: EXAMPLE_LEADS[0], expect: { at: '2026-01-06T15:00:00Z' } }, 'expect'],
      [{ name: 'x', lead: EXAMPLE_LEADS[0], expect: { assignee: 'rep-ana', at: 'Tuesday' } }, 'expect.at'],
      [{ name: '  ', lead: EXAMPLE_LEADS[0], expect: { assignee: 'rep-ana' } }, 'name'],
      [{ name: 'x', lead: 'not a lead', expect: { assignee: 'rep-ana' } }, 'lead'],
      [{ name: 'x', expect: { assignee: 'rep-ana' } }, 'lead'],
      [{ name: 'x', lead: {}, expect: { assignee: '' } }, 'expect.assignee'],
    ];
    for (const [body, path] of cases) {
      const r = await create(body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
      expect(r.body.error.details.map((d: { path: string }) => d.path), JSON.stringify(body)).toContain(path);
    }
    const bad = await create({ name: 'x', lead: { email: 'a@acme.com', employees: 'lots', createdAt: 'yesterday' }, expect: { assignee: 'rep-ana' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([
      { path: 'lead.employees', message: 'employees must be a number; got "lots"', code: 'invalid_field_value' },
      expect.objectContaining({ path: 'lead.createdAt', code: 'invalid_field_value' }),
    ]);
    const huge = await t.call('POST', url(), { key: ws.keys.editor, rawBody: JSON.stringify({ name: 'x', lead: { note: 'a'.repeat(5 * 1024 * 1024) }, expect: { node: 'trigger' } }) });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toEqual({ code: 'payload_too_large', message: 'The request body is larger than 4 MiB; a golden lead is one lead.' });
    const malformed = await t.call('POST', url(), { key: ws.keys.editor, rawBody: '{"name":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('malformed_json');
  });

  it('roles: viewers read, editors write; 401 without credentials; another workspace is 404', async () => {
    const body = { name: 'x', lead: { email: 'a@acme.com' }, expect: { node: 'trigger' } };
    expect((await t.call('GET', url())).status).toBe(401);
    expect((await t.call('POST', url(), { body })).status).toBe(401);
    expect((await t.call('GET', url(), { key: ws.keys.ingest })).status).toBe(403);
    const viewerPost = await create(body, ws.keys.viewer);
    expect(viewerPost.status).toBe(403);
    expect(viewerPost.body.error.code).toBe('forbidden');
    const [g] = await t.database.db.select({ id: goldenLeads.id }).from(goldenLeads).where(eq(goldenLeads.workflowId, wfId)).limit(1);
    expect((await t.call('DELETE', `${url()}/${g?.id}`, { key: ws.keys.viewer })).status).toBe(403);
    for (const r of [
      await t.call('GET', url(), { key: other.keys.admin }),
      await create(body, other.keys.admin),
      await t.call('DELETE', `${url()}/${g?.id}`, { key: other.keys.admin }),
      await t.call('GET', url('nope'), { key: ws.keys.viewer }),
    ]) {
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('not_found');
    }
  });

  it('DELETE removes a golden lead of this workflow only (204, then 404)', async () => {
    const created = await create({ name: 'to delete', lead: { email: 'a@acme.com' }, expect: { node: 'trigger' } });
    const id = created.body.goldenLead.id as string;
    // The id of a golden lead exists, but under another workflow of the workspace.
    expect((await t.call('DELETE', `${url(brokenId)}/${id}`, { key: ws.keys.editor })).status).toBe(404);
    const r = await t.call('DELETE', `${url()}/${id}`, { key: ws.keys.editor });
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
    const again = await t.call('DELETE', `${url()}/${id}`, { key: ws.keys.editor });
    expect(again.status).toBe(404);
    expect(again.body.error.message).toBe(`Golden lead ${id} was not found.`);
    expect((await t.call('DELETE', `${url()}/not-a-uuid`, { key: ws.keys.editor })).status).toBe(404);
    const audited = await t.database.db.select().from(auditLog).where(and(eq(auditLog.action, 'golden_lead.delete'), eq(auditLog.entityId, id)));
    expect(audited).toHaveLength(1);
    const list = await t.call('GET', url(), { key: ws.keys.viewer });
    expect(list.body.goldenLeads.map((g: { id: string }) => g.id)).not.toContain(id);
  });
});

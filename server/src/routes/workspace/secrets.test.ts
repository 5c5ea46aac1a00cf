// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { auditLog } from '@lead-router/db/schema';
import { secretContext, workspaceSecrets } from '@lead-router/db/secrets-schema';
import type { Graph } from '@lead-router/shared';
import { hybridRoutingGraph } from '@lead-router/shared/fixtures';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_SECRET_KEY } from '../../crm/crm-test-kit';
import { SecretBox } from '../../crm/secret-box';
import { createWorkflow, publish, saveGraph, seedDemoDirectory } from '../workflows/workflows.fixtures';

const t = setupTestApp();
const db = t.database.db;
const call = t.callWith({ config: { ...t.deps.config, SECRET_KEY: TEST_SECRET_KEY } });
const VALUE = 'sk_live_51HxYzAbCdEfGh0123';

/** The hybrid graph, its enrichment through an HTTP provider whose key is `header` (a secret reference or plain). */
function httpEnriched(header: string): Graph {
  const g = structuredClone(hybridRoutingGraph);
  const enrich = g.nodes.find((n) => n.id === 'enrich');
  if (enrich?.type !== 'enrich') throw new Error('fixture changed');
  enrich.config = { provider: 'http', fields: ['employees'], overwrite: false, http: { urlTemplate: 'https://enrich.example.com/companies?domain={{domain}}', headers: { 'X-Api-Key': header }, timeoutMs: 2000, mapping: { employees: 'size' } } };
  return g;
}

let ws: TestWorkspace;
beforeAll(async () => {
  ws = await t.workspace();
  await seedDemoDirectory(db, ws.id);
});

describe('workspace secrets', () => {
  it('an admin sets one: sealed at rest, never answered, audited without its value; members see its name, hint and uses', async () => {
    const created = await call('PUT', '/api/secrets/ENRICH_KEY', { key: ws.keys.admin, body: { value: `  ${VALUE} ` } });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ name: 'ENRICH_KEY', hint: '0123', createdAt: expect.any(String), updatedAt: expect.any(String), updatedBy: null, usedBy: [], usedByQueues: [] });
    const [row] = await db.select().from(workspaceSecrets).where(eq(workspaceSecrets.workspaceId, ws.id));
    expect(row!.valueEnc).not.toContain(VALUE);
    expect(new SecretBox(TEST_SECRET_KEY).open(row!.valueEnc, secretContext(ws.id, 'ENRICH_KEY'))).toBe(VALUE);
    // Bound to its name: the same ciphertext under another name does not open.
    expect(() => new SecretBox(TEST_SECRET_KEY).open(row!.valueEnc, secretContext(ws.id, 'OTHER'))).toThrow(/does not decrypt/);

    expect((await call('PUT', '/api/secrets/ENRICH_KEY', { key: ws.keys.admin, body: { value: 'short' } })).status).toBe(200);
    const list = await call('GET', '/api/secrets', { key: ws.keys.viewer });
    expect(list.status).toBe(200);
    expect(list.body.secrets).toEqual([expect.objectContaining({ name: 'ENRICH_KEY', hint: null })]);
    expect(JSON.stringify(list.body)).not.toContain('short');
    const audits = await db.select().from(auditLog).where(and(eq(auditLog.workspaceId, ws.id), eq(auditLog.entityType, 'secret')));
    expect(audits.map((a) => a.action).sort()).toEqual(['secret.create', 'secret.update']);
    expect(JSON.stringify(audits)).not.toMatch(/sk_live|short/);
    await call('PUT', '/api/secrets/ENRICH_KEY', { key: ws.keys.admin, body: { value: VALUE } });
  });

  it('only admins write; without SECRET_KEY a secret cannot be set (503 saying what to set); bad input is 400 naming the field', async () => {
    for (const role of ['viewer', 'editor', 'publisher'] as const) {
      expect((await call('PUT', '/api/secrets/X_KEY', { key: ws.keys[role], body: { value: 'abc' } })).status).toBe(403);
      expect((await call('DELETE', '/api/secrets/ENRICH_KEY', { key: ws.keys[role] })).status).toBe(403);
    }
    expect((await call('GET', '/api/secrets')).status).toBe(401);
    const noKey = await t.call('PUT', '/api/secrets/X_KEY', { key: ws.keys.admin, body: { value: 'abc' } });
    expect(noKey.status).toBe(503);
    expect(noKey.body.error.message).toMatch(/SECRET_KEY is not set/);
    const bad: Array<[string, unknown, string]> = [
      ['enrich_key', { value: 'abc' }, 'name'],
      ['X_KEY', { value: '' }, 'value'],
      ['X_KEY', { value: 'a\nb' }, 'value'],
      ['X_KEY', { value: 'x'.repeat(8001) }, 'value'],
      ['X_KEY', { value: 'abc', extra: 1 }, ''],
    ];
    for (const [name, body, path] of bad) {
      const r = await call('PUT', `/api/secrets/${name}`, { key: ws.keys.admin, body });
      expect(r.status, `${name} ${JSON.stringify(body).slice(0, 40)}`).toBe(400);
      if (path) expect(r.body.error.details.map((d: { path: string }) => d.path)).toContain(path);
    }
    expect(await db.$count(workspaceSecrets, eq(workspaceSecrets.name, 'X_KEY'))).toBe(0);
    expect((await call('DELETE', '/api/secrets/NOT_THERE', { key: ws.keys.admin })).status).toBe(404);
  });

  it('the publish gate checks references: an unknown secret blocks, a plain key warns, a set one passes; a secret in use cannot be deleted', async () => {
    const id = await createWorkflow(t, ws, { name: 'Enriched inbound', graph: httpEnriched('{{secret.MISSING_KEY}}') });
    const draft = await t.call('GET', `/api/workflows/${id}/draft`, { key: ws.keys.viewer });
    expect(draft.body.problems.map((p: { code: string; path: string }) => [p.code, p.path])).toEqual([['unknown_secret', 'config.http.headers.X-Api-Key']]);
    const refused = await publish(t, ws, id);
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('invalid_graph');
    expect(refused.body.error.details[0].message).toContain('{{secret.MISSING_KEY}}, which is not set in this workspace');

    const plain = await saveGraph(t, ws, id, httpEnriched(VALUE));
    expect(plain.body.problems.map((p: { code: string; severity: string }) => [p.code, p.severity])).toEqual([['plain_credential', 'warning']]);

    expect((await saveGraph(t, ws, id, httpEnriched('{{secret.ENRICH_KEY}}'))).body.problems).toEqual([]);
    expect((await publish(t, ws, id)).status).toBe(201);
    const list = await call('GET', '/api/secrets', { key: ws.keys.viewer });
    expect(list.body.secrets[0].usedBy).toEqual([{ workflowId: id, name: 'Enriched inbound' }]);

    const inUse = await call('DELETE', '/api/secrets/ENRICH_KEY', { key: ws.keys.admin });
    expect(inUse.status).toBe(409);
    expect(inUse.body.error).toMatchObject({ code: 'in_use', message: "The secret ENRICH_KEY is used by the published workflow 'Enriched inbound'. Publish a version that no longer names it first." });

    await saveGraph(t, ws, id, hybridRoutingGraph);
    expect((await publish(t, ws, id, 'Back to the table')).status).toBe(201);
    expect((await call('DELETE', '/api/secrets/ENRICH_KEY', { key: ws.keys.admin })).status).toBe(204);
    expect((await call('GET', '/api/secrets', { key: ws.keys.viewer })).body.secrets).toEqual([]);
  });

  it('a queue’s alert channel may be a secret: an unknown one is refused naming the field; one in use cannot be deleted', async () => {
    const settings = (url: string) => ({ ageAlertMinutes: 30, notify: { channel: 'slack', url }, memberIds: [] });
    const unknown = await t.call('PUT', '/api/queues/q-unassigned/settings', { key: ws.keys.admin, body: settings('{{secret.SLACK_QUEUE}}') });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([{ path: 'notify.url', message: '{{secret.SLACK_QUEUE}} is not set in this workspace: add it under Settings, Secrets, or correct the name' }]);
    expect((await t.call('PUT', '/api/queues/q-unassigned/settings', { key: ws.keys.admin, body: settings('not a url') })).status).toBe(400);

    await call('PUT', '/api/secrets/SLACK_QUEUE', { key: ws.keys.admin, body: { value: 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX' } });
    const set = await t.call('PUT', '/api/queues/q-unassigned/settings', { key: ws.keys.admin, body: settings('{{secret.SLACK_QUEUE}}') });
    expect(set.status).toBe(200);
    expect(set.body.notify).toEqual({ channel: 'slack', url: '{{secret.SLACK_QUEUE}}' });
    const listed = (await call('GET', '/api/secrets', { key: ws.keys.viewer })).body.secrets.find((x: { name: string }) => x.name === 'SLACK_QUEUE');
    expect(listed.usedByQueues).toEqual([{ queueId: 'q-unassigned', name: expect.any(String) }]);
    const inUse = await call('DELETE', '/api/secrets/SLACK_QUEUE', { key: ws.keys.admin });
    expect(inUse.status).toBe(409);
    expect(inUse.body.error.message).toMatch(/^The secret SLACK_QUEUE is where the age alerts of the queue '.+' go\. Change their channel first\.$/);
    await t.call('PUT', '/api/queues/q-unassigned/settings', { key: ws.keys.admin, body: { ageAlertMinutes: null, notify: null, memberIds: [] } });
    expect((await call('DELETE', '/api/secrets/SLACK_QUEUE', { key: ws.keys.admin })).status).toBe(204);
  });
});

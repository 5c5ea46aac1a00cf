// Issue 14, item 11: names every object has (`constructor`, `toString`, ...) are no custom field names, a
// `{{constructor}}` token renders nothing (lead fields are read as own properties only), and a test-run lead
// with a `__proto__` (or `constructor`) field is refused as ingestion refuses it, naming the field; it used
// to be dropped silently.
// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestResponse, type TestWorkspace } from '../test/harness';
import { edgeId, GRAPH_SCHEMA_VERSION } from '@lead-router/shared';
import { customFields } from '@lead-router/db/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestWorkflow } from '../routes/leads/leads.fixtures';
import { createWorkflowWithDraft } from '../routes/test-runs/test-runs.fixtures';

const t = setupTestApp();
let ws: TestWorkspace;
beforeAll(async () => {
  ws = await t.workspace();
});

const detailsOf = (r: TestResponse) => (r.body.error.details as Array<{ path: string; message: string }>).map((d) => ({ path: d.path, message: d.message }));

describe('custom field names', () => {
  it('refuses every Object.prototype member and `prototype`, naming `key`', async () => {
    for (const key of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'prototype']) {
      const r = await t.call('POST', '/api/fields', { key: ws.keys.admin, body: { key, label: key, type: 'text' } });
      expect(r.status, `${key}: ${r.text}`).toBe(400);
      expect(r.body.error.code).toBe('invalid_request');
      expect(detailsOf(r)).toEqual([{ path: 'key', message: 'is reserved (every object has it); choose another name' }]);
    }
    const list = await t.call('GET', '/api/fields', { key: ws.keys.viewer });
    expect(list.text).not.toMatch(/constructor|toString|prototype/);
    // Names that only start like them are fine.
    expect((await t.call('POST', '/api/fields', { key: ws.keys.admin, body: { key: 'constructorType', label: 'Constructor type', type: 'text' } })).status).toBe(201);
  });
});

describe('templates read own fields only', () => {
  it('a {{constructor}} or {{toString}} token renders empty in a test run, not "function Object() ..."', async () => {
    // Fields by these names, as a workspace could declare them before they were reserved.
    await t.database.db.insert(customFields).values(['constructor', 'toString', 'hasOwnProperty', 'valueOf'].map((key) => ({ workspaceId: ws.id, key, label: key, type: 'text' as const })));
    const n = (id: string, type: string, config: Record<string, unknown>) => ({ id, type, position: { x: 0, y: 0 }, config });
    const e = (source: string, handle: string, target: string) => ({ id: edgeId(source, handle, target), source, sourceHandle: handle, target });
    const graph = {
      schemaVersion: GRAPH_SCHEMA_VERSION,
      nodes: [n('trigger', 'trigger', { source: 'webhook' }), n('tell', 'notify', { channel: 'in_app', subject: '[{{valueOf}}]', message: 'Hi {{firstName}}: {{constructor}}{{toString}}{{hasOwnProperty}}!' }), n('end', 'end', { outcome: 'completed' })],
      edges: [e('trigger', 'next', 'tell'), e('tell', 'next', 'end')],
    };
    const id = await createWorkflowWithDraft(t.database.db, ws.id, graph);
    const r = await t.call('POST', `/api/workflows/${id}/simulate`, { key: ws.keys.editor, body: { leads: [{ email: 'ana@acme.com', firstName: 'Ana' }] } });
    expect(r.status, r.text).toBe(200);
    const step = (r.body.results[0].steps as Array<{ nodeId: string; output: { message: string; subject: string } }>).find((s) => s.nodeId === 'tell');
    expect(step?.output.message).toBe('Hi Ana: !');
    expect(step?.output.subject).toBe('[]');
  });
});

describe('a lead field named __proto__, constructor or prototype', () => {
  let wf: { id: string };
  beforeAll(async () => {
    wf = await createTestWorkflow(t.database.db, ws.id);
  });

  // Raw JSON text: JSON.parse makes `__proto__` an own key, as it is on the wire.
  const raw = (key: string) => `{${JSON.stringify(key)}:{"polluted":true},"email":"ana@acme.com"}`;

  it('is refused by a test run as by ingestion, with the same words, naming the field', async () => {
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      const message = `"${key}" is not allowed as a field name`;
      const ingest = await t.call('POST', `/api/workflows/${wf.id}/leads`, { key: ws.keys.ingest, rawBody: raw(key) });
      expect(ingest.status, ingest.text).toBe(400);
      expect(detailsOf(ingest)).toEqual([{ path: key, message }]);

      const sim = await t.call('POST', `/api/workflows/${wf.id}/simulate`, { key: ws.keys.editor, rawBody: `{"source":1,"leads":[{"email":"ok@acme.com"},${raw(key)}]}` });
      expect(sim.status, `${key}: ${sim.text}`).toBe(400);
      expect(sim.body.error.code).toBe('invalid_request');
      expect(detailsOf(sim)).toEqual([{ path: `leads.1.${key}`, message }]);

      const golden = await t.call('POST', `/api/workflows/${wf.id}/golden`, { key: ws.keys.editor, rawBody: `{"name":"g","lead":${raw(key)},"expect":{"outcome":"completed"}}` });
      expect(golden.status, golden.text).toBe(400);
      expect(detailsOf(golden)).toEqual([{ path: `lead.${key}`, message }]);
    }
  });

  it('other odd names that are plain data (toString, hasOwnProperty) still run', async () => {
    const sim = await t.call('POST', `/api/workflows/${wf.id}/simulate`, { key: ws.keys.editor, rawBody: '{"source":1,"leads":[{"email":"ok@acme.com","toString":"x","hasOwnProperty":"y"}]}' });
    expect(sim.status, sim.text).toBe(200);
    expect(sim.body.results[0].outcome).not.toBe('invalid');
  });
});

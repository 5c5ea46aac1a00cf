// Issue 14, item 10: text PostgreSQL cannot store (a NUL character, a lone surrogate) is refused with a 400
// that names its field, on every route that stores strings; a JSON body that is not UTF-8 is refused
// (not stored as U+FFFD) on every route, not only ingest.
// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestResponse, type TestWorkspace } from '../test/harness';
import { beforeAll, describe, expect, it } from 'vitest';
import { repBody } from '../routes/directory/directory.fixtures';
import { createWorkflow } from '../routes/workflows/workflows.fixtures';

const t = setupTestApp();
let ws: TestWorkspace;
let workflowId: string;
beforeAll(async () => {
  ws = await t.workspace();
  workflowId = await createWorkflow(t, ws);
});

const BAD = { nul: 'Acme\u0000Corp', lone: 'Acme \ud800 Corp', loneLow: '\udc00' };
const MESSAGE = 'must not contain NUL characters or broken Unicode';

/** A 400 `invalid_request` whose details name `path` (and say why). */
function expectNamed(r: TestResponse, path: string): void {
  expect(r.status, r.text).toBe(400);
  expect(r.body.error.code).toBe('invalid_request');
  const detail = (r.body.error.details as Array<{ path: string; message: string }>).find((d) => d.path === path);
  expect(detail, `a detail naming ${path} in ${r.text}`).toBeDefined();
  expect(detail?.message).toContain(MESSAGE);
  expect(r.body.error.message).toContain(path);
}

describe('unstorable text is a 400 naming the field', () => {
  it('a workflow name and description, on create and on rename', async () => {
    for (const bad of Object.values(BAD)) {
      expectNamed(await t.call('POST', '/api/workflows', { key: ws.keys.editor, body: { name: bad } }), 'name');
      expectNamed(await t.call('POST', '/api/workflows', { key: ws.keys.editor, body: { name: 'Fine', description: bad } }), 'description');
      expectNamed(await t.call('PATCH', `/api/workflows/${workflowId}`, { key: ws.keys.editor, body: { name: bad } }), 'name');
    }
  });

  it('a draft node label (with the node it is on), and any string of a graph, keys included', async () => {
    const draft = await t.call('GET', `/api/workflows/${workflowId}/draft`, { key: ws.keys.editor });
    const graph = draft.body.graph as { nodes: Array<Record<string, unknown>> };
    const nodeId = graph.nodes[1]!.id as string;
    for (const bad of Object.values(BAD)) {
      const labelled = { ...graph, nodes: graph.nodes.map((n, i) => (i === 1 ? { ...n, label: bad } : n)) };
      const r = await t.call('PUT', `/api/workflows/${workflowId}/draft`, { key: ws.keys.editor, body: { graph: labelled, revision: draft.body.revision } });
      expectNamed(r, 'graph.nodes.1.label');
      expect(r.body.error.details[0].nodeId).toBe(nodeId);
    }
    const keyed = { ...graph, nodes: graph.nodes.map((n, i) => (i === 0 ? { ...n, config: { ...(n.config as object), ['x\u0000']: 1 } } : n)) };
    expectNamed(await t.call('PUT', `/api/workflows/${workflowId}/draft`, { key: ws.keys.editor, body: { graph: keyed, revision: draft.body.revision } }), 'graph.nodes.0.config.x\u0000');
    expectNamed(await t.call('POST', '/api/workflows', { key: ws.keys.editor, body: { name: 'With graph', graph: { ...graph, nodes: [{ ...graph.nodes[0], label: BAD.lone }, ...graph.nodes.slice(1)] } } }), 'graph.nodes.0.label');
    // Nothing was stored: the draft is the one read above.
    expect((await t.call('GET', `/api/workflows/${workflowId}/draft`, { key: ws.keys.editor })).body.revision).toBe(draft.body.revision);
  });

  it('a publish note, a golden lead name, a decision reason', async () => {
    expectNamed(await t.call('POST', `/api/workflows/${workflowId}/publish`, { key: ws.keys.publisher, body: { note: BAD.nul } }), 'note');
    expectNamed(await t.call('POST', `/api/workflows/${workflowId}/golden`, { key: ws.keys.editor, body: { name: BAD.lone, lead: { email: 'a@b.io' }, expect: { outcome: 'done' } } }), 'name');
    expectNamed(await t.call('POST', `/api/leads/00000000-0000-4000-8000-000000000000/accept`, { key: ws.keys.admin, body: { reason: BAD.nul } }), 'reason');
  });

  it('a rep name and note, a team name, a custom field label', async () => {
    expectNamed(await t.call('POST', '/api/reps', { key: ws.keys.admin, body: repBody('rep-bad', { name: BAD.nul }) }), 'name');
    expectNamed(await t.call('POST', '/api/reps', { key: ws.keys.admin, body: repBody('rep-bad', { outOfOffice: [{ from: '2030-01-01T00:00:00Z', until: '2030-01-02T00:00:00Z', note: BAD.loneLow }] }) }), 'outOfOffice.0.note');
    expectNamed(await t.call('POST', '/api/teams', { key: ws.keys.admin, body: { id: 'team-bad', name: BAD.lone, members: [] } }), 'name');
    expectNamed(await t.call('POST', '/api/fields', { key: ws.keys.admin, body: { key: 'budget', label: BAD.nul, type: 'text' } }), 'label');
  });

  it('sign-in email and password, a user name, a key name', async () => {
    for (const bad of Object.values(BAD)) {
      expectNamed(await t.call('POST', '/api/auth/login', { body: { email: bad, password: 'whatever it is' } }), 'email');
      expectNamed(await t.call('POST', '/api/auth/login', { body: { email: ws.admin.email, password: `pass${bad}word` } }), 'password');
    }
    expectNamed(await t.call('POST', '/api/users', { key: ws.keys.admin, body: { email: 'new@example.com', name: BAD.nul, role: 'viewer', password: 'long enough password' } }), 'name');
    expectNamed(await t.call('POST', '/api/keys', { key: ws.keys.admin, body: { name: BAD.lone, role: 'viewer' } }), 'name');
  });

  it('filters compared in SQL: a lead list assignee, an audit entity', async () => {
    expectNamed(await t.call('GET', '/api/leads?assignee=a%00b', { key: ws.keys.viewer }), 'assignee');
    expectNamed(await t.call('GET', '/api/audit?entityId=%00', { key: ws.keys.admin }), 'entityId');
  });
});

describe('a JSON body that is not UTF-8 is refused on every route', () => {
  // "Café" in Latin-1 (0xE9 alone is no UTF-8), a lone continuation byte, an overlong encoding of "/",
  // an encoded surrogate (ED A0 80) and a sequence cut short at the end.
  const bodies = [
    [0x7b, 0x22, 0x6e, 0x61, 0x6d, 0x65, 0x22, 0x3a, 0x22, 0x43, 0x61, 0x66, 0xe9, 0x22, 0x7d],
    [...new TextEncoder().encode('{"name":"a'), 0x80, 0x22, 0x7d],
    [...new TextEncoder().encode('{"name":"a'), 0xc0, 0xaf, 0x22, 0x7d],
    [...new TextEncoder().encode('{"name":"a'), 0xed, 0xa0, 0x80, 0x22, 0x7d],
    [...new TextEncoder().encode('{"name":"a"}'), 0xe2, 0x82],
  ].map((b) => new Uint8Array(b));

  const send = (method: string, path: string, key: string, body: Uint8Array) =>
    t.app.request(path, { method, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });

  it('answers 400 naming the body, and stores nothing', async () => {
    const routes: Array<[string, string, string]> = [
      ['POST', '/api/workflows', ws.keys.editor],
      ['PATCH', `/api/workflows/${workflowId}`, ws.keys.editor],
      ['POST', '/api/teams', ws.keys.admin],
      ['POST', '/api/keys', ws.keys.admin],
      ['POST', `/api/workflows/${workflowId}/simulate`, ws.keys.editor],
    ];
    for (const [method, path, key] of routes) {
      for (const body of bodies) {
        const res = await send(method, path, key, body);
        const json = (await res.json()) as { error: { code: string; message: string; details: Array<{ path: string }> } };
        expect(res.status, `${method} ${path}`).toBe(400);
        expect(json.error.code).toBe('malformed_json');
        expect(json.error.message).toContain('not valid UTF-8');
        expect(json.error.details[0]?.path).toBe('(body)');
      }
    }
    const list = await t.call('GET', '/api/workflows', { key: ws.keys.viewer });
    expect(list.status).toBe(200);
    expect(list.text).not.toMatch(/\ufffd|Caf/);
    const detail = await t.call('GET', `/api/workflows/${workflowId}`, { key: ws.keys.viewer });
    expect(detail.body.name).toBe('Inbound routing');
  });

  it('valid UTF-8 (accents, emoji) is still read as it was sent', async () => {
    const res = await send('POST', '/api/workflows', ws.keys.editor, new TextEncoder().encode('{"name":"Café – 😀"}'));
    expect(res.status).toBe(201);
    expect(((await res.json()) as { name: string }).name).toBe('Café – 😀');
    // And bad JSON that is valid UTF-8 is still plain malformed JSON.
    const bad = await send('POST', '/api/workflows', ws.keys.editor, new TextEncoder().encode('{"name":'));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string; message: string } }).error.message).toBe('The request body is not valid JSON.');
  });
});

import { hc } from 'hono/client';
import { describe, expect, it } from 'vitest';
import type { AppType } from './app';
import { setupTestApp } from './test/harness';

const t = setupTestApp();

// The web talks to the server only through hc<AppType>: these calls compile only if the route types flow
// from the server's zod schemas to the client, and run against the real app and database.
describe('typed client', () => {
  it('creates a workflow and reads its draft with types inferred from the routes', async () => {
    const ws = await t.workspace();
    const client = hc<AppType>('http://localhost', {
      fetch: (input: Request | string | URL, init?: RequestInit) => t.app.request(input instanceof Request ? input : String(input), init),
      headers: { authorization: `Bearer ${ws.keys.editor}` },
    });
    const created = await client.api.workflows.$post({ json: { name: 'Typed client' } });
    expect(created.status).toBe(201);
    if (created.status !== 201) return;
    const wf = await created.json();
    expect(wf.name).toBe('Typed client');

    const draft = await client.api.workflows[':id'].draft.$get({ param: { id: wf.id } });
    expect(draft.status).toBe(200);
    if (draft.status !== 200) return;
    const body = await draft.json();
    expect(body.revision).toBe(1);
    expect(Array.isArray(body.problems)).toBe(true);

    const health = await client.healthz.$get();
    expect(await health.json()).toEqual({ status: 'ok' });
  });
});

import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/harness';

const t = setupTestApp();

describe('health', () => {
  it('/healthz answers without credentials', async () => {
    const r = await t.call('GET', '/healthz');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ status: 'ok' });
  });

  it('/readyz says the database is up and Temporal is down, and why', async () => {
    const r = await t.call('GET', '/readyz');
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ ready: false, checks: { database: 'up', temporal: 'down' } });
    expect(r.body.problems[0]).toContain('outbox');
  });

  it('unknown routes get the error shape', async () => {
    const r = await t.call('GET', '/api/nope');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: { code: 'not_found', message: 'No route GET /api/nope.' } });
  });

  it('serves the OpenAPI document', async () => {
    const r = await t.call('GET', '/api/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    expect(Object.keys(r.body.paths)).toContain('/readyz');
  });
});

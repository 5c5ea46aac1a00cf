import { expect } from 'vitest';
import type { TestApp, TestResponse, TestWorkspace } from '../../test/harness';

/** A minimal valid rep body. */
export function repBody(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, name: `Rep ${id}`, email: `${id}@example.com`, timeZone: 'America/New_York', ...extra };
}

/** Calls as the workspace's admin key. */
export function asAdmin(t: TestApp, ws: TestWorkspace) {
  return (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    t.call(method, path, { key: ws.keys.admin, ...(body !== undefined ? (typeof body === 'string' ? { rawBody: body } : { body }) : {}), ...(headers ? { headers } : {}) });
}

/** Asserts a status, showing the body when it differs. */
export function expectStatus(r: TestResponse, status: number): void {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
}

/** Creates reps through the API. */
export async function createReps(t: TestApp, ws: TestWorkspace, ...ids: string[]): Promise<void> {
  for (const id of ids) expectStatus(await t.call('POST', '/api/reps', { key: ws.keys.admin, body: repBody(id) }), 201);
}

/**
 * Checks each role on one request: no credentials 401, ingest/viewer/editor/publisher as given (403 for
 * writes), admin the `admin` status. Returns nothing; fails the test on a mismatch.
 */
export async function expectRoles(
  t: TestApp,
  ws: TestWorkspace,
  request: { method: string; path: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  expected: { viewer: number; admin?: number },
): Promise<void> {
  const init = (key?: string) => ({
    ...(key ? { key } : {}),
    ...(request.body !== undefined ? { body: request.body } : {}),
    ...(request.rawBody !== undefined ? { rawBody: request.rawBody } : {}),
    ...(request.headers ? { headers: request.headers } : {}),
  });
  const anonymous = await t.call(request.method, request.path, init());
  expect(anonymous.status, `no credentials on ${request.method} ${request.path}`).toBe(401);
  expect(anonymous.body.error.code).toBe('unauthorized');
  const ingest = await t.call(request.method, request.path, init(ws.keys.ingest));
  expect(ingest.status, `ingest on ${request.method} ${request.path}`).toBe(403);
  const viewer = await t.call(request.method, request.path, init(ws.keys.viewer));
  expect(viewer.status, `viewer on ${request.method} ${request.path}: ${JSON.stringify(viewer.body)}`).toBe(expected.viewer);
  for (const role of ['editor', 'publisher'] as const) {
    const r = await t.call(request.method, request.path, init(ws.keys[role]));
    expect(r.status, `${role} on ${request.method} ${request.path}: ${JSON.stringify(r.body)}`).toBe(expected.viewer);
    if (r.status === 403) expect(r.body.error.code).toBe('forbidden');
  }
  if (expected.admin !== undefined) {
    const admin = await t.call(request.method, request.path, init(ws.keys.admin));
    expect(admin.status, `admin on ${request.method} ${request.path}: ${JSON.stringify(admin.body)}`).toBe(expected.admin);
  }
}

// Issue 14, items 3 and 4, on the real app and database: a body limit on every route enforced while the
// body streams in, only documented content types, same-origin checks for cookie sessions, security headers.
import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../test/harness';

const t = setupTestApp();
const MiB = 1024 * 1024;

/** A body of `total` bytes of JSON-ish text in 64 KiB chunks, counting what the server pulled. */
function streamingBody(total: number): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => sent };
}

async function signIn(): Promise<string> {
  const ws = await t.workspace();
  const r = await t.call('POST', '/api/auth/login', { body: { email: ws.admin.email, password: ws.admin.password }, headers: { 'sec-fetch-site': 'same-origin' } });
  expect(r.status).toBe(200);
  return (r.headers.get('set-cookie') ?? '').split(';')[0]!;
}

describe('body limit', () => {
  it('refuses a sign-in body over 1 MiB from its Content-Length, without reading it', async () => {
    const r = await t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(300 * MiB) }, body: '{}' });
    expect(r.status).toBe(413);
    const body = (await r.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('payload_too_large');
    expect(body.error.message).toContain('1 MiB');
  });

  it('stops reading a streamed body (no Content-Length) once it passes the limit', async () => {
    const { stream, pulled } = streamingBody(300 * MiB);
    const r = await t.app.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: stream, duplex: 'half' } as RequestInit);
    expect(r.status).toBe(413);
    // Read up to the limit and a chunk or two of read-ahead, never the 300 MiB.
    expect(pulled()).toBeLessThan(2 * MiB);
  });

  it('gives drafts 4 MiB and keeps 1 MiB elsewhere', async () => {
    const ws = await t.workspace();
    const big = JSON.stringify({ name: 'x'.repeat(2 * MiB) });
    const renamed = await t.call('POST', '/api/workflows', { key: ws.keys.editor, rawBody: big });
    expect(renamed.status).toBe(413);
    const wf = await t.call('POST', '/api/workflows', { key: ws.keys.editor, body: { name: 'Limits' } });
    const draft = await t.call('PUT', `/api/workflows/${wf.body.id}/draft`, { key: ws.keys.editor, rawBody: JSON.stringify({ graph: { note: 'x'.repeat(2 * MiB) } }) });
    // Over 1 MiB but under 4 MiB: read and refused by validation, not by size.
    expect(draft.status).not.toBe(413);
  });
});

describe('content types', () => {
  it('refuses a JSON route posted as text/plain or a form, naming the content type', async () => {
    const ws = await t.workspace();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const r = await t.call('POST', '/api/workflows', { key: ws.keys.editor, rawBody: '{"name":"From a form"}', headers: { 'content-type': type } });
      expect(r.status, type).toBe(415);
      expect(r.body.error.details[0]).toMatchObject({ path: 'content-type', code: 'unsupported_media_type' });
    }
    const lead = await t.call('POST', `/api/workflows/00000000-0000-4000-8000-000000000000/leads`, { key: ws.keys.ingest, rawBody: '{"email":"a@b.co"}', headers: { 'content-type': 'text/plain' } });
    expect(lead.status).toBe(415);
  });
});

describe('requests without a body', () => {
  it('lets a DELETE or POST through with no Content-Type when it has no body, as browsers send them', async () => {
    const ws = await t.workspace();
    const wf = await t.call('POST', '/api/workflows', { key: ws.keys.editor, body: { name: 'To archive' } });
    // What the Node adapter hands the app for a bodiless DELETE: an empty body stream, no Content-Length.
    const empty = new ReadableStream<Uint8Array>({ start: (c) => c.close() });
    const r = await t.app.request(`/api/workflows/${wf.body.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${ws.keys.publisher}` }, body: empty, duplex: 'half' } as RequestInit);
    expect(r.status, await r.clone().text()).toBeLessThan(300);
  });
});

describe('same-origin checks for cookie sessions (CSRF)', () => {
  it('refuses a state change a session cookie would authorise when it comes from another origin of the same site', async () => {
    const cookie = await signIn();
    const crossPort = await t.call('POST', '/api/workflows', { cookie, body: { name: 'Forged' }, headers: { origin: 'http://localhost:8081', 'sec-fetch-site': 'same-site' } });
    expect(crossPort.status).toBe(403);
    expect(crossPort.body.error.code).toBe('cross_origin_request');
    const originOnly = await t.call('POST', '/api/auth/logout', { cookie, headers: { origin: 'http://127.0.0.1:9999' } });
    expect(originOnly.status).toBe(403);
    // The session still works from our own pages.
    const ours = await t.call('POST', '/api/workflows', { cookie, body: { name: 'Ours' }, headers: { 'sec-fetch-site': 'same-origin' } });
    expect(ours.status).toBe(201);
    const sameOriginHeader = await t.call('POST', '/api/workflows', { cookie, body: { name: 'Ours too' }, headers: { origin: 'http://localhost' } });
    expect(sameOriginHeader.status).toBe(201);
  });

  it('leaves API keys and reads alone', async () => {
    const ws = await t.workspace();
    const withKey = await t.call('POST', '/api/workflows', { key: ws.keys.editor, body: { name: 'Scripted' }, headers: { origin: 'http://elsewhere.example' } });
    expect(withKey.status).toBe(201);
    const cookie = await signIn();
    const read = await t.call('GET', '/api/workflows', { cookie, headers: { origin: 'http://elsewhere.example', 'sec-fetch-site': 'cross-site' } });
    expect(read.status).toBe(200);
  });
});

describe('security headers', () => {
  it('forbids framing and sniffing, and sends a CSP on the app and the API', async () => {
    for (const path of ['/healthz', '/api/workflows']) {
      const r = await t.app.request(path);
      expect(r.headers.get('x-frame-options'), path).toBe('DENY');
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(r.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
    }
    // The API reference keeps its own, stricter policy.
    const docs = await t.app.request('/api/docs');
    expect(docs.headers.get('content-security-policy')).toContain("default-src 'none'");
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { setupTestApp } from '../test/harness';
import { resolveWebDist } from './web-assets';

const t = setupTestApp();
const dist = mkdtempSync(join(tmpdir(), 'web-dist-'));
const INDEX = '<!doctype html><html><body><div id="root"></div><script src="/assets/index-AbC123.js"></script></body></html>';
mkdirSync(join(dist, 'assets'));
writeFileSync(join(dist, 'index.html'), INDEX);
writeFileSync(join(dist, 'assets', 'index-AbC123.js'), 'console.log("app")');
writeFileSync(join(dist, 'assets', 'index-XyZ789.css'), 'body{margin:0}');
writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
writeFileSync(join(tmpdir(), 'web-assets-secret.txt'), 'outside');
afterAll(() => rmSync(dist, { recursive: true, force: true }));

const app = createApp({ ...t.deps, config: { ...t.deps.config, WEB_DIST: dist } });
const get = (path: string, headers: Record<string, string> = {}) => app.request(path, { headers });

describe('web assets', () => {
  it('serves index.html at / with revalidation', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(r.headers.get('cache-control')).toBe('no-cache');
    expect(await r.text()).toBe(INDEX);
  });

  it('serves hashed assets with their content type, cached for a year', async () => {
    const js = await get('/assets/index-AbC123.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log("app")');
    const css = await get('/assets/index-XyZ789.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const svg = await get('/favicon.svg');
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.headers.get('cache-control')).toBe('no-cache');
  });

  it('falls back to index.html for page paths the SPA routes', async () => {
    for (const path of ['/workflows', '/leads/8d3c5b1e-0000-4000-8000-000000000000', '/directory/reps']) {
      const r = await get(path, { accept: 'text/html' });
      expect(r.status, path).toBe(200);
      expect(await r.text(), path).toBe(INDEX);
    }
  });

  it('answers a missing asset with 404, not the app', async () => {
    const r = await get('/assets/index-Gone00.js', { accept: '*/*' });
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('leaves the API alone: unknown API routes stay JSON 404s, real ones still answer', async () => {
    const r = await get('/api/nope', { accept: 'text/html' });
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: { code: 'not_found', message: 'No route GET /api/nope.' } });
    const health = await get('/healthz');
    expect(await health.json()).toEqual({ status: 'ok' });
    const doc = await get('/api/openapi.json');
    expect(((await doc.json()) as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('never serves files outside the folder', async () => {
    for (const path of ['/../web-assets-secret.txt', '/%2e%2e/web-assets-secret.txt', '/assets/..%2f..%2fweb-assets-secret.txt']) {
      const r = await get(path, { accept: '*/*' });
      expect(await r.text(), path).not.toBe('outside');
    }
  });

  it('only answers GET and HEAD', async () => {
    const head = await app.request('/workflows', { method: 'HEAD', headers: { accept: 'text/html' } });
    expect(head.status).toBe(200);
    const post = await app.request('/workflows', { method: 'POST' });
    expect(post.status).toBe(404);
  });

  it('a WEB_DIST without index.html stops start-up naming the setting; no dist means the API alone', () => {
    const empty = mkdtempSync(join(tmpdir(), 'web-empty-'));
    try {
      expect(() => resolveWebDist(empty)).toThrow(/WEB_DIST: no index\.html/);
      expect(resolveWebDist(undefined, empty)).toBeNull();
      expect(resolveWebDist(undefined, dist)).toBe(dist);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

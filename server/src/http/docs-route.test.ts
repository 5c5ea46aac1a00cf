import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../test/harness';

const t = setupTestApp();

describe('GET /api/docs', () => {
  it('the OpenAPI document generates (recursive condition groups included) and lists these routes', async () => {
    const r = await t.call('GET', '/api/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.components.schemas.ConditionGroup).toMatchObject({ type: 'object', required: ['match', 'conditions'] });
    for (const path of ['/api/auth/login', '/api/auth/logout', '/api/auth/me', '/api/users', '/api/users/{id}', '/api/keys', '/api/keys/{id}', '/api/audit', '/api/docs']) {
      expect(Object.keys(r.body.paths)).toContain(path);
    }
  });

  it('serves a self-contained HTML page, without credentials, that lists every path and operation of the document', async () => {
    const doc = await t.call('GET', '/api/openapi.json');
    const r = await t.call('GET', '/api/docs');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    expect(r.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = r.text;
    expect(html.startsWith('<!doctype html>')).toBe(true);
    // Offline: no scripts and nothing fetched from elsewhere.
    expect(html).not.toMatch(/<script|<link|@import|https?:\/\/(?!lead-router)/i);
    const paths = Object.keys(doc.body.paths);
    expect(paths.length).toBeGreaterThan(8);
    for (const [path, item] of Object.entries(doc.body.paths as Record<string, Record<string, unknown>>)) {
      expect(html, path).toContain(`<span class="path">${path}</span>`);
      for (const method of Object.keys(item)) expect(html, `${method} ${path}`).toContain(`id="op-${method}-`);
    }
    // Grouped by tag, with the intro on auth and errors.
    for (const tag of ['auth', 'users', 'keys', 'audit']) expect(html).toContain(`<h2 class="tag" id="tag-${tag}">${tag}</h2>`);
    expect(html).toContain('Authorization: Bearer &lt;key&gt;');
    expect(html).toContain('lr_session');
    expect(html).toContain('HMAC');
    expect(html).toContain('<pre>{ "error": { "code": "invalid_request"');
  });

  it('shows parameters, request bodies and responses in nested form', async () => {
    const html = (await t.call('GET', '/api/docs')).text;
    const users = html.slice(html.indexOf('id="op-post-api-users"'), html.indexOf('</section>', html.indexOf('id="op-post-api-users"')));
    expect(users).toContain('<code>email</code> <span class="req">required</span>');
    expect(users).toContain('<code>repId</code> <span class="opt">optional</span>');
    expect(users).toContain('<code>role</code> <span class="req">required</span> <code>&quot;viewer&quot;</code> | <code>&quot;editor&quot;</code> | <code>&quot;publisher&quot;</code> | <code>&quot;admin&quot;</code>');
    expect(users).toContain('<span class="status s2">201</span>');
    expect(users).toContain('<span class="status s4">409</span>');
    const audit = html.slice(html.indexOf('id="op-get-api-audit"'), html.indexOf('</section>', html.indexOf('id="op-get-api-audit"')));
    expect(audit).toContain('<td><code>cursor</code></td><td>query</td>');
  });
});

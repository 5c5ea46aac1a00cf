import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { companies } from '@lead-router/db/schema';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { asAdmin, expectRoles, expectStatus } from './directory.fixtures';

const t = setupTestApp();
const CSV = { 'content-type': 'text/csv' };

describe('companies', () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await t.workspace();
  });

  it('PUT creates (201) then replaces (200) the row of a domain, stored bare and lower-case', async () => {
    const admin = asAdmin(t, ws);
    const created = await admin('PUT', '/api/companies/WWW.Acme.com', { name: 'Acme Corp', employees: 5200, annualRevenue: 900_000_000, industry: 'Manufacturing', country: 'US', technologies: ['Salesforce'] });
    expectStatus(created, 201);
    expect(created.body).toEqual({ domain: 'acme.com', name: 'Acme Corp', employees: 5200, annualRevenue: 900_000_000, industry: 'Manufacturing', country: 'US', technologies: ['Salesforce'] });
    const replaced = await admin('PUT', '/api/companies/acme.com', { domain: 'acme.com', name: 'Acme', employees: null });
    expectStatus(replaced, 200);
    expect(replaced.body).toEqual({ domain: 'acme.com', name: 'Acme' });
    expect((await t.call('GET', '/api/companies/ACME.com', { key: ws.keys.viewer })).body).toEqual({ domain: 'acme.com', name: 'Acme' });
  });

  it('validates the body by path: whole, non-negative numbers; a domain that is no domain; a different body domain', async () => {
    const admin = asAdmin(t, ws);
    const bad = await admin('PUT', '/api/companies/x.com', { employees: 10.5, annualRevenue: -1, technologies: 'Salesforce', extra: 1 });
    expectStatus(bad, 400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['(body)', 'annualRevenue', 'employees', 'technologies']);
    expect(bad.body.error.details.find((d: { path: string }) => d.path === 'employees').message).toBe('must be a whole number');
    const notDomain = await admin('PUT', '/api/companies/localhost', { name: 'L' });
    expectStatus(notDomain, 400);
    expect(notDomain.body.error.details).toEqual([{ path: 'domain', message: 'not a domain name such as acme.com' }]);
    const other = await admin('PUT', '/api/companies/x.com', { domain: 'y.com' });
    expectStatus(other, 400);
    expect(other.body.error.details[0].path).toBe('domain');
    expectStatus(await admin('GET', '/api/companies/x.com'), 404);
    expectStatus(await admin('GET', '/api/companies/localhost'), 404);
  });

  it('lists a page at a time by domain and searches domains; DELETE removes', async () => {
    const admin = asAdmin(t, ws);
    for (const d of ['beta.io', 'gamma.net', 'delta.de']) expectStatus(await admin('PUT', `/api/companies/${d}`, { name: d }), 201);
    const first = await t.call('GET', '/api/companies?limit=3', { key: ws.keys.viewer });
    expectStatus(first, 200);
    expect(first.body.items.map((c: { domain: string }) => c.domain)).toEqual(['acme.com', 'beta.io', 'delta.de']);
    expect(first.body.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const rest = await t.call('GET', `/api/companies?limit=3&cursor=${first.body.nextCursor}`, { key: ws.keys.viewer });
    expect(rest.body).toEqual({ items: [{ domain: 'gamma.net', name: 'gamma.net' }], nextCursor: null });
    expect((await admin('GET', '/api/companies?q=.IO')).body.items).toEqual([{ domain: 'beta.io', name: 'beta.io' }]);
    expectStatus(await admin('DELETE', '/api/companies/www.beta.io'), 204);
    expectStatus(await admin('DELETE', '/api/companies/beta.io'), 404);
  });

  it('roles and workspaces', async () => {
    await expectRoles(t, ws, { method: 'GET', path: '/api/companies' }, { viewer: 200 });
    await expectRoles(t, ws, { method: 'GET', path: '/api/companies/acme.com' }, { viewer: 200 });
    await expectRoles(t, ws, { method: 'PUT', path: '/api/companies/roles.com', body: { name: 'R' } }, { viewer: 403, admin: 201 });
    await expectRoles(t, ws, { method: 'DELETE', path: '/api/companies/roles.com' }, { viewer: 403, admin: 204 });
    await expectRoles(t, ws, { method: 'POST', path: '/api/companies/import', rawBody: 'domain\nroles.com\n', headers: CSV }, { viewer: 403, admin: 200 });
    const other = await t.workspace();
    expectStatus(await t.call('GET', '/api/companies/acme.com', { key: other.keys.viewer }), 404);
    expectStatus(await t.call('DELETE', '/api/companies/acme.com', { key: other.keys.admin }), 404);
    expect((await t.call('GET', '/api/companies', { key: other.keys.viewer })).body).toEqual({ items: [], nextCursor: null });
  });
});

describe('companies: CSV import', () => {
  let ws: TestWorkspace;
  const stored = async () => (await t.database.db.select().from(companies).where(eq(companies.workspaceId, ws.id)).orderBy(companies.domain)).map(({ workspaceId: _w, ...c }) => c);
  beforeAll(async () => {
    ws = await t.workspace();
    expectStatus(await asAdmin(t, ws)('PUT', '/api/companies/old.com', { name: 'Old', employees: 10 }), 201);
  });

  it('upserts every row in one transaction; a row replaces the stored one whole', async () => {
    const csv = [
      'Domain,Name,Employees,Annual Revenue,Industry,Country,Technologies',
      'https://www.Acme.com,Acme Corp,"5,200",900000000,Manufacturing,US,Salesforce; HubSpot',
      'old.com,Old Co,,,,,',
      'tiny.io,,3,1.2e6,,DE,',
    ].join('\n');
    const r = await asAdmin(t, ws)('POST', '/api/companies/import', csv, CSV);
    expectStatus(r, 200);
    expect(r.body).toEqual({ created: 2, updated: 1 });
    expect(await stored()).toEqual([
      { domain: 'acme.com', name: 'Acme Corp', employees: 5200, annualRevenue: 900000000, industry: 'Manufacturing', country: 'US', technologies: ['Salesforce', 'HubSpot'] },
      { domain: 'old.com', name: 'Old Co', employees: null, annualRevenue: null, industry: null, country: null, technologies: null },
      { domain: 'tiny.io', name: null, employees: 3, annualRevenue: 1200000, industry: null, country: 'DE', technologies: null },
    ]);
  });

  it('one bad row and nothing is written: every problem with its row and column', async () => {
    const before = await stored();
    const csv = [
      'domain,name,employees,annualRevenue',
      'new.com,New,10,100', // fine, must not be written
      'not a domain,X,ten,-5', // three problems
      'NEW.com,Again,1.5,', // duplicate domain, fractional employees
      ',Nameless,,', // missing domain
    ].join('\n');
    const r = await asAdmin(t, ws)('POST', '/api/companies/import', csv, CSV);
    expectStatus(r, 422);
    expect(r.body.error.code).toBe('invalid_import');
    expect(r.body.error.details).toEqual([
      { row: 2, column: 'domain', message: '"not a domain" is not a domain name such as acme.com', path: 'rows.2.domain' },
      { row: 2, column: 'employees', message: '"ten" is not a number', path: 'rows.2.employees' },
      { row: 2, column: 'annualRevenue', message: 'must be 0 or more', path: 'rows.2.annualRevenue' },
      { row: 3, column: 'domain', message: 'the domain "new.com" is already on row 1', path: 'rows.3.domain' },
      { row: 3, column: 'employees', message: 'must be a whole number', path: 'rows.3.employees' },
      { row: 4, column: 'domain', message: 'the domain is missing', path: 'rows.4.domain' },
    ]);
    expect(await stored()).toEqual(before);
  });

  it('reads semicolon- and tab-separated files too', async () => {
    const semi = await asAdmin(t, ws)('POST', '/api/companies/import', 'domain;name;employees\nsemi.de;Semi GmbH;"1,5"\n', CSV);
    expectStatus(semi, 422);
    expect(semi.body.error.details).toEqual([{ row: 1, column: 'employees', message: 'must be a whole number', path: 'rows.1.employees' }]);
    expectStatus(await asAdmin(t, ws)('POST', '/api/companies/import', 'domain;name;employees\nsemi.de;Semi GmbH;15\n', CSV), 200);
    expectStatus(await asAdmin(t, ws)('POST', '/api/companies/import', 'domain\tname\ntab.de\tTab AG\n', { 'content-type': 'text/tab-separated-values' }), 415);
    expectStatus(await asAdmin(t, ws)('POST', '/api/companies/import', 'domain\tname\ntab.de\tTab AG\n', { 'content-type': 'text/plain; charset=utf-8' }), 200);
    expect((await asAdmin(t, ws)('GET', '/api/companies/semi.de')).body).toEqual({ domain: 'semi.de', name: 'Semi GmbH', employees: 15 });
    expect((await asAdmin(t, ws)('GET', '/api/companies/tab.de')).body).toEqual({ domain: 'tab.de', name: 'Tab AG' });
  });

  it('a file with NUL characters (a spreadsheet, not CSV) is 400; so is such text in a JSON body', async () => {
    const r = await asAdmin(t, ws)('POST', '/api/companies/import', 'domain,name\nnul.com,PK\u0003\u0004\u0000\n', CSV);
    expectStatus(r, 400);
    expect(r.body.error.message).toContain('not a CSV text file');
    const put = await asAdmin(t, ws)('PUT', '/api/companies/nul.com', { technologies: ['a\u0000'] });
    expectStatus(put, 400);
    expect(put.body.error.details[0].path).toBe('technologies.0');
    expectStatus(await asAdmin(t, ws)('GET', '/api/companies?q=%00'), 400);
  });

  it('a missing domain column is a header problem; JSON is 415', async () => {
    const r = await asAdmin(t, ws)('POST', '/api/companies/import', 'name,employees\nX,1\n', CSV);
    expectStatus(r, 422);
    expect(r.body.error.details).toEqual([{ row: 0, column: 'domain', message: 'the column domain is missing', path: 'rows.0.domain' }]);
    expectStatus(await asAdmin(t, ws)('POST', '/api/companies/import', { domain: 'x.com' }), 415);
  });
});

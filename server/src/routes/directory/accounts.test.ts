import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { accounts, auditLog } from '@lead-router/db/schema';
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { asAdmin, createReps, expectRoles, expectStatus } from './directory.fixtures';

const t = setupTestApp();
const CSV = { 'content-type': 'text/csv' };

describe('accounts', () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await t.workspace();
    await createReps(t, ws, 'rep-ana', 'rep-bo');
  });

  it('stores domains bare, lower-case and once; viewers read the account', async () => {
    const r = await asAdmin(t, ws)('POST', '/api/accounts', { id: 'acct-acme', name: 'Acme', domains: ['https://www.Acme.com/about', 'ACME.io', 'acme.com.'], ownerId: 'rep-ana' });
    expectStatus(r, 201);
    expect(r.body).toEqual({ id: 'acct-acme', name: 'Acme', domains: ['acme.com', 'acme.io'], ownerId: 'rep-ana' });
    expect((await t.call('GET', '/api/accounts/acct-acme', { key: ws.keys.viewer })).body).toEqual(r.body);
    const noOwner = await asAdmin(t, ws)('POST', '/api/accounts', { id: 'acct-hooli', name: 'Hooli', domains: ['hooli.xyz'], ownerId: null });
    expectStatus(noOwner, 201);
    expect(noOwner.body.ownerId).toBeNull();
  });

  it('a domain that is no domain is 400 at its index; an unknown owner is 422 at ownerId', async () => {
    const bad = await asAdmin(t, ws)('POST', '/api/accounts', { id: 'acct-x', name: 'X', domains: ['x.com', 'not a domain', 'localhost'] });
    expectStatus(bad, 400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['domains.1', 'domains.2']);
    const ghost = await asAdmin(t, ws)('POST', '/api/accounts', { id: 'acct-x', name: 'X', ownerId: 'rep-ghost' });
    expectStatus(ghost, 422);
    expect(ghost.body.error.details).toEqual([{ path: 'ownerId', message: 'there is no rep "rep-ghost" in this workspace', code: 'unknown_rep' }]);
    expectStatus(await asAdmin(t, ws)('POST', '/api/accounts', { id: 'acct-acme', name: 'Again' }), 409);
  });

  it('keeps several domains and the last activity (a match tie-breaker); a last activity that is no instant is 400 at lastActivityAt', async () => {
    const admin = asAdmin(t, ws);
    const r = await admin('POST', '/api/accounts', { id: 'acct-multi', name: 'Multi S.A.', domains: ['multi.fr', 'multi.co.uk', 'eu.multi.com'], lastActivityAt: '2026-03-01T12:00:00+01:00' });
    expectStatus(r, 201);
    expect(r.body).toEqual({ id: 'acct-multi', name: 'Multi S.A.', domains: ['multi.fr', 'multi.co.uk', 'eu.multi.com'], ownerId: null, lastActivityAt: '2026-03-01T11:00:00.000Z' });
    const patched = await admin('PATCH', '/api/accounts/acct-multi', { name: 'Multi SA' });
    expect(patched.body.lastActivityAt).toBe('2026-03-01T11:00:00.000Z');
    const bad = await admin('PATCH', '/api/accounts/acct-multi', { lastActivityAt: 'last Tuesday' });
    expectStatus(bad, 400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path)).toEqual(['lastActivityAt']);
    expectStatus(await admin('DELETE', '/api/accounts/acct-multi'), 204);
  });

  it('PUT replaces, PATCH changes given fields, DELETE removes', async () => {
    const admin = asAdmin(t, ws);
    const put = await admin('PUT', '/api/accounts/acct-hooli', { name: 'Hooli Inc', domains: ['WWW.HOOLI.XYZ'], ownerId: 'rep-bo' });
    expectStatus(put, 200);
    expect(put.body).toEqual({ id: 'acct-hooli', name: 'Hooli Inc', domains: ['hooli.xyz'], ownerId: 'rep-bo' });
    const patch = await admin('PATCH', '/api/accounts/acct-hooli', { domains: ['hooli.com', 'https://hooli.xyz'] });
    expectStatus(patch, 200);
    expect(patch.body).toEqual({ id: 'acct-hooli', name: 'Hooli Inc', domains: ['hooli.com', 'hooli.xyz'], ownerId: 'rep-bo' });
    const badPatch = await admin('PATCH', '/api/accounts/acct-hooli', { domains: ['nope'] });
    expectStatus(badPatch, 400);
    expect(badPatch.body.error.details[0].path).toBe('domains.0');
    expectStatus(await admin('PATCH', '/api/accounts/acct-hooli', { ownerId: 'rep-none' }), 422);
    expectStatus(await admin('POST', '/api/accounts', { id: 'acct-tmp', name: 'Tmp' }), 201);
    expectStatus(await admin('DELETE', '/api/accounts/acct-tmp'), 204);
    expectStatus(await admin('DELETE', '/api/accounts/acct-tmp'), 404);
  });

  it('lists a page at a time by id, searching names and domains, filtering by owner', async () => {
    const admin = asAdmin(t, ws);
    for (const [id, name, domain] of [
      ['acct-a1', 'Alpha', 'alpha.com'],
      ['acct-a2', 'Beta', 'beta.io'],
      ['acct-a3', 'Gamma 100%', 'gamma.net'],
    ]) {
      expectStatus(await admin('POST', '/api/accounts', { id, name, domains: [domain], ownerId: 'rep-bo' }), 201);
    }
    const first = await t.call('GET', '/api/accounts?limit=2', { key: ws.keys.viewer });
    expectStatus(first, 200);
    expect(first.body.items.map((a: { id: string }) => a.id)).toEqual(['acct-a1', 'acct-a2']);
    // Opaque: the last id, encoded (services/cursor.ts).
    expect(first.body.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    const second = await t.call('GET', `/api/accounts?limit=2&cursor=${first.body.nextCursor}`, { key: ws.keys.viewer });
    expect(second.body.items.map((a: { id: string }) => a.id)).toEqual(['acct-a3', 'acct-acme']);
    const third = await t.call('GET', `/api/accounts?limit=2&cursor=${second.body.nextCursor}`, { key: ws.keys.viewer });
    expect(third.body).toEqual({ items: [expect.objectContaining({ id: 'acct-hooli' })], nextCursor: null });
    expect((await admin('GET', '/api/accounts?q=BETA')).body.items.map((a: { id: string }) => a.id)).toEqual(['acct-a2']);
    expect((await admin('GET', '/api/accounts?q=acme.io')).body.items.map((a: { id: string }) => a.id)).toEqual(['acct-acme']);
    expect((await admin('GET', '/api/accounts?q=100%25')).body.items.map((a: { id: string }) => a.id)).toEqual(['acct-a3']);
    expect((await admin('GET', '/api/accounts?ownerId=rep-ana')).body.items.map((a: { id: string }) => a.id)).toEqual(['acct-acme']);
    const bad = await admin('GET', '/api/accounts?limit=0');
    expectStatus(bad, 400);
    expect(bad.body.error.details[0].path).toBe('limit');
  });

  it('roles and workspaces', async () => {
    await expectRoles(t, ws, { method: 'GET', path: '/api/accounts' }, { viewer: 200 });
    await expectRoles(t, ws, { method: 'GET', path: '/api/accounts/acct-acme' }, { viewer: 200 });
    await expectRoles(t, ws, { method: 'POST', path: '/api/accounts', body: { id: 'acct-r', name: 'R' } }, { viewer: 403, admin: 201 });
    await expectRoles(t, ws, { method: 'PUT', path: '/api/accounts/acct-r', body: { name: 'R2' } }, { viewer: 403, admin: 200 });
    await expectRoles(t, ws, { method: 'PATCH', path: '/api/accounts/acct-r', body: { name: 'R3' } }, { viewer: 403, admin: 200 });
    await expectRoles(t, ws, { method: 'DELETE', path: '/api/accounts/acct-r' }, { viewer: 403, admin: 204 });
    await expectRoles(t, ws, { method: 'POST', path: '/api/accounts/import', rawBody: 'id,name\nacct-r,R\n', headers: CSV }, { viewer: 403, admin: 200 });
    const other = await t.workspace();
    expectStatus(await t.call('GET', '/api/accounts/acct-acme', { key: other.keys.viewer }), 404);
    expectStatus(await t.call('PATCH', '/api/accounts/acct-acme', { key: other.keys.admin, body: { name: 'Mine' } }), 404);
    expect((await t.call('GET', '/api/accounts', { key: other.keys.viewer })).body.items).toEqual([]);
  });
});

describe('accounts: CSV import', () => {
  let ws: TestWorkspace;
  const stored = async () =>
    (await t.database.db.select().from(accounts).where(eq(accounts.workspaceId, ws.id)).orderBy(accounts.id)).map((a) => ({ id: a.id, name: a.name, domains: a.domains, ownerId: a.ownerId }));
  beforeAll(async () => {
    ws = await t.workspace();
    await createReps(t, ws, 'rep-ana', 'rep-bo');
    expectStatus(await asAdmin(t, ws)('POST', '/api/accounts', { id: 'acct-old', name: 'Old name', domains: ['old.com'], ownerId: 'rep-bo' }), 201);
  });

  it('upserts every row in one go: owners by id or email, domains split by ; or spaces', async () => {
    const csv = ['id,name,domains,owner', 'acct-acme,Acme Corp,acme.com;www.Acme.io,rep-ana', 'acct-old,New name,old.com new.com,REP-BO@example.com', '"acct-q","Quoted, Inc",,', ''].join('\r\n');
    const r = await asAdmin(t, ws)('POST', '/api/accounts/import', csv, CSV);
    expectStatus(r, 200);
    expect(r.body).toEqual({ created: 2, updated: 1 });
    expect(await stored()).toEqual([
      { id: 'acct-acme', name: 'Acme Corp', domains: ['acme.com', 'acme.io'], ownerId: 'rep-ana' },
      { id: 'acct-old', name: 'New name', domains: ['old.com', 'new.com'], ownerId: 'rep-bo' },
      { id: 'acct-q', name: 'Quoted, Inc', domains: [], ownerId: null },
    ]);
    const audits = await t.database.db.select().from(auditLog).where(and(eq(auditLog.workspaceId, ws.id), eq(auditLog.action, 'account.import')));
    expect(audits).toHaveLength(1);
    expect(audits[0]?.details).toEqual({ created: 2, updated: 1, rows: 3 });
  });

  it('header names match whatever their case and spacing; optional columns may be left out', async () => {
    const r = await asAdmin(t, ws)('POST', '/api/accounts/import', 'ID,Account Name\nacct-min,Minimal\n', CSV);
    expectStatus(r, 200);
    expect(r.body).toEqual({ created: 1, updated: 0 });
  });

  it('one bad row and nothing is written: a 422 lists every row problem with row, column and message', async () => {
    const before = await stored();
    const csv = [
      'id,name,domains,owner',
      'acct-good,Good,good.com,rep-ana', // row 1: fine, but must not be written
      'acct-old,Changed,,rep-ana', // row 2: fine, an update that must not happen
      'bad id,,not-a-domain,rep-ghost', // row 3: four problems
      'acct-good,Twice,,', // row 4: id already on row 1
      'acct-short,Short', // row 5: too few cells
    ].join('\n');
    const r = await asAdmin(t, ws)('POST', '/api/accounts/import', csv, CSV);
    expectStatus(r, 422);
    expect(r.body.error.code).toBe('invalid_import');
    expect(r.body.error.message).toBe('The accounts file has 6 problems in 3 rows; nothing was imported. Rows are counted from 1 at the first line after the header.');
    expect(r.body.error.details).toEqual([
      { row: 3, column: 'owner', message: '"rep-ghost" is neither the id nor the email of a rep in this workspace', path: 'rows.3.owner' },
      { row: 3, column: 'id', message: 'use letters, digits and _ . : - (max 64)', path: 'rows.3.id' },
      { row: 3, column: 'name', message: 'Too small: expected string to have >=1 characters', path: 'rows.3.name' },
      { row: 3, column: 'domains', message: 'item 1: "not-a-domain" is not a domain name such as acme.com', path: 'rows.3.domains' },
      { row: 4, column: 'id', message: 'the id "acct-good" is already on row 1', path: 'rows.4.id' },
      { row: 5, column: null, message: 'row 5 has 2 values but the header has 4 columns', path: 'rows.5' },
    ]);
    expect(await stored()).toEqual(before);
  });

  it('unknown, doubled or missing columns are header (row 0) problems', async () => {
    const r = await asAdmin(t, ws)('POST', '/api/accounts/import', 'id,ownr,owner,Owner\nacct-x,a,b,c\n', CSV);
    expectStatus(r, 422);
    expect(r.body.error.details).toEqual([
      { row: 0, column: 'ownr', message: 'unknown column "ownr"; the columns are id, name, domains, owner', path: 'rows.0.ownr' },
      { row: 0, column: 'Owner', message: 'the column owner appears twice', path: 'rows.0.Owner' },
      { row: 0, column: 'name', message: 'the column name is missing', path: 'rows.0.name' },
    ]);
    const empty = await asAdmin(t, ws)('POST', '/api/accounts/import', '', CSV);
    expectStatus(empty, 422);
    expect(empty.body.error.details[0]).toMatchObject({ row: 0, message: 'the file is empty; its first line must name the columns (id, name, domains, owner)' });
  });

  it('an owner email two reps share is ambiguous; a rep of another workspace is unknown', async () => {
    expectStatus(await asAdmin(t, ws)('POST', '/api/reps', { id: 'rep-ana2', name: 'Ana again', email: 'REP-ANA@example.com', timeZone: 'UTC' }), 201);
    const other = await t.workspace();
    await createReps(t, other, 'rep-zed');
    const r = await asAdmin(t, ws)('POST', '/api/accounts/import', 'id,name,owner\nacct-1,One,rep-ana@example.com\nacct-2,Two,rep-zed\n', CSV);
    expectStatus(r, 422);
    expect(r.body.error.details).toEqual([
      { row: 1, column: 'owner', message: '2 reps have the email rep-ana@example.com (rep-ana, rep-ana2); give the rep id instead', path: 'rows.1.owner' },
      { row: 2, column: 'owner', message: '"rep-zed" is neither the id nor the email of a rep in this workspace', path: 'rows.2.owner' },
    ]);
  });

  it('anything but CSV is 415; more than 5 MiB is 413; neither writes', async () => {
    const json = await asAdmin(t, ws)('POST', '/api/accounts/import', { id: 'acct-j', name: 'J' });
    expectStatus(json, 415);
    expect(json.body.error.code).toBe('unsupported_media_type');
    const big = `id,name\n${'acct-big,Big\n'.repeat(Math.ceil((5 * 1024 * 1024) / 13) + 10)}`;
    const tooBig = await asAdmin(t, ws)('POST', '/api/accounts/import', big, CSV);
    expectStatus(tooBig, 413);
    expect(tooBig.body.error.code).toBe('payload_too_large');
    const declared = await asAdmin(t, ws)('POST', '/api/accounts/import', 'id,name\n', { ...CSV, 'content-length': String(6 * 1024 * 1024) });
    expectStatus(declared, 413);
    expectStatus(await asAdmin(t, ws)('GET', '/api/accounts/acct-big'), 404);
  });
});

// Issue 14, item 8: a forged or impossible cursor is a 400 naming `cursor` on every paged listing, never a
// 500 (a February 30th used to reach PostgreSQL), and pages still follow each other through nextCursor.
// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestWorkspace } from '../test/harness';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestLead, createTestWorkflow } from '../routes/leads/leads.fixtures';
import { accountCursor, auditCursor, companyCursor, INVALID_CURSOR_MESSAGE, isMicrosInstant, leadCursor } from './cursor';

const t = setupTestApp();
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const uuid = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('the cursor codec', () => {
  it('round-trips what it writes', () => {
    const c = leadCursor.encode('2026-01-06T15:00:00.123456Z', uuid);
    expect(leadCursor.decode(c)).toEqual(['2026-01-06T15:00:00.123456Z', uuid]);
    expect(auditCursor.decode(auditCursor.encode('42'))).toEqual(['42']);
    expect(accountCursor.decode(accountCursor.encode('acct-acme'))).toEqual(['acct-acme']);
    expect(companyCursor.decode(companyCursor.encode('acme.com'))).toEqual(['acme.com']);
  });

  it('knows real instants from impossible ones', () => {
    for (const ok of ['2026-01-06T15:00:00.123456Z', '2024-02-29T23:59:59.999999Z', '0001-01-01T00:00:00.000000Z', '9999-12-31T23:59:59.999999Z']) expect(isMicrosInstant(ok), ok).toBe(true);
    for (const bad of ['2026-02-30T00:00:00.000000Z', '2025-02-29T00:00:00.000000Z', '2026-04-31T00:00:00.000000Z', '2026-13-01T00:00:00.000000Z', '2026-01-01T24:00:00.000000Z', '2026-01-01T23:60:00.000000Z', '2026-01-01T23:59:60.000000Z', '0000-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000Z', '2026-01-01 00:00:00.000000Z', 42]) {
      expect(isMicrosInstant(bad), String(bad)).toBe(false);
    }
  });

  it('refuses forged, damaged, foreign and non-canonical cursors', () => {
    const good = leadCursor.encode('2026-01-06T15:00:00.123456Z', uuid);
    for (const bad of [
      '',
      'bm9wZQ',
      `${good}=`,
      `${good}!`,
      good.slice(0, -2),
      b64(['leads', '2026-02-30T00:00:00.000000Z', uuid]),
      b64(['2026-02-30T00:00:00.000000Z', uuid]),
      b64(['leads', '2026-01-06T15:00:00.123456Z', 'not-a-uuid']),
      b64(['leads', '2026-01-06T15:00:00.123456Z', uuid, 'extra']),
      b64(['audit', '2026-01-06T15:00:00.123456Z', uuid]),
      Buffer.from(JSON.stringify(['leads', '2026-01-06T15:00:00.123456Z', uuid], null, 1)).toString('base64url'),
      Buffer.from([0xff, 0xfe, 0x22]).toString('base64url'),
      'A'.repeat(600),
    ]) {
      expect(leadCursor.decode(bad), bad).toBeNull();
    }
    expect(auditCursor.decode(b64(['audit', 42]))).toBeNull();
    expect(auditCursor.decode(b64(['audit', '0']))).toBeNull();
    expect(auditCursor.decode(b64(['audit', '1'.repeat(19)]))).toBeNull();
    expect(accountCursor.decode(b64(['accounts', 'a\u0000b']))).toBeNull();
    expect(accountCursor.decode(companyCursor.encode('acme.com'))).toBeNull();
    for (const d of ['\ud800', 'Acme.com', 'www.acme.com', 'acme.com.', 'http://acme.com', '']) expect(companyCursor.decode(b64(['companies', d])), d).toBeNull();
  });
});

describe('every paged listing', () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await t.workspace();
    const wf = await createTestWorkflow(t.database.db, ws.id);
    for (let i = 0; i < 3; i++) await createTestLead(t.database.db, wf, ws.id, { email: `lead${i}@example.com` });
    for (const id of ['acct-a', 'acct-b', 'acct-c']) expect((await t.call('POST', '/api/accounts', { key: ws.keys.admin, body: { id, name: id } })).status).toBe(201);
    for (const domain of ['a.com', 'b.com', 'c.com']) expect((await t.call('PUT', `/api/companies/${domain}`, { key: ws.keys.admin, body: { name: domain } })).status).toBe(201);
  });

  const lists = [
    { path: '/api/leads', role: 'viewer' as const, kind: 'leads' },
    { path: '/api/audit', role: 'admin' as const, kind: 'audit' },
    { path: '/api/accounts', role: 'viewer' as const, kind: 'accounts' },
    { path: '/api/companies', role: 'viewer' as const, kind: 'companies' },
  ];

  it('pages through with nextCursor', async () => {
    for (const { path, role } of lists) {
      let cursor: string | null = null;
      let pages = 0;
      let rows = 0;
      do {
        const q: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
        const r = await t.call('GET', `${path}${q}`, { key: ws.keys[role] });
        expect(r.status, `${path}${q}: ${r.text}`).toBe(200);
        rows += r.body.items.length;
        cursor = r.body.nextCursor;
        pages++;
      } while (cursor && pages < 20);
      expect(rows, path).toBeGreaterThanOrEqual(3);
      expect(pages, path).toBeGreaterThanOrEqual(2);
    }
  });

  it('a forged or impossible cursor is a 400 naming cursor, never a 500', async () => {
    const forged = [
      // The old leads cursor with a February 30th: PostgreSQL refused it, and the API answered 500.
      b64(['2026-02-30T00:00:00.000000Z', randomUUID()]),
      b64(['leads', '2026-02-30T00:00:00.000000Z', randomUUID()]),
      b64(['audit', '2026-02-30']),
      b64(['accounts', '2026-02-30 ']),
      b64(['companies', '2026-02-30T00:00:00.000000Z']),
      '2026-02-30',
      'acct-b',
      'b.com',
      '99',
      '%00',
      'x'.repeat(1000),
    ];
    for (const { path, role, kind } of lists) {
      for (const cursor of forged) {
        const r = await t.call('GET', `${path}?cursor=${cursor === '%00' ? cursor : encodeURIComponent(cursor)}`, { key: ws.keys[role] });
        expect(r.status, `${path} ${cursor}: ${r.text}`).toBe(400);
        expect(r.body.error.code).toBe('invalid_request');
        expect(r.body.error.details).toEqual([expect.objectContaining({ path: 'cursor', message: INVALID_CURSOR_MESSAGE })]);
      }
      // Another listing's cursor is not this one's.
      const other = lists.find((l) => l.kind !== kind)!;
      const page = await t.call('GET', `${other.path}?limit=1`, { key: ws.keys.admin });
      const r = await t.call('GET', `${path}?cursor=${page.body.nextCursor}`, { key: ws.keys[role] });
      expect(r.status, `${path} with a ${other.kind} cursor`).toBe(400);
    }
  });
});

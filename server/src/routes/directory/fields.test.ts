// The app first: @hono/zod-openapi must extend zod before shared's schemas are built (see the report).
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { FIELD_TYPES, STANDARD_FIELDS, operatorsFor } from '@lead-router/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import { asAdmin, expectRoles, expectStatus } from './directory.fixtures';

const t = setupTestApp();

describe('fields', () => {
  let ws: TestWorkspace;
  beforeAll(async () => {
    ws = await t.workspace();
  });

  it('the catalog lists standard fields (with system flags) and the operators of every type', async () => {
    const r = await t.call('GET', '/api/fields', { key: ws.keys.viewer });
    expectStatus(r, 200);
    expect(r.body.fields).toHaveLength(STANDARD_FIELDS.length);
    expect(r.body.fields[0]).toEqual({ key: 'id', label: 'External id', type: 'text', standard: true, system: false, description: STANDARD_FIELDS[0]?.description });
    expect(r.body.fields.find((f: { key: string }) => f.key === 'employees')).toEqual({ key: 'employees', label: 'Employees', type: 'number', standard: true, system: false });
    expect(r.body.fields.find((f: { key: string }) => f.key === 'score')).toMatchObject({ standard: true, system: true });
    expect(Object.keys(r.body.operators).sort()).toEqual([...FIELD_TYPES].sort());
    for (const type of FIELD_TYPES) expect(r.body.operators[type]).toEqual(operatorsFor(type));
    expect(r.body.operators.number).toContain('gt');
    expect(r.body.operators.text).not.toContain('gt');
  });

  it('admins declare custom fields; they follow the standard ones in declaration order', async () => {
    const admin = asAdmin(t, ws);
    const budget = await admin('POST', '/api/fields', { key: 'budget', label: 'Budget', type: 'number', description: 'Stated budget in USD' });
    expectStatus(budget, 201);
    expect(budget.body).toEqual({ key: 'budget', label: 'Budget', type: 'number', standard: false, system: false, description: 'Stated budget in USD' });
    const timeline = await admin('POST', '/api/fields', { key: 'timeline', label: 'Purchase timeline', type: 'picklist', options: ['This quarter', 'Later'] });
    expectStatus(timeline, 201);
    const r = await t.call('GET', '/api/fields', { key: ws.keys.viewer });
    expect(r.body.fields.slice(STANDARD_FIELDS.length)).toEqual([
      budget.body,
      { key: 'timeline', label: 'Purchase timeline', type: 'picklist', options: ['This quarter', 'Later'], standard: false, system: false },
    ]);
  });

  it('a standard key (in any case) or a declared key is 409; invalid declarations are 400 by path', async () => {
    const admin = asAdmin(t, ws);
    const std = await admin('POST', '/api/fields', { key: 'email', label: 'Mail', type: 'text' });
    expectStatus(std, 409);
    expect(std.body.error.code).toBe('standard_field');
    expect(std.body.error.details).toEqual([{ path: 'key', message: '"email" is a standard field' }]);
    expectStatus(await admin('POST', '/api/fields', { key: 'Employees', label: 'Staff', type: 'number' }), 409);
    const dup = await admin('POST', '/api/fields', { key: 'budget', label: 'Budget 2', type: 'number' });
    expectStatus(dup, 409);
    expect(dup.body.error.code).toBe('duplicate_key');
    const bad = await admin('POST', '/api/fields', { key: '1st', label: '', type: 'currency' });
    expectStatus(bad, 400);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['key', 'label', 'type']);
    const picklist = await admin('POST', '/api/fields', { key: 'tier', label: 'Tier', type: 'picklist' });
    expectStatus(picklist, 400);
    expect(picklist.body.error.details).toEqual([{ path: 'options', message: 'a picklist needs at least one option', code: 'custom' }]);
  });

  it('DELETE removes a custom field; a standard one is 409; an unknown one 404', async () => {
    const admin = asAdmin(t, ws);
    expectStatus(await admin('POST', '/api/fields', { key: 'temp', label: 'Temp', type: 'boolean' }), 201);
    expectStatus(await admin('DELETE', '/api/fields/temp'), 204);
    expectStatus(await admin('DELETE', '/api/fields/temp'), 404);
    expectStatus(await admin('DELETE', `/api/fields/${encodeURIComponent('no such key!')}`), 404);
    const std = await admin('DELETE', '/api/fields/email');
    expectStatus(std, 409);
    expect(std.body.error.code).toBe('standard_field');
    expect((await admin('GET', '/api/fields')).body.fields.some((f: { key: string }) => f.key === 'temp')).toBe(false);
  });

  it('roles and workspaces', async () => {
    await expectRoles(t, ws, { method: 'GET', path: '/api/fields' }, { viewer: 200 });
    await expectRoles(t, ws, { method: 'POST', path: '/api/fields', body: { key: 'roleField', label: 'R', type: 'text' } }, { viewer: 403, admin: 201 });
    await expectRoles(t, ws, { method: 'DELETE', path: '/api/fields/roleField' }, { viewer: 403, admin: 204 });
    const other = await t.workspace();
    const r = await t.call('GET', '/api/fields', { key: other.keys.viewer });
    expect(r.body.fields).toHaveLength(STANDARD_FIELDS.length);
    expectStatus(await t.call('DELETE', '/api/fields/budget', { key: other.keys.admin }), 404);
    expectStatus(await t.call('POST', '/api/fields', { key: other.keys.admin, body: { key: 'budget', label: 'Budget', type: 'text' } }), 201);
  });
});

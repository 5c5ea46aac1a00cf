import type { DirectoryInput } from '@lead-router/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaces } from '@lead-router/db/schema';
import { loadDirectory } from '@lead-router/db/directory-snapshot';
import { createActivities } from './index';
import { createTestDatabase, createWorkspace, seedDirectory, type TestDatabase } from '../test/test-db';

// Issue #16: a rep's holiday calendar survives the database (own, none, the workspace's), a loaded
// directory carries the holidays of the calendars in use, and the workCalendar activity hands the workflow
// the assignee's calendar as plain data (the workspace's for a queue).

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase({ max: 4 });
}, 60_000);
afterAll(async () => {
  await database?.drop();
});

const rep = (id: string, extra: object) => ({ id, name: `Rep ${id}`, email: `${id}@example.com`, timeZone: 'Europe/Berlin', ...extra });
const dir: DirectoryInput = {
  reps: [rep('de', {}), rep('us', { timeZone: 'America/New_York', holidayCalendar: { country: 'US', region: 'NY' } }), rep('none', { holidayCalendar: null })],
  queues: [{ id: 'q', name: 'Queue' }],
};

describe('holiday calendars through the database and the workCalendar activity', () => {
  it('round-trips, resolves holidays at load, and answers calendars', async () => {
    const { workspaceId } = await createWorkspace(database.db);
    await seedDirectory(database.db, workspaceId, dir);
    await database.db
      .update(workspaces)
      .set({ settings: { timeZone: 'Europe/Berlin', holidayCalendar: { country: 'DE' }, daysOff: [{ date: '2026-12-31', name: 'Year end' }] } })
      .where(eq(workspaces.id, workspaceId));

    const loaded = await loadDirectory(database.db, workspaceId);
    expect(Object.fromEntries(loaded.reps.map((r) => [r.id, r.holidayCalendar]))).toEqual({ de: undefined, us: { country: 'US', region: 'NY' }, none: null });
    expect('holidayCalendar' in (loaded.reps.find((r) => r.id === 'de') ?? {})).toBe(false);
    const year = new Date().getUTCFullYear();
    expect(Object.keys(loaded.holidays ?? {}).sort()).toEqual(['DE', 'US-NY']);
    expect(loaded.holidays?.['DE']?.find((h) => h.date === `${year}-10-03`)?.name).toBe('Tag der Deutschen Einheit');
    expect(loaded.holidays?.['DE']?.some((h) => h.date === `${year + 1}-10-03`)).toBe(true);

    const acts = createActivities({ db: database.db });
    const ref = { workspaceId, workflowId: 'lead-x' };
    const de = await acts.workCalendar({ ...ref, assignee: { type: 'rep', id: 'de', name: 'Rep de' } });
    expect(de).toMatchObject({ owner: 'Rep de', timeZone: 'Europe/Berlin', holidays: 'DE', workingHours: null });
    expect(de.closed).toContainEqual({ date: '2026-12-31', reason: 'company day off: Year end' });
    expect(de.closed).toContainEqual({ date: `${year}-10-03`, reason: 'public holiday: Tag der Deutschen Einheit (DE)' });
    const us = await acts.workCalendar({ ...ref, assignee: { type: 'rep', id: 'us', name: 'Rep us' } });
    expect(us.holidays).toBe('US-NY');
    expect(us.closed.some((c) => c.reason.includes('Thanksgiving'))).toBe(true);
    const none = await acts.workCalendar({ ...ref, assignee: { type: 'rep', id: 'none', name: 'Rep none' } });
    expect(none.closed).toEqual([{ date: '2026-12-31', reason: 'company day off: Year end' }]);
    const queue = await acts.workCalendar({ ...ref, assignee: { type: 'queue', id: 'q', name: 'Queue' } });
    expect(queue).toMatchObject({ owner: 'the workspace', timeZone: 'Europe/Berlin', holidays: 'DE', workingHours: { mon: [{ start: '09:00', end: '17:00' }] } });
  }, 60_000);
});

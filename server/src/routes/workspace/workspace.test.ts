// The app first: it loads @hono/zod-openapi before any shared zod schema is built.
import { setupTestApp, type TestWorkspace } from '../../test/harness';
import { loadDirectory } from '@lead-router/db/directory-snapshot';
import { beforeAll, describe, expect, it } from 'vitest';

const t = setupTestApp();
let ws: TestWorkspace;
beforeAll(async () => {
  ws = await t.workspace();
});

const good = () => ({ timeZone: 'Europe/Berlin', holidayCalendar: { country: 'DE', region: 'BY' }, daysOff: [{ date: '2026-12-24', name: 'Christmas Eve' }, { date: '2026-07-03', name: 'Summer party' }] });

describe('workspace settings', () => {
  it('any member reads them (defaults before anyone sets them); only admins change them', async () => {
    expect((await t.call('GET', '/api/workspace/settings')).status).toBe(401);
    const r = await t.call('GET', '/api/workspace/settings', { key: ws.keys.viewer });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ timeZone: 'UTC', holidayCalendar: null, daysOff: [] });
    for (const role of ['viewer', 'editor', 'publisher'] as const) expect((await t.call('PUT', '/api/workspace/settings', { key: ws.keys[role], body: good() })).status).toBe(403);
  });

  it('an admin sets them: stored (days off by date), read back, in the directory snapshot, audited', async () => {
    const r = await t.call('PUT', '/api/workspace/settings', { key: ws.keys.admin, body: good() });
    expect(r.status).toBe(200);
    expect(r.body.daysOff.map((d: { date: string }) => d.date)).toEqual(['2026-07-03', '2026-12-24']);
    expect((await t.call('GET', '/api/workspace/settings', { key: ws.keys.editor })).body).toEqual(r.body);
    expect((await loadDirectory(t.database.db, ws.id)).settings).toEqual(r.body);
    const audit = await t.call('GET', '/api/audit', { key: ws.keys.admin });
    const entry = audit.body.items.find((e: { action: string }) => e.action === 'workspace.settings.update');
    expect(entry.details.after.holidayCalendar).toEqual({ country: 'DE', region: 'BY' });
  });

  it('bad input is refused with 400 naming each field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...good(), timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ ...good(), holidayCalendar: { country: 'de' } }, 'holidayCalendar.country'],
      [{ ...good(), holidayCalendar: { country: 'XX' } }, 'holidayCalendar.country'],
      [{ ...good(), holidayCalendar: { country: 'DE', region: 'CA' } }, 'holidayCalendar.region'],
      [{ ...good(), daysOff: [{ date: '2026-02-30', name: 'x' }] }, 'daysOff.0.date'],
      [{ ...good(), daysOff: [{ date: '2026-05-01', name: '' }] }, 'daysOff.0.name'],
      [{ ...good(), daysOff: [{ date: '2026-05-01', name: 'a' }, { date: '2026-05-01', name: 'b' }] }, 'daysOff.1.date'],
      [{ ...good(), colour: 'red' }, 'colour'],
    ];
    for (const [body, path] of cases) {
      const r = await t.call('PUT', '/api/workspace/settings', { key: ws.keys.admin, body });
      expect(r.status, JSON.stringify(body)).toBe(400);
      // An unknown key is named in the message (zod reports it on the body itself).
      expect(`${r.body.error.details.map((d: { path: string }) => d.path).join(' ')} ${r.body.error.message}`, JSON.stringify(r.body)).toContain(path);
    }
  });
});

describe('holiday calendars', () => {
  it('lists countries and a country’s regions; an unknown country is 404', async () => {
    const c = await t.call('GET', '/api/holiday-calendars', { key: ws.keys.viewer });
    expect(c.status).toBe(200);
    expect(c.body.countries).toContainEqual({ code: 'DE', name: 'Germany' });
    const r = await t.call('GET', '/api/holiday-calendars/DE/regions', { key: ws.keys.viewer });
    expect(r.body.regions).toContainEqual({ code: 'BY', name: 'Bayern' });
    expect((await t.call('GET', '/api/holiday-calendars/XX/regions', { key: ws.keys.viewer })).status).toBe(404);
    expect((await t.call('GET', '/api/holiday-calendars')).status).toBe(401);
  });

  it('lists a calendar’s next public holidays: Bavaria has Epiphany, Berlin does not', async () => {
    const by = await t.call('GET', '/api/holiday-calendars/DE/upcoming?region=BY&from=2026-01-02&limit=3', { key: ws.keys.viewer });
    expect(by.status).toBe(200);
    expect(by.body.holidays[0]).toEqual({ date: '2026-01-06', name: 'Epiphany' });
    expect(by.body.holidays).toHaveLength(3);
    const be = await t.call('GET', '/api/holiday-calendars/DE/upcoming?region=BE&from=2026-01-02&limit=3', { key: ws.keys.viewer });
    expect(be.body.holidays.map((h: { date: string }) => h.date)).not.toContain('2026-01-06');
    // Across the year end: from late December it goes on into the next year.
    const dec = await t.call('GET', '/api/holiday-calendars/DE/upcoming?from=2026-12-27&limit=2', { key: ws.keys.viewer });
    expect(dec.body.holidays.map((h: { date: string }) => h.date)).toEqual(['2027-01-01', '2027-03-26']);
    expect((await t.call('GET', '/api/holiday-calendars/DE/upcoming?region=ZZ', { key: ws.keys.viewer })).status).toBe(404);
  });
});

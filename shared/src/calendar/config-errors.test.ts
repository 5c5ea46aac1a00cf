import { describe, expect, it } from 'vitest';
import { RepSchema } from '../directory/schema';
import { WaitConfigSchema } from '../graph/nodes/wait';

// Issue #16: bad SLA clock, reminder and holiday-calendar input is refused with the field named.

const issues = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('wait and rep config errors', () => {
  const base = { until: 'accepted', timeout: { amount: 15, unit: 'minutes' } };

  it('a business clock counts minutes or hours, not days', () => {
    expect(issues(WaitConfigSchema.safeParse({ ...base, clock: 'business', timeout: { amount: 2, unit: 'days' } }))).toEqual([
      'timeout.unit: a business-hours SLA counts minutes or hours of working time (8 hours is one day of 09:00-17:00)',
    ]);
    expect(WaitConfigSchema.safeParse({ ...base, clock: 'business' }).success).toBe(true);
    expect(issues(WaitConfigSchema.safeParse({ ...base, clock: 'weekly' }))[0]).toMatch(/^clock: /);
  });

  it('reminder percents are 1 to 99, and need a message', () => {
    const notify = { channel: 'in_app', message: 'Still waiting' };
    expect(issues(WaitConfigSchema.safeParse({ ...base, reminders: { atPercent: [50, 100], notify } }))).toEqual(['reminders.atPercent.1: use a percent from 1 to 99']);
    expect(issues(WaitConfigSchema.safeParse({ ...base, reminders: { atPercent: [50], notify: { channel: 'in_app', message: '' } } }))[0]).toMatch(/^reminders\.notify\.message: /);
    expect(WaitConfigSchema.parse({ ...base, reminders: { atPercent: [50], notify } }).reminders?.notify.recipient).toEqual({ type: 'assignee' });
  });

  it("a rep's holiday calendar is an ISO country code and a region code", () => {
    const rep = { id: 'a', name: 'A', email: 'a@x.io', timeZone: 'UTC' };
    expect(issues(RepSchema.safeParse({ ...rep, holidayCalendar: { country: 'Germany' } }))).toEqual(['holidayCalendar.country: use an ISO country code such as DE or US']);
    expect(issues(RepSchema.safeParse({ ...rep, holidayCalendar: { country: 'DE', region: 'Bayern!' } }))[0]).toMatch(/^holidayCalendar\.region: /);
    expect(RepSchema.parse({ ...rep, holidayCalendar: null }).holidayCalendar).toBeNull();
    expect('holidayCalendar' in RepSchema.parse(rep)).toBe(false);
  });
});

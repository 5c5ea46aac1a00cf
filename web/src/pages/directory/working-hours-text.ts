import { WEEKDAYS, type WorkingHours } from '@lead-router/shared';

const SHORT: Record<(typeof WEEKDAYS)[number], string> = { mon: 'Mon', tue: 'Tue', wed: 'Wed', thu: 'Thu', fri: 'Fri', sat: 'Sat', sun: 'Sun' };

/**
 * A rep's working hours in one line, in week order, consecutive days with the same hours joined:
 * "Mon-Thu 09:00-17:00, Fri 09:00-13:00 (Europe/Berlin)". `null` hours are "Any hour"; hours with no
 * day at all are "No working days" (such a rep never receives a lead that respects working hours).
 */
export function formatWorkingHours(hours: WorkingHours | null | undefined, timeZone?: string): string {
  const zone = timeZone ? ` (${timeZone})` : '';
  if (!hours) return `Any hour${zone}`;
  const runs: { first: string; last: string; spans: string }[] = [];
  let previous: (typeof runs)[number] | null = null;
  for (const day of WEEKDAYS) {
    const spans = (hours[day] ?? []).map((s) => `${s.start}-${s.end}`).join(' & ');
    if (!spans) {
      previous = null;
      continue;
    }
    if (previous && previous.spans === spans) previous.last = SHORT[day];
    else {
      previous = { first: SHORT[day], last: SHORT[day], spans };
      runs.push(previous);
    }
  }
  if (runs.length === 0) return `No working days${zone}`;
  return runs.map((r) => `${r.first === r.last ? r.first : `${r.first}-${r.last}`} ${r.spans}`).join(', ') + zone;
}

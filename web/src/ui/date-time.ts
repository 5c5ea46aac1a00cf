/**
 * An instant with its day and its time, "Dec 4, 2026, 14:03", whatever day it is: lists and panels mix
 * today's and older dates, and a bare time reads as if everything happened today. "—" when absent.
 * (`format.ts`'s `formatInstant` drops the day for today, which suits live timelines, not records.)
 */
export function formatDateTime(iso: string | null | undefined, locale?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

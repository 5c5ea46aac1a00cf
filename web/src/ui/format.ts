/** Formatting shared by the pages: instants, durations, countdowns. */

/** "14:03:27" today, or "Nov 21, 14:03" on other days; "—" when absent. */
export function formatInstant(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const sameDay = d.toDateString() === now.toDateString();
  return sameDay
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
    : d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** A duration in ms as "850 ms", "4.2 s", "3 min 5 s", "2 h 10 min"; "—" when absent. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Time left until `deadline` as "4:59" (m:ss) or "1:02:03"; "overdue" once passed. */
export function formatCountdown(deadline: string, now: number): string {
  const left = Math.ceil((new Date(deadline).getTime() - now) / 1000);
  if (left <= 0) return 'overdue';
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = String(left % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** Formatting shared by the pages: instants, durations, countdowns. Every instant on a page goes through formatInstant. */

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const pad = (n: number) => String(n).padStart(2, '0');
const dayKey = (d: Date) => `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;

export interface InstantOptions {
  /** The clock to compare with ("today", "yesterday"); the wall clock by default. */
  now?: Date;
  /** Show the seconds too (trace steps and milestones, which are seconds apart). */
  seconds?: boolean;
}

/**
 * An instant in the viewer's time zone, always with its day, on a 24-hour clock: "today 14:03",
 * "yesterday 09:12", "Nov 21, 14:03", and "Nov 21, 2025, 14:03" in another year; "—" when absent.
 */
export function formatInstant(iso: string | null | undefined, options: InstantOptions = {}): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  const now = options.now ?? new Date();
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}${options.seconds ? `:${pad(d.getSeconds())}` : ''}`;
  if (dayKey(d) === dayKey(now)) return `today ${time}`;
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  if (dayKey(d) === dayKey(yesterday)) return `yesterday ${time}`;
  const day = `${MONTHS[d.getMonth()]} ${d.getDate()}`;
  return d.getFullYear() === now.getFullYear() ? `${day}, ${time}` : `${day}, ${d.getFullYear()}, ${time}`;
}

/** The full instant with its time zone, for a tooltip: "Fri, Dec 4, 2026, 14:03:27 UTC". */
export function formatInstantFull(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString('en-US', { weekday: 'short', year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
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

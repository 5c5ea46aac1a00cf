import type { Backtest, BacktestAssignee } from '../api/queries';

// What the publish dialog's backtest shows, as pure functions of the answer: the window the person picks,
// counts and shares of the window per assignee, the change in percentage points, and the fidelity.

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The longest window the server replays (server: MAX_WINDOW_DAYS). */
export const MAX_WINDOW_DAYS = 92;

/** A window of time to replay: [since, until). */
export interface TimeWindow {
  since: string;
  until: string;
}

/** The window choices: a span ending now, or a custom from/to. */
export type WindowPreset = '24h' | '7d' | '30d' | 'custom';

export const WINDOW_PRESETS: ReadonlyArray<{ id: Exclude<WindowPreset, 'custom'>; label: string; ms: number }> = [
  { id: '24h', label: 'Last 24 hours', ms: DAY_MS },
  { id: '7d', label: 'Last 7 days', ms: 7 * DAY_MS },
  { id: '30d', label: 'Last 30 days', ms: 30 * DAY_MS },
];

/** The default window: the last 7 days, a week of every weekday's traffic. */
export const DEFAULT_PRESET: Exclude<WindowPreset, 'custom'> = '7d';

/** The window a preset means at `now` (ms): it ends now. */
export function presetWindow(id: Exclude<WindowPreset, 'custom'>, now: number): TimeWindow {
  const ms = WINDOW_PRESETS.find((p) => p.id === id)?.ms ?? 7 * DAY_MS;
  return { since: new Date(now - ms).toISOString(), until: new Date(now).toISOString() };
}

/** A `datetime-local` input's value (local time, to the minute) for an instant. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * A custom window from two `datetime-local` values (the viewer's local time), or what is wrong with it,
 * naming the field: each must be a date and time, `from` before `to`, at most MAX_WINDOW_DAYS apart.
 */
export function customWindow(from: string, to: string): { ok: true; window: TimeWindow } | { ok: false; field: 'from' | 'to'; message: string } {
  const since = from ? new Date(from) : null;
  const until = to ? new Date(to) : null;
  if (!since || Number.isNaN(since.getTime())) return { ok: false, field: 'from', message: 'Give the date and time the window starts.' };
  if (!until || Number.isNaN(until.getTime())) return { ok: false, field: 'to', message: 'Give the date and time the window ends.' };
  if (until.getTime() <= since.getTime()) return { ok: false, field: 'to', message: 'The end must come after the start.' };
  if (until.getTime() - since.getTime() > MAX_WINDOW_DAYS * DAY_MS) return { ok: false, field: 'to', message: `A window may span at most ${MAX_WINDOW_DAYS} days.` };
  return { ok: true, window: { since: since.toISOString(), until: until.toISOString() } };
}

/** One row of the table: an assignee (or nobody), its counts and shares of the window, and the change. */
export interface ShareRow {
  key: string;
  /** The assignee's name (the directory's), or "Nobody" for leads that end unassigned. */
  name: string;
  /** The id, for a tooltip; null for nobody. */
  id: string | null;
  kind: 'rep' | 'queue' | 'nobody';
  /** Leads in the baseline: the active version's replay, or reality when no version is active. */
  before: number;
  /** Leads in the draft's replay. */
  after: number;
  /** Leads it really has. */
  actual: number;
  /** Shares of the window's leads, 0..1. */
  beforeShare: number;
  afterShare: number;
  /** The change in percentage points (after - before) x 100. */
  deltaPts: number;
}

/**
 * The table's rows: per assignee, counts and shares of the window in the baseline (the active replay, or
 * reality without an active version) and in the draft's replay, and the change in points. Names come from
 * `nameOf` (the directory); rows whose counts are all zero are left out; nobody comes last.
 */
export function shareRows(bt: Pick<Backtest, 'summary' | 'active'>, nameOf: (id: string) => string): ShareRow[] {
  const total = bt.summary.leads;
  const share = (n: number) => (total === 0 ? 0 : n / total);
  const baseline = (a: BacktestAssignee) => (bt.active ? a.active : a.actual);
  return bt.summary.assignees
    .filter((a) => baseline(a) > 0 || a.candidate > 0 || a.actual > 0)
    .map((a) => {
      const before = baseline(a);
      const after = a.candidate;
      return {
        key: a.id === null ? 'nobody' : `${a.type}:${a.id}`,
        name: a.id === null ? 'Nobody (unassigned)' : nameOf(a.id),
        id: a.id,
        kind: a.id === null ? ('nobody' as const) : (a.type ?? 'rep'),
        before,
        after,
        actual: a.actual,
        beforeShare: share(before),
        afterShare: share(after),
        deltaPts: (share(after) - share(before)) * 100,
      };
    });
}

/** A share as a percentage with at most one decimal: "25%", "12.5%", "0%". */
export function formatShare(share: number): string {
  const pct = Math.round(share * 1000) / 10;
  return `${pct}%`;
}

/** A change in percentage points: "+3.5 pts", "−12 pts"; "no change" at zero. */
export function formatPoints(pts: number): string {
  const rounded = Math.round(pts * 10) / 10;
  if (rounded === 0) return pts === 0 ? 'no change' : pts > 0 ? '+<0.1 pts' : '−<0.1 pts';
  return `${rounded > 0 ? '+' : '−'}${Math.abs(rounded)} pts`;
}

/**
 * The fidelity as a percentage of the routed leads the model reproduces, never rounded up to 100% (199 of
 * 200 is "99.5%"): null when there is nothing to compare.
 */
export function fidelityPercent(f: { compared: number; matched: number }): string | null {
  if (f.compared === 0) return null;
  if (f.matched === f.compared) return '100%';
  return `${Math.floor((f.matched / f.compared) * 1000) / 10}%`;
}

/** How much to trust the moves: good from 95% of real assignments reproduced, fair from 80%, else poor. */
export function fidelityTone(f: { compared: number; matched: number }): 'good' | 'fair' | 'poor' | 'none' {
  if (f.compared === 0) return 'none';
  const r = f.matched / f.compared;
  return r >= 0.95 ? 'good' : r >= 0.8 ? 'fair' : 'poor';
}

/** "1 lead", "12 leads". */
export const leadsText = (n: number) => `${n.toLocaleString('en-US')} lead${n === 1 ? '' : 's'}`;

// The analytics page's view (workflow, range, clock, section) as its URL spells it, and the links it makes:
// pure functions, so a link reproduces the view and the tests need no browser.

/** The ranges the page offers; `custom` reads `from` and `to` from the URL. */
export const RANGES = [
  { id: '24h', label: 'Last 24 hours', hours: 24 },
  { id: '7d', label: 'Last 7 days', hours: 7 * 24 },
  { id: '30d', label: 'Last 30 days', hours: 30 * 24 },
  { id: '90d', label: 'Last 90 days', hours: 90 * 24 },
  { id: 'custom', label: 'Custom…', hours: null },
] as const;
export type RangeId = (typeof RANGES)[number]['id'];

/** The page's sections, in tab order, with the API section each reads. */
export const SECTIONS = [
  { id: 'speed', label: 'Speed to lead', api: 'speed-to-lead' },
  { id: 'sla', label: 'SLA', api: 'sla' },
  { id: 'acceptance', label: 'Acceptance', api: 'acceptance' },
  { id: 'fairness', label: 'Fairness', api: 'fairness' },
  { id: 'paths', label: 'Paths', api: 'paths' },
  { id: 'queues', label: 'Queues', api: 'queues' },
] as const;
export type SectionId = (typeof SECTIONS)[number]['id'];
export type ApiSection = (typeof SECTIONS)[number]['api'];

export type Clock = 'wall' | 'working';

/** What the URL says the page shows. */
export interface AnalyticsView {
  workflow: string | null;
  range: RangeId;
  /** With range `custom`: ISO instants. */
  from: string | null;
  to: string | null;
  clock: Clock;
  section: SectionId;
}

const DEFAULT_RANGE: RangeId = '7d';
const HOUR = 3600_000;

/** Reads the view from a query string ("?workflow=…&range=7d"); unknown values fall back to the defaults. */
export function parseView(search: string): AnalyticsView {
  const p = new URLSearchParams(search);
  const range = RANGES.find((r) => r.id === p.get('range'))?.id ?? DEFAULT_RANGE;
  const section = SECTIONS.find((s) => s.id === p.get('section'))?.id ?? 'speed';
  return {
    workflow: p.get('workflow') || null,
    range,
    from: range === 'custom' ? p.get('from') || null : null,
    to: range === 'custom' ? p.get('to') || null : null,
    clock: p.get('clock') === 'working' ? 'working' : 'wall',
    section,
  };
}

/** The query string of a view (without "?"), leaving out what is the default, in a fixed order. */
export function viewSearch(view: AnalyticsView): string {
  const p = new URLSearchParams();
  if (view.workflow) p.set('workflow', view.workflow);
  if (view.range !== DEFAULT_RANGE) p.set('range', view.range);
  if (view.range === 'custom') {
    if (view.from) p.set('from', view.from);
    if (view.to) p.set('to', view.to);
  }
  if (view.clock !== 'wall') p.set('clock', view.clock);
  if (view.section !== 'speed') p.set('section', view.section);
  return p.toString();
}

/** The instants a view covers: [from, to). */
export type ResolvedRange = { ok: true; from: string; to: string } | { ok: false; message: string };

/**
 * The range of a view at `now`. A preset ends at the next full hour (as the API's default does), so the
 * range, and the queries keyed by it, stay the same for the hour; a custom range is checked.
 */
export function resolveRange(view: AnalyticsView, now: Date): ResolvedRange {
  const preset = RANGES.find((r) => r.id === view.range);
  if (preset && preset.hours !== null) {
    const to = Math.ceil(now.getTime() / HOUR) * HOUR;
    return { ok: true, from: new Date(to - preset.hours * HOUR).toISOString(), to: new Date(to).toISOString() };
  }
  const from = view.from ? Date.parse(view.from) : NaN;
  const to = view.to ? Date.parse(view.to) : NaN;
  if (Number.isNaN(from) || Number.isNaN(to)) return { ok: false, message: 'Pick the start and the end of the range.' };
  if (from >= to) return { ok: false, message: 'The range must end after it starts.' };
  if (to - from > 400 * 24 * HOUR) return { ok: false, message: 'A range covers at most 400 days.' };
  return { ok: true, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

// The order of a lead filter's keys in a link: stable, so the same figure always gives the same URL.
const FILTER_KEYS = ['workflow', 'since', 'until', 'status', 'assignee', 'firstAssignee', 'assignedTo', 'assignedBy', 'waitedOn', 'waitOutcome', 'passedOver', 'passedReason', 'throughNode', 'nodeOutcome'] as const;

/** A figure's drill-down filter: the query of `GET /api/leads` (see docs/analytics.md). */
export type LeadFilter = Partial<Record<(typeof FILTER_KEYS)[number], string>> & { workflow: string; since: string; until: string };

/** The lead list's URL listing the leads of a filter: `/leads?workflow=…&since=…`; every field, nothing else. */
export function leadsHref(filter: LeadFilter): string {
  const p = new URLSearchParams();
  const known = new Set<string>(FILTER_KEYS);
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value !== undefined && value !== '') p.set(key, value);
  }
  // A field the API adds later still reaches the list, after the known ones.
  for (const [key, value] of Object.entries(filter)) if (!known.has(key) && typeof value === 'string' && value !== '') p.set(key, value);
  return `/leads?${p.toString()}`;
}

/** The URL of one table of a section as CSV (the API's `format=csv&table=`). */
export function csvHref(section: ApiSection, table: string, workflowId: string, range: { from: string; to: string }): string {
  const p = new URLSearchParams({ workflowId, from: range.from, to: range.to, format: 'csv', table });
  return `/api/analytics/${section}?${p.toString()}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO instant as the value of an `<input type="datetime-local">`, in the viewer's zone ("2026-12-04T14:05"). */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A `datetime-local` value (the viewer's zone) as an ISO instant; null when empty or not a date. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** A share 0..1 as "42.5%"; "—" when absent. */
export function formatShare(share: number | null | undefined): string {
  if (share === null || share === undefined) return '—';
  return `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
}

/** Percentage points with their sign: "+4.2 pts", "−3.0 pts", "0.0 pts"; "—" when absent. */
export function formatPoints(points: number | null | undefined): string {
  if (points === null || points === undefined) return '—';
  const r = Math.round(points * 10) / 10;
  if (r === 0) return '0.0 pts';
  return `${r > 0 ? '+' : '−'}${Math.abs(r).toFixed(1)} pts`;
}

/** A number of leads (or steps) with its noun: "1 lead", "12 leads". */
export function countOf(n: number, noun: string): string {
  return `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;
}

/** Why a rep was passed over, as a person says it (the candidates' verdicts in the trace). */
export function verdictText(verdict: string): string {
  const known: Record<string, string> = {
    out_of_office: 'Out of office',
    outside_working_hours: 'Outside working hours',
    over_daily_cap: 'Over daily cap',
    over_open_cap: 'Over open-lead cap',
    missing_skill: 'Missing skill',
    inactive: 'Inactive',
    previously_assigned: 'Previously assigned',
    not_in_directory: 'Not in directory',
  };
  return known[verdict] ?? verdict.replaceAll('_', ' ').replace(/^./, (c) => c.toUpperCase());
}

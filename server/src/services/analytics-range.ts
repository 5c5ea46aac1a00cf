import { invalidInput, type ErrorDetail } from '../errors/domain-error';

/** How long a range analytics may cover. */
export const MAX_RANGE_DAYS = 400;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The buckets a figure over time is cut into. */
export const BUCKETS = ['hour', 'day', 'week'] as const;
export type Bucket = (typeof BUCKETS)[number];
export const BUCKET_MS: Record<Bucket, number> = { hour: HOUR_MS, day: DAY_MS, week: 7 * DAY_MS };

/** At most this many buckets in a chart; a finer bucket over a longer range is refused. */
export const MAX_BUCKETS = 1000;

/** A validated range: leads received in [from, to), cut into buckets that start at `from`. */
export interface AnalyticsRange {
  from: Date;
  to: Date;
  bucket: Bucket;
}

/** The bucket a chart of this range reads best in: hours up to two days, days up to 90, weeks beyond. */
export function autoBucket(from: Date, to: Date): Bucket {
  const span = to.getTime() - from.getTime();
  if (span <= 2 * DAY_MS) return 'hour';
  if (span <= 90 * DAY_MS) return 'day';
  return 'week';
}

/**
 * The range a request asks for: `to` defaults to now (rounded up to the hour) and `from` to 30 days before
 * `to`; `from` must be before `to`, at most MAX_RANGE_DAYS apart, and the bucket must leave at most
 * MAX_BUCKETS buckets. Each problem names its field.
 */
export function resolveRange(q: { from?: string; to?: string; bucket?: Bucket }, now: Date): AnalyticsRange {
  const to = q.to !== undefined ? new Date(q.to) : new Date(Math.ceil(now.getTime() / HOUR_MS) * HOUR_MS);
  const from = q.from !== undefined ? new Date(q.from) : new Date(to.getTime() - 30 * DAY_MS);
  const span = to.getTime() - from.getTime();
  const problems: ErrorDetail[] = [];
  if (span <= 0) problems.push({ path: 'from', message: 'must be before to' });
  else if (span > MAX_RANGE_DAYS * DAY_MS) problems.push({ path: 'to', message: `the range may cover at most ${MAX_RANGE_DAYS} days` });
  const bucket = q.bucket ?? autoBucket(from, to);
  if (span > 0 && span / BUCKET_MS[bucket] > MAX_BUCKETS) problems.push({ path: 'bucket', message: `${bucket} buckets over this range would make more than ${MAX_BUCKETS}; choose a coarser bucket` });
  if (problems.length > 0) throw invalidInput(problems, 'query parameters');
  return { from, to, bucket };
}

/** The bucket an instant falls in: [start, end), buckets counted from the range's start. */
export function bucketOf(range: AnalyticsRange, at: number): { start: number; end: number } {
  const size = BUCKET_MS[range.bucket];
  const start = range.from.getTime() + Math.floor((at - range.from.getTime()) / size) * size;
  return { start, end: Math.min(start + size, range.to.getTime()) };
}

/** The UTC days (YYYY-MM-DD) a day-keyed rollup covers for the range: from's day to the day of to's last instant. */
export function rangeDays(range: AnalyticsRange): { firstDay: string; lastDay: string } {
  return { firstDay: range.from.toISOString().slice(0, 10), lastDay: new Date(range.to.getTime() - 1).toISOString().slice(0, 10) };
}

/**
 * Up to this many leads in a range, percentiles come from the rows (percentile_cont, exact); beyond, from the
 * per-day rollups' histograms (within 2%). Measured (bench/analytics.ts, 1,000,000 leads a year on 2 shared
 * cores): exact speed to lead costs about 4 ms per 1,000 leads, and up to 10 ms per 1,000 under load.
 */
export const EXACT_MAX_LEADS = 20_000;

/** The whole UTC days of a range that the per-day rollups answer for: [firstDay, endDay) as YYYY-MM-DD and as instants. */
export interface RollupDays {
  firstDay: string;
  endDay: string;
  wholeFrom: Date;
  wholeTo: Date;
}

/** Where a range's figures come from (analytics-context.ts's loadScope decides). */
export interface RangeSource {
  /** Day and week buckets start at UTC midnights, counted from the UTC day of `from` (the first cut at `from`); hour buckets at `from`. */
  bucketOrigin: Date;
  /** The whole days the rollups answer for (day or week buckets and at least one whole day), or null: every figure from the rows. */
  rollups: RollupDays | null;
  /** Percentiles from the rollups' histograms: the range holds more than EXACT_MAX_LEADS leads. */
  approximate: boolean;
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The range's whole UTC days for the rollups, or null (hour buckets, or no whole day in it). */
export function rollupDays(range: AnalyticsRange): RollupDays | null {
  const wholeFrom = Math.ceil(range.from.getTime() / DAY_MS) * DAY_MS;
  const wholeTo = Math.floor(range.to.getTime() / DAY_MS) * DAY_MS;
  if (range.bucket === 'hour' || wholeTo <= wholeFrom) return null;
  return { firstDay: dayOf(wholeFrom), endDay: dayOf(wholeTo), wholeFrom: new Date(wholeFrom), wholeTo: new Date(wholeTo) };
}

/** The instant buckets are counted from: the UTC midnight of `from`'s day for day and week buckets, `from` for hours. */
export function bucketOrigin(range: AnalyticsRange): Date {
  return range.bucket === 'hour' ? range.from : new Date(Math.floor(range.from.getTime() / DAY_MS) * DAY_MS);
}

/** The UTC days (YYYY-MM-DD) the range touches: [first, end). */
export function touchedDays(range: AnalyticsRange): { first: string; end: string } {
  return { first: dayOf(Math.floor(range.from.getTime() / DAY_MS) * DAY_MS), end: dayOf(Math.ceil(range.to.getTime() / DAY_MS) * DAY_MS) };
}

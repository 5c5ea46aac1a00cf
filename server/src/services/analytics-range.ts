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
 * Ranges longer than this (in days) read the per-day rollups for their whole UTC days; up to it, the rows
 * (percentile_cont, exact). Measured (bench/analytics.ts, 1,000,000 leads a year): speed to lead, the
 * costliest, reads the ~2,700 rows of a day's leads in about 10 ms, so 31 days stay well under 500 ms.
 */
export const EXACT_MAX_DAYS = 31;

/** Where a range's figures come from. */
export type RangeSource =
  | { source: 'rows'; bucketOrigin: Date }
  | {
      source: 'rollups';
      /** Buckets start at UTC midnights: counted from the UTC day of `from` (the first one cut to start at `from`). */
      bucketOrigin: Date;
      /** The whole UTC days read from the rollups: [firstDay, endDay) as YYYY-MM-DD; the rest of the range from rows. */
      firstDay: string;
      endDay: string;
      /** The same days as instants. */
      wholeFrom: Date;
      wholeTo: Date;
    };

/**
 * Rows or rollups: rollups when the range covers more than EXACT_MAX_DAYS and the buckets are days or weeks
 * (a rollup day never straddles one). The partial days at the range's ends are read from the rows.
 */
export function rangeSource(range: AnalyticsRange): RangeSource {
  const span = range.to.getTime() - range.from.getTime();
  const wholeFrom = Math.ceil(range.from.getTime() / DAY_MS) * DAY_MS;
  const wholeTo = Math.floor(range.to.getTime() / DAY_MS) * DAY_MS;
  if (range.bucket === 'hour' || span <= EXACT_MAX_DAYS * DAY_MS || wholeTo <= wholeFrom) return { source: 'rows', bucketOrigin: range.from };
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return {
    source: 'rollups',
    bucketOrigin: new Date(Math.floor(range.from.getTime() / DAY_MS) * DAY_MS),
    firstDay: day(wholeFrom),
    endDay: day(wholeTo),
    wholeFrom: new Date(wholeFrom),
    wholeTo: new Date(wholeTo),
  };
}

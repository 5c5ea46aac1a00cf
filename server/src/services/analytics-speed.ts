// The durations speed to lead reports. The migration `analytics-rollups` (rollup_runs_apply) computes the same
// values for rollup_durations: change both together.

export const SPEED_METRICS = ['first_assignment', 'accepted', 'first_contact'] as const;
export type SpeedMetric = (typeof SPEED_METRICS)[number];
export type Clock = 'wall' | 'working';

// received -> milestone, wall clock (whole ms: date_part is float8, cheaper than extract's numeric over a
// million rows) and in the rep's working hours (kept by the worker), as float8 ms.
export const SPEED_VALUES: Record<SpeedMetric, Record<Clock, string>> = {
  first_assignment: { wall: 'round(date_part(\'epoch\', r.first_assigned_at - r.received_at) * 1000)', working: 'r.first_assigned_work_ms' },
  accepted: { wall: 'round(date_part(\'epoch\', r.accepted_at - r.received_at) * 1000)', working: 'r.accepted_work_ms' },
  first_contact: { wall: 'round(date_part(\'epoch\', r.first_contact_at - r.received_at) * 1000)', working: 'r.first_contact_work_ms' },
};

/** Each (metric, clock) and its key: the column names of the queries and rollup_durations.metric. */
export const SPEED_KEYS = SPEED_METRICS.flatMap((metric) => (['wall', 'working'] as const).map((clock) => ({ metric, clock, key: `${metric}_${clock}` })));

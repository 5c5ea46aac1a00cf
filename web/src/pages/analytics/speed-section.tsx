import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ErrorMessage } from '../../ui/error-message';
import { formatDuration, formatInstant } from '../../ui/format';
import { countOf, type Clock } from './analytics-view';
import { axis, Card, CsvLink, Empty, LeadsLink, linkBar, palette, useDrill, type SectionScope } from './parts';
import { speedQuery, type SpeedData } from './queries';

type Metric = SpeedData['summary'][number]['metric'];
type BucketRow = SpeedData['overTime'][number];

export const MILESTONES: { metric: Metric; label: string }[] = [
  { metric: 'first_assignment', label: 'Received → first assignment' },
  { metric: 'accepted', label: 'Received → accepted' },
  { metric: 'first_contact', label: 'Received → first contact' },
];
const PERCENTILES = [
  { key: 'p50Ms', label: 'p50' },
  { key: 'p90Ms', label: 'p90' },
  { key: 'p99Ms', label: 'p99' },
] as const;

const clockText = (clock: Clock) => (clock === 'wall' ? 'wall-clock time' : "the rep's working hours");

/** Speed to lead: p50/p90/p99 tiles for the three milestones, and one milestone's percentiles over time. */
export function SpeedSection({ scope, clock }: { scope: SectionScope; clock: Clock }) {
  const q = useQuery(speedQuery(scope));
  const [metric, setMetric] = useState<Metric>('first_assignment');
  const drill = useDrill();
  if (q.error) return <ErrorMessage error={q.error} />;
  if (!q.data) return <p className="loading">Loading…</p>;
  const summary = q.data.summary.filter((r) => r.clock === clock);
  const overTime = q.data.overTime.filter((r) => r.clock === clock && r.metric === metric);
  const colors = palette();
  const label = MILESTONES.find((m) => m.metric === metric)?.label ?? metric;
  // Over long ranges of many leads the percentiles come from per-day histograms (docs/analytics.md): "≈".
  const approx = q.data.precision === 'approximate';
  const approxText = approx ? ` Percentiles marked ≈ are from daily histograms, within ${((q.data.maxRelativeError ?? 0) * 100).toFixed(1)}%.` : '';
  return (
    <>
      <Card title="Speed to lead" hint={`Percentiles over the leads received in the range, in ${clockText(clock)}.${approxText}`} actions={<CsvLink section="speed-to-lead" table="summary" scope={scope} label="speed to lead summary" />}>
        <div className="speed-tiles">
          {MILESTONES.map((m) => {
            const row = summary.find((r) => r.metric === m.metric);
            return (
              <div key={m.metric} className="speed-tile" data-testid={`speed-${m.metric}`}>
                <h3>{m.label}</h3>
                <dl>
                  {PERCENTILES.map((p) => (
                    <div key={p.key}>
                      <dt>{p.label}</dt>
                      <dd>
                        {approx && row?.[p.key] != null ? '≈ ' : ''}
                        {formatDuration(row?.[p.key])}
                      </dd>
                    </div>
                  ))}
                </dl>
                {row && row.count > 0 ? (
                  <LeadsLink filter={row.leads}>{countOf(row.count, 'lead')}</LeadsLink>
                ) : (
                  <span className="muted">No lead reached it in this range</span>
                )}
              </div>
            );
          })}
        </div>
      </Card>
      <Card
        title="Speed to lead over time"
        hint="Click a bar for the leads received in its period."
        actions={
          <>
            <label className="inline">
              <span className="field-label">Milestone</span>
              <select value={metric} onChange={(e) => setMetric(e.target.value as Metric)}>
                {MILESTONES.map((m) => (
                  <option key={m.metric} value={m.metric}>
                    {m.label}
                  </option>
                ))}
              </select>
            </label>
            <CsvLink section="speed-to-lead" table="overTime" scope={scope} label="speed to lead over time" />
          </>
        }
      >
        {overTime.length === 0 ? (
          <Empty>No lead reached “{label}” in this range. Pick a longer range, or post leads to this workflow.</Empty>
        ) : (
          <ResponsiveContainer width="100%" height={300}>
            <BarChart maxBarSize={56} data={overTime} margin={{ top: 8, right: 16, bottom: 8, left: 16 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="bucketStart" tickFormatter={(v: string) => formatInstant(v)} {...axis()} />
              <YAxis tickFormatter={(v: number) => formatDuration(v)} width={90} {...axis()} />
              <Tooltip labelFormatter={(v) => `From ${formatInstant(String(v))}`} formatter={(v, name, item) => [`${formatDuration(Number(v))} (${countOf((item.payload as BucketRow).count, 'lead')})`, name]} />
              <Legend itemSorter={null} />
              {PERCENTILES.map((p, i) => (
                <Bar
                  isAnimationActive={false}
                  key={p.key}
                  dataKey={p.key}
                  name={p.label}
                  fill={colors[i]}
                  onClick={(item) => drill((item.payload as BucketRow | undefined)?.leads)}
                  shape={linkBar<BucketRow>((r) => `${p.label} ${formatDuration(r[p.key])} from ${formatInstant(r.bucketStart)}: ${countOf(r.count, 'lead')}`)}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        )}
      </Card>
    </>
  );
}

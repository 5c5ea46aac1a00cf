import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { DataTable, type DataColumn } from '../../ui/data-table';
import { ErrorMessage } from '../../ui/error-message';
import { formatInstant } from '../../ui/format';
import { countOf, formatPoints, formatShare, verdictText } from './analytics-view';
import { axis, Card, CsvLink, Empty, LeadsLink, linkBar, palette, useDrill, type SectionScope } from './parts';
import { groupBy, pivotByBucket, type PivotRow } from './pivot';
import { fairnessQuery, type FairnessData } from './queries';

type Row = FairnessData['byRep'][number];
type PassedRow = FairnessData['passedOver'][number];

const repName = (r: { repName: string | null; repId: string }) => r.repName ?? `${r.repId} (left the directory)`;
const nodeName = (r: { nodeLabel: string | null; nodeId: string }) => r.nodeLabel ?? r.nodeId;

const columns: DataColumn<Row>[] = [
  { id: 'rep', header: 'Rep', cell: repName, sortBy: repName, hideable: false },
  { id: 'weight', header: 'Weight', className: 'num', cell: (r) => r.weight ?? '—', sortBy: (r) => r.weight ?? undefined },
  { id: 'expectedShare', header: 'Expected share', className: 'num', cell: (r) => formatShare(r.expectedShare), sortBy: (r) => r.expectedShare ?? undefined },
  { id: 'expectedLeads', header: 'Expected leads', className: 'num', cell: (r) => (r.expectedLeads === null ? '—' : r.expectedLeads.toFixed(1)), sortBy: (r) => r.expectedLeads ?? undefined },
  { id: 'actualLeads', header: 'Actual leads', className: 'num', cell: (r) => <LeadsLink filter={r.leads}>{r.actualLeads}</LeadsLink>, sortBy: (r) => r.actualLeads },
  { id: 'actualShare', header: 'Actual share', className: 'num', cell: (r) => formatShare(r.actualShare), sortBy: (r) => r.actualShare ?? undefined },
  { id: 'deviation', header: 'Deviation', className: 'num', cell: (r) => formatPoints(r.deviationPoints), sortBy: (r) => r.deviationPoints ?? undefined },
];

const passedColumns: DataColumn<PassedRow>[] = [
  { id: 'rep', header: 'Rep', cell: repName, sortBy: repName, hideable: false },
  { id: 'node', header: 'Assign step', cell: nodeName, sortBy: nodeName },
  { id: 'verdict', header: 'Why', cell: (r) => verdictText(r.verdict), sortBy: (r) => verdictText(r.verdict) },
  { id: 'times', header: 'Times', className: 'num', cell: (r) => <LeadsLink filter={r.leads}>{r.times}</LeadsLink>, sortBy: (r) => r.times },
];

/** Fairness: per assign step and pool, each rep's leads against the pool's weights; over time; who was passed over and why. */
export function FairnessSection({ scope }: { scope: SectionScope }) {
  const q = useQuery(fairnessQuery(scope));
  if (q.error) return <ErrorMessage error={q.error} />;
  if (!q.data) return <p className="loading">Loading…</p>;
  const { byRep, overTime, passedOver } = q.data;
  const pools = groupBy(byRep, (r) => `${r.nodeId}\u0000${r.poolKey ?? ''}`);
  const labels = new Map(byRep.map((r) => [r.nodeId, nodeName(r)]));
  const nodes = groupBy(overTime, (r) => r.nodeId);
  return (
    <>
      {pools.length === 0 ? (
        <Card title="Leads per rep against the weights" actions={<CsvLink section="fairness" table="byRep" scope={scope} label="fairness per rep" />}>
          <Empty>No assign step gave a lead to a rep in this range. Pick a longer range, or a workflow with an assign step.</Empty>
        </Card>
      ) : (
        pools.map(([key, rows]) => <PoolCard key={key} rows={rows} scope={scope} />)
      )}
      {nodes.map(([nodeId, rows]) => (
        <OverTimeCard key={nodeId} title={`Leads per rep over time: ${labels.get(nodeId) ?? nodeId}`} rows={rows} scope={scope} />
      ))}
      <Card title="Passed over" hint="Reps an assign step skipped, and why (from the candidates' verdicts in the traces). Click a count for the leads." actions={<CsvLink section="fairness" table="passedOver" scope={scope} label="passed over" />}>
        {passedOver.length === 0 ? (
          <Empty>No rep was passed over in this range: every candidate was eligible.</Empty>
        ) : (
          <DataTable label="Passed over" storageKey="analytics-passed-over" columns={passedColumns} rows={passedOver} rowKey={(r) => `${r.nodeId}/${r.repId}/${r.verdict}`} />
        )}
      </Card>
    </>
  );
}

/** One pool of one assign step: expected against actual leads per rep, as bars and a table. */
function PoolCard({ rows, scope }: { rows: Row[]; scope: SectionScope }) {
  const drill = useDrill();
  const first = rows[0]!;
  const colors = palette();
  const total = rows.reduce((n, r) => n + r.actualLeads, 0);
  const data = rows.map((r) => ({ ...r, name: repName(r), expected: r.expectedLeads === null ? null : Math.round(r.expectedLeads * 10) / 10 }));
  const pool = first.poolName ? ` · ${first.poolName}` : '';
  return (
    <Card
      title={`Leads per rep against the weights: ${nodeName(first)}${pool}`}
      hint={`${countOf(total, 'lead')} assigned by this step. Expected follows the pool's weights (equal for round-robin, load-balanced and territory). Click an actual bar for its leads.`}
      actions={<CsvLink section="fairness" table="byRep" scope={scope} label="fairness per rep" />}
    >
      <ResponsiveContainer width="100%" height={260}>
        <BarChart maxBarSize={56} data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="name" {...axis()} />
          <YAxis allowDecimals={false} {...axis()} />
          <Tooltip />
          <Legend itemSorter={null} />
          <Bar isAnimationActive={false} dataKey="expected" name="Expected" fill={colors[5]} />
          <Bar
                  isAnimationActive={false}
            dataKey="actualLeads"
            name="Actual"
            fill={colors[0]}
            onClick={(item) => drill((item.payload as Row | undefined)?.leads)}
            shape={linkBar<Row & { name: string }>((r) => `${r.name}: ${countOf(r.actualLeads, 'lead')} from ${nodeName(r)}`)}
          />
        </BarChart>
      </ResponsiveContainer>
      <DataTable label={`Fairness of ${nodeName(first)}${pool}`} storageKey="analytics-fairness" columns={columns} rows={rows} rowKey={(r) => r.repId} />
    </Card>
  );
}

/** One assign step's leads per rep per bucket, stacked; a segment links to its leads. */
function OverTimeCard({ title, rows, scope }: { title: string; rows: FairnessData['overTime']; scope: SectionScope }) {
  const drill = useDrill();
  const colors = palette();
  const pivot = pivotByBucket(
    rows,
    (r) => ({ key: r.repId, name: repName(r) }),
    (r) => r.leads,
    (r) => r.filter,
  );
  return (
    <Card title={title} hint="Click a segment for the leads a rep got in that period." actions={<CsvLink section="fairness" table="overTime" scope={scope} label="fairness over time" />}>
      <ResponsiveContainer width="100%" height={260}>
        <BarChart maxBarSize={56} data={pivot.rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="bucketStart" tickFormatter={(v: string) => formatInstant(v)} {...axis()} />
          <YAxis allowDecimals={false} {...axis()} />
          <Tooltip labelFormatter={(v) => `From ${formatInstant(String(v))}`} />
          <Legend itemSorter={null} />
          {pivot.series.map((s, i) => (
            <Bar
                  isAnimationActive={false}
              key={s.key}
              dataKey={(r: PivotRow) => r.values[s.key] ?? 0}
              name={s.name}
              stackId="reps"
              fill={colors[i % colors.length]}
              onClick={(item) => drill((item.payload as PivotRow | undefined)?.filters[s.key])}
              shape={linkBar<PivotRow>((r) => (r.values[s.key] ? `${s.name}: ${countOf(r.values[s.key] ?? 0, 'lead')} from ${formatInstant(r.bucketStart)}` : null))}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </Card>
  );
}

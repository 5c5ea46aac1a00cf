import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { DataTable, type DataColumn } from '../../ui/data-table';
import { ErrorMessage } from '../../ui/error-message';
import { formatDuration, formatInstant } from '../../ui/format';
import { countOf, type LeadFilter } from './analytics-view';
import { axis, Card, CsvLink, Empty, LeadsLink, linkBar, palette, useDrill, type SectionScope } from './parts';
import { pivotByBucket, type PivotRow } from './pivot';
import { queuesQuery, type QueuesData } from './queries';

type Row = QueuesData['byQueue'][number];

const queueName = (r: { queueName: string | null; queueId: string }) => r.queueName ?? `${r.queueId} (deleted)`;

// The leads sent to the queue in the range: the lead list's `assignedTo` (held now or not), as the inflow
// over time's rows filter them; the row's own `leads` are those it holds now (`assignee`).
const inflowLeads = (r: Row): LeadFilter => {
  const { assignee: _held, ...range } = r.leads;
  return { ...range, assignedTo: r.queueId };
};

const columns: DataColumn<Row>[] = [
  { id: 'queue', header: 'Queue', cell: queueName, sortBy: queueName, hideable: false },
  { id: 'inflow', header: 'Inflow', className: 'num', cell: (r) => <LeadsLink filter={inflowLeads(r)}>{r.inflow}</LeadsLink>, sortBy: (r) => r.inflow },
  { id: 'holding', header: 'Holding now', className: 'num', cell: (r) => <LeadsLink filter={r.leads}>{r.holding}</LeadsLink>, sortBy: (r) => r.holding },
  { id: 'oldest', header: 'Oldest', className: 'num', cell: (r) => formatDuration(r.oldestAgeMs), sortBy: (r) => r.oldestAgeMs ?? undefined },
  { id: 'p50', header: 'Age p50', className: 'num', cell: (r) => formatDuration(r.p50AgeMs), sortBy: (r) => r.p50AgeMs ?? undefined },
  { id: 'p90', header: 'Age p90', className: 'num', cell: (r) => formatDuration(r.p90AgeMs), sortBy: (r) => r.p90AgeMs ?? undefined },
];

/** Queues: leads sent to each queue over time, and what each holds now and for how long. */
export function QueuesSection({ scope }: { scope: SectionScope }) {
  const q = useQuery(queuesQuery(scope));
  const drill = useDrill();
  if (q.error) return <ErrorMessage error={q.error} />;
  if (!q.data) return <p className="loading">Loading…</p>;
  const { byQueue, inflowOverTime } = q.data;
  const colors = palette();
  const pivot = pivotByBucket(
    inflowOverTime,
    (r) => ({ key: r.queueId, name: queueName(r) }),
    (r) => r.inflow,
    (r) => r.leads,
  );
  return (
    <>
      <Card title="Queues" hint="Inflow: leads of the range sent to each queue. Holding now: those still in it, with their age since queued. Click a count for the leads." actions={<CsvLink section="queues" table="byQueue" scope={scope} label="queues" />}>
        {byQueue.length === 0 ? (
          <Empty>No lead of this range went to a queue.</Empty>
        ) : (
          <>
            <ResponsiveContainer width="100%" height={Math.max(120, byQueue.length * 48 + 60)}>
              <BarChart maxBarSize={56} data={byQueue.map((r) => ({ ...r, name: queueName(r) }))} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 16 }}>
                <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                <XAxis type="number" allowDecimals={false} {...axis()} />
                <YAxis type="category" dataKey="name" width={160} {...axis()} />
                <Tooltip />
                <Legend itemSorter={null} />
                <Bar isAnimationActive={false} dataKey="inflow" name="Inflow" fill={colors[0]} barSize={18} />
                <Bar
                  isAnimationActive={false}
                  dataKey="holding"
                  name="Holding now"
                  fill={colors[2]}
                  barSize={18}
                  onClick={(item) => drill((item.payload as Row | undefined)?.leads)}
                  shape={linkBar<Row & { name: string }>((r) => (r.holding ? `${r.name}: ${countOf(r.holding, 'lead')} held now` : null))}
                />
              </BarChart>
            </ResponsiveContainer>
            <DataTable label="Queues" storageKey="analytics-queues" columns={columns} rows={byQueue} rowKey={(r) => r.queueId} />
          </>
        )}
      </Card>
      <Card title="Queue inflow over time" hint="Click a segment for the leads sent to that queue in that period." actions={<CsvLink section="queues" table="inflowOverTime" scope={scope} label="queue inflow over time" />}>
        {pivot.rows.length === 0 ? (
          <Empty>No lead of this range went to a queue.</Empty>
        ) : (
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
                  stackId="queues"
                  fill={colors[i % colors.length]}
                  onClick={(item) => drill((item.payload as PivotRow | undefined)?.filters[s.key])}
                  shape={linkBar<PivotRow>((r) => (r.values[s.key] ? `${s.name}: ${countOf(r.values[s.key] ?? 0, 'lead')} from ${formatInstant(r.bucketStart)}` : null))}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        )}
      </Card>
    </>
  );
}

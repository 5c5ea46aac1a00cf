import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { DataTable, type DataColumn } from '../../ui/data-table';
import { ErrorMessage } from '../../ui/error-message';
import { formatDuration } from '../../ui/format';
import { countOf, formatShare, type LeadFilter } from './analytics-view';
import { axis, Card, CsvLink, Empty, LeadsLink, linkBar, palette, useDrill, type SectionScope } from './parts';
import { acceptanceQuery, type AcceptanceData } from './queries';

type Row = AcceptanceData['byRep'][number];

const repName = (r: Row) => r.repName ?? `${r.repId} (left the directory)`;
const timedOutLeads = (r: Row): LeadFilter => ({ ...r.leads, waitOutcome: 'timed_out' });

const ENDS = [
  { key: 'accepted', label: 'Accepted', filter: (r: Row) => r.acceptedLeads },
  { key: 'rejected', label: 'Rejected', filter: (r: Row) => r.rejectedLeads },
  { key: 'timedOut', label: 'Timed out', filter: timedOutLeads },
] as const;

const columns: DataColumn<Row>[] = [
  { id: 'rep', header: 'Rep', cell: repName, sortBy: repName, hideable: false },
  { id: 'offered', header: 'Offered', className: 'num', cell: (r) => <LeadsLink filter={r.leads}>{r.offered}</LeadsLink>, sortBy: (r) => r.offered },
  { id: 'accepted', header: 'Accepted', className: 'num', cell: (r) => <LeadsLink filter={r.acceptedLeads}>{r.accepted}</LeadsLink>, sortBy: (r) => r.accepted },
  { id: 'rejected', header: 'Rejected', className: 'num', cell: (r) => <LeadsLink filter={r.rejectedLeads}>{r.rejected}</LeadsLink>, sortBy: (r) => r.rejected },
  { id: 'timedOut', header: 'Timed out', className: 'num', cell: (r) => <LeadsLink filter={timedOutLeads(r)}>{r.timedOut}</LeadsLink>, sortBy: (r) => r.timedOut },
  { id: 'acceptanceRate', header: 'Acceptance rate', className: 'num', cell: (r) => formatShare(r.acceptanceRate), sortBy: (r) => r.acceptanceRate ?? undefined },
  { id: 'rejectionRate', header: 'Rejection rate', className: 'num', cell: (r) => formatShare(r.rejectionRate), sortBy: (r) => r.rejectionRate ?? undefined },
  { id: 'p50', header: 'Time to accept p50', className: 'num', cell: (r) => formatDuration(r.p50Ms), sortBy: (r) => r.p50Ms ?? undefined },
  { id: 'p90', header: 'p90', className: 'num', cell: (r) => formatDuration(r.p90Ms), sortBy: (r) => r.p90Ms ?? undefined },
  { id: 'p99', header: 'p99', className: 'num', cell: (r) => formatDuration(r.p99Ms), sortBy: (r) => r.p99Ms ?? undefined },
];

/** Acceptance: what each rep did with the leads offered to them, and how long they took to accept. */
export function AcceptanceSection({ scope }: { scope: SectionScope }) {
  const q = useQuery(acceptanceQuery(scope));
  const drill = useDrill();
  if (q.error) return <ErrorMessage error={q.error} />;
  if (!q.data) return <p className="loading">Loading…</p>;
  const rows = q.data.byRep.map((r) => ({ ...r, name: repName(r) }));
  const colors = palette();
  const endColors = [colors[1], colors[3], colors[2]];
  return (
    <Card title="Acceptance per rep" hint={`Leads offered to each rep (a wait for them to accept) and how each ended. Click a bar segment for its leads.${q.data.precision === 'approximate' ? ` Times to accept are from daily histograms (≈, within ${((q.data.maxRelativeError ?? 0) * 100).toFixed(1)}%).` : ''}`} actions={<CsvLink section="acceptance" table="byRep" scope={scope} label="acceptance per rep" />}>
      {rows.length === 0 ? (
        <Empty>No lead was offered to a rep in this range. Pick a longer range, or a workflow with a wait step after its assignment.</Empty>
      ) : (
        <>
          <ResponsiveContainer width="100%" height={280}>
            <BarChart maxBarSize={56} data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="name" {...axis()} />
              <YAxis allowDecimals={false} {...axis()} />
              <Tooltip />
              <Legend itemSorter={null} />
              {ENDS.map((end, i) => (
                <Bar
                  isAnimationActive={false}
                  key={end.key}
                  dataKey={end.key}
                  name={end.label}
                  stackId="offers"
                  fill={endColors[i]}
                  onClick={(item) => drill(item.payload ? end.filter(item.payload as Row) : undefined)}
                  shape={linkBar<Row & { name: string }>((r) => `${r.name}: ${countOf(r[end.key], 'lead')} ${end.label.toLowerCase()}`)}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
          <DataTable label="Acceptance per rep" storageKey="analytics-acceptance" columns={columns} rows={q.data.byRep} rowKey={(r) => r.repId} />
        </>
      )}
    </Card>
  );
}

import { useQuery } from '@tanstack/react-query';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { DataTable, type DataColumn } from '../../ui/data-table';
import { ErrorMessage } from '../../ui/error-message';
import { countOf, formatShare, type LeadFilter } from './analytics-view';
import { axis, Card, CsvLink, Empty, LeadsLink, linkBar, palette, useDrill, type SectionScope } from './parts';
import { slaQuery, type SlaData } from './queries';

type RepRow = SlaData['byRep'][number];
type TeamRow = SlaData['byTeam'][number];

const repName = (r: { repName: string | null; repId: string }) => r.repName ?? `${r.repId} (left the directory)`;

/** The three ends of a wait and the leads behind each (the rep row's filters). */
export const WAIT_ENDS = [
  { key: 'met', label: 'Met', filter: (r: RepRow): LeadFilter => ({ ...r.leads, waitOutcome: 'accepted' }) },
  { key: 'breached', label: 'Breached', filter: (r: RepRow): LeadFilter => r.breachedLeads },
  { key: 'rejected', label: 'Rejected', filter: (r: RepRow): LeadFilter => ({ ...r.leads, waitOutcome: 'rejected' }) },
] as const;

const repColumns: DataColumn<RepRow>[] = [
  { id: 'rep', header: 'Rep', cell: (r) => repName(r), sortBy: (r) => repName(r), hideable: false },
  { id: 'waits', header: 'Waits', className: 'num', cell: (r) => <LeadsLink filter={r.leads}>{r.waits}</LeadsLink>, sortBy: (r) => r.waits },
  { id: 'met', header: 'Met', className: 'num', cell: (r) => <LeadsLink filter={WAIT_ENDS[0].filter(r)}>{r.met}</LeadsLink>, sortBy: (r) => r.met },
  { id: 'breached', header: 'Breached', className: 'num', cell: (r) => <LeadsLink filter={r.breachedLeads}>{r.breached}</LeadsLink>, sortBy: (r) => r.breached },
  { id: 'rejected', header: 'Rejected', className: 'num', cell: (r) => <LeadsLink filter={WAIT_ENDS[2].filter(r)}>{r.rejected}</LeadsLink>, sortBy: (r) => r.rejected },
  { id: 'metRate', header: 'Met rate', className: 'num', cell: (r) => formatShare(r.metRate), sortBy: (r) => r.metRate ?? undefined },
  { id: 'breachRate', header: 'Breach rate', className: 'num', cell: (r) => formatShare(r.breachRate), sortBy: (r) => r.breachRate ?? undefined },
];

const teamColumns: DataColumn<TeamRow>[] = [
  { id: 'team', header: 'Team', cell: (r) => r.teamName, sortBy: (r) => r.teamName, hideable: false },
  { id: 'waits', header: 'Waits', className: 'num', cell: (r) => r.waits, sortBy: (r) => r.waits },
  { id: 'met', header: 'Met', className: 'num', cell: (r) => r.met, sortBy: (r) => r.met },
  { id: 'breached', header: 'Breached', className: 'num', cell: (r) => r.breached, sortBy: (r) => r.breached },
  { id: 'rejected', header: 'Rejected', className: 'num', cell: (r) => r.rejected, sortBy: (r) => r.rejected },
  { id: 'metRate', header: 'Met rate', className: 'num', cell: (r) => formatShare(r.metRate), sortBy: (r) => r.metRate ?? undefined },
  { id: 'breachRate', header: 'Breach rate', className: 'num', cell: (r) => formatShare(r.breachRate), sortBy: (r) => r.breachRate ?? undefined },
];

const ratioText = (n: number | null) => (n === null ? '—' : n.toFixed(2));

/** SLA: met / breached / rejected per rep and per team, and re-assignments and escalations per lead. */
export function SlaSection({ scope }: { scope: SectionScope }) {
  const q = useQuery(slaQuery(scope));
  const drill = useDrill();
  if (q.error) return <ErrorMessage error={q.error} />;
  if (!q.data) return <p className="loading">Loading…</p>;
  const { byRep, byTeam, perLead, reassignmentDistribution } = q.data;
  const colors = palette();
  const stackColors = [colors[1], colors[3], colors[2]];
  const lead = perLead[0];
  const rep = byRep.map((r) => ({ ...r, name: repName(r) }));
  return (
    <>
      <Card title="SLA per rep" hint="Each wait for a rep to accept: met (accepted in time), breached (timed out) or rejected. Click a bar segment for its leads." actions={<CsvLink section="sla" table="byRep" scope={scope} label="SLA per rep" />}>
        {byRep.length === 0 ? (
          <Empty>No lead waited on a rep in this range. Pick a longer range, or a workflow with a wait step.</Empty>
        ) : (
          <>
            <ResponsiveContainer width="100%" height={280}>
              <BarChart maxBarSize={56} data={rep} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="name" {...axis()} />
                <YAxis allowDecimals={false} {...axis()} />
                <Tooltip />
                <Legend itemSorter={null} />
                {WAIT_ENDS.map((end, i) => (
                  <Bar
                  isAnimationActive={false}
                    key={end.key}
                    dataKey={end.key}
                    name={end.label}
                    stackId="waits"
                    fill={stackColors[i]}
                    onClick={(item) => drill(item.payload ? end.filter(item.payload as RepRow) : undefined)}
                    shape={linkBar<RepRow & { name: string }>((r) => `${r.name}: ${countOf(r[end.key], 'wait')} ${end.label.toLowerCase()}`)}
                  />
                ))}
              </BarChart>
            </ResponsiveContainer>
            <DataTable label="SLA per rep" storageKey="analytics-sla-rep" columns={repColumns} rows={byRep} rowKey={(r) => r.repId} />
          </>
        )}
      </Card>
      <Card title="SLA per team" hint="The waits of each team's members." actions={<CsvLink section="sla" table="byTeam" scope={scope} label="SLA per team" />}>
        {byTeam.length === 0 ? (
          <Empty>No team member was waited on in this range.</Empty>
        ) : (
          <>
            <ResponsiveContainer width="100%" height={220}>
              <BarChart maxBarSize={56} data={byTeam} layout="vertical" margin={{ top: 8, right: 16, bottom: 8, left: 16 }}>
                <CartesianGrid strokeDasharray="3 3" horizontal={false} />
                <XAxis type="number" allowDecimals={false} {...axis()} />
                <YAxis type="category" dataKey="teamName" width={140} {...axis()} />
                <Tooltip />
                <Legend itemSorter={null} />
                {WAIT_ENDS.map((end, i) => (
                  <Bar isAnimationActive={false} key={end.key} dataKey={end.key} name={end.label} stackId="waits" fill={stackColors[i]} barSize={22} />
                ))}
              </BarChart>
            </ResponsiveContainer>
            <DataTable label="SLA per team" storageKey="analytics-sla-team" columns={teamColumns} rows={byTeam} rowKey={(r) => r.teamId} />
          </>
        )}
      </Card>
      <div className="analytics-pair">
        <Card title="Re-assignments and escalations per lead" actions={<CsvLink section="sla" table="perLead" scope={scope} label="re-assignments and escalations per lead" />}>
          {!lead || lead.leads === 0 ? (
            <Empty>No leads in this range.</Empty>
          ) : (
            <dl className="figure-list">
              <div>
                <dt>Leads</dt>
                <dd>
                  <LeadsLink filter={{ workflow: scope.workflowId, since: scope.from, until: scope.to }}>{lead.leads}</LeadsLink>
                </dd>
              </div>
              <div>
                <dt>SLA met at least once</dt>
                <dd>{lead.leadsMet}</dd>
              </div>
              <div>
                <dt>SLA breached at least once</dt>
                <dd>{lead.leadsBreached}</dd>
              </div>
              <div>
                <dt>Re-assignments</dt>
                <dd>
                  {lead.reassignments} over {countOf(lead.leadsReassigned, 'lead')} ({ratioText(lead.reassignmentsPerLead)} per lead)
                </dd>
              </div>
              <div>
                <dt>Escalations</dt>
                <dd>
                  {lead.escalations} over {countOf(lead.leadsEscalated, 'lead')} ({ratioText(lead.escalationsPerLead)} per lead)
                </dd>
              </div>
            </dl>
          )}
        </Card>
        <Card title="Re-assignments per lead" hint="How many leads were re-assigned 0, 1, 2, 3 or more times." actions={<CsvLink section="sla" table="reassignmentDistribution" scope={scope} label="re-assignment distribution" />}>
          {reassignmentDistribution.length === 0 ? (
            <Empty>No leads in this range.</Empty>
          ) : (
            <ResponsiveContainer width="100%" height={200}>
              <BarChart maxBarSize={56} data={reassignmentDistribution.map((d) => ({ ...d, label: d.reassignments >= 3 ? '3 or more' : String(d.reassignments) }))} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="label" {...axis()} />
                <YAxis allowDecimals={false} {...axis()} />
                <Tooltip labelFormatter={(v) => `Re-assigned ${String(v)} time(s)`} />
                <Bar isAnimationActive={false} dataKey="leads" name="Leads" fill={colors[0]} />
              </BarChart>
            </ResponsiveContainer>
          )}
        </Card>
      </div>
    </>
  );
}

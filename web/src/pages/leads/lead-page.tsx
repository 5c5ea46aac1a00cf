import type { Graph } from '@lead-router/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { ExternalLink } from 'lucide-react';
import { Link, useParams } from 'wouter';
import { GraphView } from '../../editor/canvas/graph-view';
import { leadOverlay } from '../../editor/test-run/run-overlay';
import { ErrorMessage } from '../../ui/error-message';
import { Instant } from '../../ui/instant';
import { formatCountdown } from '../../ui/format';
import { PageHeader } from '../../ui/page-header';
import { StatusBadge } from '../../ui/status-badge';
import { Tip } from '../../ui/tooltip';
import { useNow } from '../../ui/use-now';
import { assigneeName, unassignedText } from './assignee-text';
import { FailedRun } from './failed-run';
import { ClosedLine, EarlierRuns, LeadActions } from './lead-actions';
import { Milestones, TraceTimeline } from './lead-timeline';
import { assigneesQuery, leadQuery, versionQuery } from './queries';
import { useLeadEvents, type RunState, type TraceStep } from './use-lead-events';

/** Who holds the lead (by name) and the SLA left; or, when nobody does, why: how the run ended, or that it is not there yet. */
function AssigneeLine({ state, steps }: { state: RunState; steps: readonly TraceStep[] }) {
  const now = useNow();
  const known = useQuery(assigneesQuery);
  if (!state.assignee) {
    const { headline, reason } = unassignedText(state, steps);
    return (
      <p className="assignee" data-testid="assignee">
        {headline}.{reason && <span className="muted"> {reason}</span>}
      </p>
    );
  }
  return (
    <p className="assignee" data-testid="assignee">
      Assigned to <strong>{assigneeName(state.assignee, known.data, steps)}</strong> ({state.assignee.type})
      {state.status === 'waiting' && state.deadlineAt && <span className="sla"> · SLA {formatCountdown(state.deadlineAt, now)}</span>}
    </p>
  );
}

/** `/leads/:id`: the lead's live trace as a timeline with timings, its path on the version's canvas, its data. */
export function LeadPage() {
  const { id } = useParams<{ id: string }>();
  const lead = useQuery(leadQuery(id));
  const events = useLeadEvents(id);
  const queryClient = useQueryClient();
  // The detail (timings, current node) follows the stream: refetch it when the run's state changes.
  const stateKey = events.state ? `${events.state.status}|${events.state.assignee?.id ?? ''}|${events.state.acceptedAt ?? ''}` : '';
  useEffect(() => {
    if (stateKey) void queryClient.invalidateQueries({ queryKey: leadQuery(id).queryKey });
  }, [stateKey, id, queryClient]);

  const version = useQuery({ ...versionQuery(lead.data?.workflowId ?? '', lead.data?.version ?? 0), enabled: !!lead.data && lead.data.version !== null });
  // The path lights up to the node the run stands at now (a wait writes its step only when it ends).
  const currentNodeId = lead.data?.currentNodeId ?? null;
  const live = !events.ended && events.state?.status !== 'completed' && events.state?.status !== 'failed';
  const path = useMemo(() => {
    const ids = events.steps.map((s) => s.nodeId);
    return live && currentNodeId && ids.at(-1) !== currentNodeId ? [...ids, currentNodeId] : ids;
  }, [events.steps, live, currentNodeId]);
  // The edges the run took, by each step's outcome (as test runs light them): two outcomes of one step may
  // lead to the same next step, and only the one taken is lit.
  // The client types JSON by its shape, which cannot spell the recursive condition type; it is a Graph.
  const graph = version.data?.graph as unknown as Graph | undefined;
  const highlight = useMemo(() => ({ nodeIds: path, edgeIds: graph ? [...leadOverlay(graph, { path, steps: events.steps }).edgeIds] : [] }), [graph, path, events.steps]);
  const decisions = useMemo(() => Object.fromEntries(events.steps.map((s) => [s.nodeId, s.decision])), [events.steps]);

  if (lead.error) return <ErrorMessage error={lead.error} />;
  if (!lead.data) return <p className="loading">Loading…</p>;
  const l = lead.data;
  const state: RunState = events.state ?? { ...l, leadId: l.leadId };
  const currentNode = l.currentNodeId ? (version.data?.graph.nodes.find((n) => n.id === l.currentNodeId)?.label ?? l.currentNodeId) : null;
  return (
    <section aria-labelledby="lead-title" className="lead-page">
      <PageHeader title={<span id="lead-title">{l.name ?? l.email ?? l.leadId}</span>}>
        <StatusBadge status={state.status} label={state.outcome && state.status === 'completed' ? `completed · ${state.outcome}` : state.status} />
        {l.temporalUrl && (
          <a href={l.temporalUrl} target="_blank" rel="noreferrer">
            Open the run in Temporal <ExternalLink aria-hidden size={14} />
          </a>
        )}
      </PageHeader>
      <p className="muted">
        {l.company && <>{l.company} · </>}
        <Link href={`/workflows/${l.workflowId}`}>{l.workflowName}</Link>
        {l.version !== null && <> v{l.version}</>} · received <Instant iso={l.receivedAt} /> ·{' '}
        <Tip content={<>Lead id: <code>{l.leadId}</code></>}>
          <span className="has-tip" tabIndex={0}>
            lead id
          </span>
        </Tip>
        {events.reconnecting && !events.ended && <span role="status"> · reconnecting…</span>}
      </p>
      <div className="lead-status-row">
        <AssigneeLine state={state} steps={events.steps} />
        <LeadActions lead={l} state={state} />
      </div>
      {l.closed && <ClosedLine closed={l.closed} />}
      {state.status === 'failed' && <FailedRun leadId={l.leadId} error={l.error} />}
      <Milestones receivedAt={l.receivedAt} state={state} />
      <div className="lead-columns">
        <div>
          <h2>Trace</h2>
          <TraceTimeline steps={events.steps} current={currentNode} live={live && state.status !== 'completed' && state.status !== 'failed'} runs={l.earlierRuns} />
          <EarlierRuns runs={l.earlierRuns} current={l.runNumber} />
        </div>
        <div>
          <h2>Path</h2>
          {graph ? <GraphView graph={graph} highlight={highlight} decisions={decisions} /> : <p className="muted">Loading the graph…</p>}
          <h2>Lead data</h2>
          <dl className="lead-data">
            {Object.entries(l.lead).map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>{v === null ? '—' : String(v)}</dd>
              </div>
            ))}
          </dl>
        </div>
      </div>
    </section>
  );
}

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { RefreshCw } from 'lucide-react';
import { useEffect } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { ErrorMessage } from '../../ui/error-message';
import { Field } from '../../ui/field';
import { formatInstant } from '../../ui/format';
import { PageHeader } from '../../ui/page-header';
import { workflowsQuery } from '../workflows/queries';
import { AcceptanceSection } from './acceptance-section';
import { fromLocalInput, parseView, RANGES, resolveRange, SECTIONS, toLocalInput, viewSearch, type AnalyticsView, type RangeId } from './analytics-view';
import { FairnessSection } from './fairness-section';
import type { SectionScope } from './parts';
import { PathsSection } from './paths-section';
import { QueuesSection } from './queues-section';
import { SlaSection } from './sla-section';
import { SpeedSection } from './speed-section';
import './analytics.css';

/**
 * `/analytics`: routing analytics of one workflow over a range: speed to lead, SLA, acceptance, fairness,
 * paths and queues. The view (workflow, range, clock, section) lives in the URL, so a link reproduces it;
 * every figure links to the lead list filtered to the leads behind it.
 */
export function AnalyticsPage() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const view = parseView(search);
  const workflows = useQuery(workflowsQuery(false));
  const queryClient = useQueryClient();
  const setView = (patch: Partial<AnalyticsView>) => {
    const qs = viewSearch({ ...view, ...patch });
    navigate(qs ? `/analytics?${qs}` : '/analytics', { replace: true });
  };

  // Without a workflow in the URL, show the first one (the list is newest first) and say so in the URL.
  const first = workflows.data?.workflows[0]?.id;
  useEffect(() => {
    if (!view.workflow && first) navigate(`/analytics?${viewSearch({ ...view, workflow: first })}`, { replace: true });
  });

  const range = resolveRange(view, new Date());
  const setRange = (id: RangeId) => {
    if (id !== 'custom') return setView({ range: id, from: null, to: null });
    // A custom range starts as the range shown, so it can be adjusted from there.
    const shown = range.ok ? range : resolveRange({ ...view, range: '7d' }, new Date());
    setView({ range: 'custom', from: shown.ok ? shown.from : null, to: shown.ok ? shown.to : null });
  };
  const known = workflows.data?.workflows.find((w) => w.id === view.workflow);
  const scope: SectionScope | null = view.workflow && range.ok ? { workflowId: view.workflow, from: range.from, to: range.to } : null;

  return (
    <section aria-labelledby="analytics-title" className="analytics">
      <PageHeader title={<span id="analytics-title">Routing analytics</span>}>
        <button type="button" onClick={() => void queryClient.invalidateQueries({ queryKey: ['analytics'] })}>
          <RefreshCw aria-hidden size={16} /> Refresh
        </button>
      </PageHeader>
      <form className="filters analytics-filters" aria-label="Analytics view" onSubmit={(e) => e.preventDefault()}>
        <Field label="Workflow">
          <select value={view.workflow ?? ''} onChange={(e) => setView({ workflow: e.target.value || null })}>
            {!view.workflow && <option value="">Pick a workflow</option>}
            {view.workflow && !known && <option value={view.workflow}>{workflows.isPending ? 'Loading…' : 'Unknown workflow'}</option>}
            {workflows.data?.workflows.map((w) => (
              <option key={w.id} value={w.id}>
                {w.name}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Range">
          <select value={view.range} onChange={(e) => setRange(e.target.value as RangeId)}>
            {RANGES.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
          </select>
        </Field>
        {view.range === 'custom' && (
          <>
            <Field label="From">
              <input type="datetime-local" value={toLocalInput(view.from)} onChange={(e) => setView({ from: fromLocalInput(e.target.value) })} />
            </Field>
            <Field label="To">
              <input type="datetime-local" value={toLocalInput(view.to)} onChange={(e) => setView({ to: fromLocalInput(e.target.value) })} />
            </Field>
          </>
        )}
        <div className="field">
          <span className="field-label" id="clock-label">
            Speed to lead in
          </span>
          <div className="segmented" role="group" aria-labelledby="clock-label">
            <button type="button" aria-pressed={view.clock === 'wall'} onClick={() => setView({ clock: 'wall' })}>
              Wall-clock time
            </button>
            <button type="button" aria-pressed={view.clock === 'working'} onClick={() => setView({ clock: 'working' })}>
              Working hours
            </button>
          </div>
        </div>
      </form>
      {range.ok ? (
        <p className="muted analytics-range">
          Leads {known ? <>of <strong>{known.name}</strong> </> : null}received from {formatInstant(range.from)} to {formatInstant(range.to)}
.
        </p>
      ) : (
        <p role="alert" className="error">
          {range.message}
        </p>
      )}
      <nav className="section-tabs" aria-label="Analytics sections">
        {SECTIONS.map((s) => (
          <Link key={s.id} href={`/analytics?${viewSearch({ ...view, section: s.id })}`} className={view.section === s.id ? 'active' : ''} aria-current={view.section === s.id ? 'page' : undefined}>
            {s.label}
          </Link>
        ))}
      </nav>
      <ErrorMessage error={workflows.error} />
      {workflows.data && workflows.data.workflows.length === 0 && <p className="empty">No workflows yet. Create and publish a workflow, post leads to it, and its analytics show here.</p>}
      {scope && <Section view={view} scope={scope} />}
    </section>
  );
}

function Section({ view, scope }: { view: AnalyticsView; scope: SectionScope }) {
  switch (view.section) {
    case 'speed':
      return <SpeedSection scope={scope} clock={view.clock} />;
    case 'sla':
      return <SlaSection scope={scope} />;
    case 'acceptance':
      return <AcceptanceSection scope={scope} />;
    case 'fairness':
      return <FairnessSection scope={scope} />;
    case 'paths':
      return <PathsSection scope={scope} />;
    case 'queues':
      return <QueuesSection scope={scope} />;
  }
}

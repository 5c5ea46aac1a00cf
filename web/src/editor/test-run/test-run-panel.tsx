import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, read } from '../../api/client';
import { versionsQuery, type Simulation, type WaitOutcome } from '../api/queries';
import { ChoiceField } from '../inspector/text-field';
import { useEditorApi } from '../store/editor-context';
import { LeadPicker } from './lead-picker';
import { pinLabel } from './pin';
import { usePinnedRun } from './pinned-run';
import { batchOverlay, leadOverlay } from './run-overlay';
import { BatchResults, LeadResult } from './run-results';
import './test-run.css';

type Lead = Record<string, unknown>;
/** How simulated waits may resolve, in the order the select offers them. */
const WAIT_CHOICES: { value: WaitOutcome; label: string }[] = [
  { value: 'accepted', label: 'accepted' },
  { value: 'timed_out', label: 'timed out' },
  { value: 'rejected', label: 'rejected' },
];
/** Above this many leads the run asks for paths only: full traces of thousands of leads run to tens of MB. */
const FULL_DETAIL_MAX = 200;

/**
 * Runs leads through the draft (as last saved) or a version on the server's simulated effects. One lead: its
 * path lights up with each node's decision. Many: counts per rep and outcome, edge counts, and a table.
 */
export function TestRunPanel({ workflowId, flush }: { workflowId: string; flush?: () => Promise<void> }) {
  const store = useEditorApi();
  const pinned = usePinnedRun();
  const versions = useQuery(versionsQuery(workflowId));
  const [leads, setLeads] = useState<Lead[]>([]);
  const [source, setSource] = useState('draft');
  const [wait, setWait] = useState<WaitOutcome>('accepted');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ runs: Simulation['results']; summary: Simulation['summary'] } | null>(null);
  // The lead whose path and result are shown, by index in the run.
  const [open, setOpen] = useState<number | null>(null);

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      if (source === 'draft') await flush?.();
      const body = await read(
        api.api.workflows[':id'].simulate.$post({
          param: { id: workflowId },
          json: {
            leads,
            source: source === 'draft' ? 'draft' : Number(source),
            waits: { default: { outcome: wait } },
            detail: leads.length > FULL_DETAIL_MAX ? 'path' : 'full',
          },
        }),
      );
      const runs = body.results;
      setResult({ runs, summary: body.summary });
      const graph = store.getState().graph;
      const only = runs.length === 1 ? runs[0] : undefined;
      store.getState().setOverlay(only ? leadOverlay(graph, only) : batchOverlay(graph, body.summary));
      setOpen(only ? 0 : null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setRunning(false);
    }
  };

  const showLead = (i: number) => {
    const r = result?.runs[i];
    if (!r) return;
    setOpen(i);
    store.getState().setOverlay(leadOverlay(store.getState().graph, r));
  };
  const opened = open !== null ? result?.runs[open] : undefined;
  const openedLead = open !== null ? leads[open] : undefined;
  // Pinning runs against the draft: a run against a version pins the same lead, re-run on the draft.
  const pin = openedLead ? () => pinned.pinLead(openedLead, wait) : undefined;

  return (
    <section aria-label="Test run" data-testid="test-run" className="tr-panel">
      {pinned.pin && <PinnedSection workflowId={workflowId} />}
      <LeadPicker workflowId={workflowId} leads={leads} onChange={setLeads} />
      <ChoiceField
        label="Run against"
        value={source}
        choices={[{ value: 'draft', label: 'The draft' }, ...(versions.data?.versions ?? []).map((v) => ({ value: String(v.number), label: `Version ${v.number}${v.active ? ' (active)' : ''}` }))]}
        onChange={setSource}
      />
      <ChoiceField label="Waits resolve as" value={wait} choices={WAIT_CHOICES} onChange={setWait} />
      <button type="button" disabled={leads.length === 0 || running} onClick={() => void run()}>
        {running ? 'Running…' : `Run ${leads.length} lead${leads.length === 1 ? '' : 's'}`}
      </button>
      {result && (
        <button type="button" onClick={() => store.getState().setOverlay(null)}>
          Clear highlight
        </button>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result && result.runs.length > 1 && <BatchResults runs={result.runs} summary={result.summary} open={open} onShow={showLead} />}
      {opened && <LeadResult workflowId={workflowId} run={opened} lead={openedLead} {...(pin ? { onPin: pin } : {})} />}
    </section>
  );
}

/** The pinned lead's latest run through the draft, at the top of the panel, or why there is none. */
function PinnedSection({ workflowId }: { workflowId: string }) {
  const pinned = usePinnedRun();
  if (!pinned.pin) return null;
  const label = pinLabel(pinned.pin.lead);
  return (
    <section className="tr-pinned" aria-label="Pinned lead" data-testid="pinned-result">
      {(pinned.status === 'current' || pinned.status === 'running') && pinned.run ? (
        // While it re-runs, the last result stays (dimmed, marked as being replaced) instead of flickering away.
        <div className={pinned.status === 'running' ? 'tr-stale' : undefined} aria-busy={pinned.status === 'running'}>
          <LeadResult workflowId={workflowId} run={pinned.run} lead={undefined} title={`Pinned: ${label}${pinned.status === 'running' ? ' (re-running…)' : ''}`} />
        </div>
      ) : (
        <>
          <h3 className="tr-title">Pinned: {label}</h3>
          <p className={pinned.status === 'running' ? 'tr-none' : 'error'} role={pinned.status === 'running' ? undefined : 'alert'}>
            {pinned.status === 'running' ? 'Running it through the draft…' : pinned.status === 'invalid' ? 'The draft has problems: fix the problems to re-run. No path is shown until then.' : pinned.error}
          </p>
        </>
      )}
      <button type="button" onClick={pinned.unpin}>
        Unpin
      </button>
    </section>
  );
}

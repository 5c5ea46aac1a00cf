import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, read } from '../../api/client';
import { versionsQuery, type Simulation } from '../api/queries';
import { ChoiceField } from '../inspector/text-field';
import { useEditorApi } from '../store/editor-context';
import { BarChart } from './bar-chart';
import { GoldenSave } from './golden-save';
import { LeadPicker } from './lead-picker';
import { batchOverlay, leadOverlay } from './run-overlay';

type Lead = Record<string, unknown>;
type WaitOutcome = 'accepted' | 'timed_out' | 'rejected';
/** Above this many leads the run asks for paths only: full traces of thousands of leads run to tens of MB. */
const FULL_DETAIL_MAX = 200;

/**
 * Runs leads through the draft (as last saved) or a version on the server's simulated effects. One lead: its
 * path lights up with each node's decision. Many: counts per rep and outcome, edge counts, and a table.
 */
export function TestRunPanel({ workflowId, flush }: { workflowId: string; flush?: () => Promise<void> }) {
  const store = useEditorApi();
  const versions = useQuery(versionsQuery(workflowId));
  const [leads, setLeads] = useState<Lead[]>([]);
  const [source, setSource] = useState('draft');
  const [wait, setWait] = useState<WaitOutcome>('accepted');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ runs: Simulation['results']; summary: Simulation['summary'] } | null>(null);
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

  return (
    <section aria-label="Test run" data-testid="test-run">
      <LeadPicker workflowId={workflowId} leads={leads} onChange={setLeads} />
      <ChoiceField
        label="Run against"
        value={source}
        choices={[{ value: 'draft', label: 'The draft' }, ...(versions.data?.versions ?? []).map((v) => ({ value: String(v.number), label: `Version ${v.number}${v.active ? ' (active)' : ''}` }))]}
        onChange={setSource}
      />
      <ChoiceField
        label="Waits resolve as"
        value={wait}
        choices={[
          { value: 'accepted', label: 'accepted' },
          { value: 'timed_out', label: 'timed out' },
          { value: 'rejected', label: 'rejected' },
        ]}
        onChange={setWait}
      />
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
      {result && result.runs.length > 1 && (
        <>
          <BarChart title="Leads per assignee (rep or queue)" counts={result.summary.byAssignee} />
          <BarChart title="Leads per outcome" counts={result.summary.byOutcome} />
          <table className="compact" data-testid="run-table">
            <thead>
              <tr>
                <th>Lead</th>
                <th>Assignee</th>
                <th>Outcome</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {result.runs.slice(0, 500).map((r, i) => (
                <tr key={`${r.leadId}-${i}`} aria-selected={open === i}>
                  <td>{r.leadId}</td>
                  <td>{r.assignee ?? '—'}</td>
                  <td>{r.outcome}</td>
                  <td>
                    <button type="button" onClick={() => showLead(i)}>
                      Show path of {r.leadId}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {opened && (
        <div data-testid="lead-result">
          <p>
            <strong>{opened.leadId}</strong>: {opened.outcome}, assigned to {opened.assignee ?? 'nobody'}
          </p>
          {opened.problems?.map((p) => (
            <p key={p.field} className="error">
              {p.field}: {p.message}
            </p>
          ))}
          <ol>
            {opened.steps?.map((s, i) => (
              <li key={i}>
                <strong>{s.nodeId}</strong>: {s.decision}
                {s.explanation.length > 0 && <small> ({s.explanation.join('; ')})</small>}
              </li>
            ))}
          </ol>
          {open !== null && leads[open] && <GoldenSave workflowId={workflowId} lead={leads[open]} run={opened} />}
        </div>
      )}
    </section>
  );
}

import type { LeadRun, RunSummary } from '../api/queries';
import { useDirectoryNames } from '../directory/directory-names';
import { BarChart } from './bar-chart';
import { GoldenSave } from './golden-save';

/** How many leads the results table lists; the charts count every lead. */
const TABLE_MAX = 500;

/** A batch run: leads per assignee and per outcome, and one row per lead with a button that shows its path. */
export function BatchResults({ runs, summary, open, onShow }: { runs: readonly LeadRun[]; summary: RunSummary; open: number | null; onShow: (index: number) => void }) {
  const names = useDirectoryNames();
  return (
    <>
      <BarChart title="Leads per assignee (rep or queue)" counts={summary.byAssignee} nameOf={names.assignee} />
      <BarChart title="Leads per outcome" counts={summary.byOutcome} />
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
          {runs.slice(0, TABLE_MAX).map((r, i) => (
            <tr key={`${r.leadId}-${i}`} aria-selected={open === i}>
              <td>{r.leadId}</td>
              <td>{r.assignee ? <span title={r.assignee}>{names.assignee(r.assignee)}</span> : '—'}</td>
              <td>{r.outcome}</td>
              <td>
                <button type="button" onClick={() => onShow(i)}>
                  Show path of {r.leadId}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/**
 * One lead's result: where it ended and with whom, the problems of a lead that could not run, each step's
 * decision and why, and (when the lead it ran is at hand) saving it as a golden lead.
 */
export function LeadResult({ workflowId, run, lead }: { workflowId: string; run: LeadRun; lead: Record<string, unknown> | undefined }) {
  const names = useDirectoryNames();
  return (
    <div data-testid="lead-result">
      <p>
        <strong>{run.leadId}</strong>: {run.outcome}, assigned to {run.assignee ? <span title={run.assignee}>{names.assignee(run.assignee)}</span> : 'nobody'}
      </p>
      {run.problems?.map((p) => (
        <p key={p.field} className="error">
          {p.field}: {p.message}
        </p>
      ))}
      <ol>
        {run.steps?.map((s, i) => (
          <li key={i}>
            <strong>{s.nodeId}</strong>: {s.decision}
            {s.explanation.length > 0 && <small> ({s.explanation.join('; ')})</small>}
          </li>
        ))}
      </ol>
      {lead && <GoldenSave workflowId={workflowId} lead={lead} run={run} />}
    </div>
  );
}

import { useQuery } from '@tanstack/react-query';
import { ChevronDown, ChevronRight, Pin } from 'lucide-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { fieldsQuery, type LeadRun, type RunSummary } from '../api/queries';
import { useDirectoryNames } from '../directory/directory-names';
import type { DirectoryNames } from '../directory/names';
import { useEditor, useEditorApi } from '../store/editor-context';
import { BarChart } from './bar-chart';
import { GoldenSave } from './golden-save';
import { outcomeWords, stepDetails, type ReceivedRow, type StepDetails } from './step-details';
import './test-run.css';

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

/** Fields whose values are directory ids: shown by name, the id in the tooltip. */
const ASSIGNEE_FIELDS = new Set(['owner', 'accountOwner']);

/** A field's value as the results show it: an owner by name, anything else as it is. */
function FieldValue({ field, value, names }: { field: string; value: string; names: DirectoryNames }) {
  if (!ASSIGNEE_FIELDS.has(field) || value === 'empty') return <span className={value === 'empty' ? 'tr-empty' : undefined}>{value}</span>;
  return <span title={value}>{names.assignee(value)}</span>;
}

/** A list's rows beyond those shown. */
const More = ({ n }: { n: number }) => (n > 0 ? <p className="tr-more">… {n} more</p> : null);

/** Fields as a step saw them, each with the earlier step that set it. */
function FieldRows({ rows, field, names }: { rows: readonly ReceivedRow[]; field: (key: string) => ReactNode; names: DirectoryNames }) {
  return (
    <table className="tr-fields">
      <tbody>
        {rows.map((r) => (
          <tr key={r.field}>
            <th scope="row">{field(r.field)}</th>
            <td>
              <FieldValue field={r.field} value={r.value} names={names} />
              {r.setBy && <small className="tr-set-by"> · set by {r.setBy}</small>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What one step received and produced, opened under its line. */
function StepBody({ d, labelOf, names }: { d: StepDetails; labelOf: (key: string) => string; names: DirectoryNames }) {
  const field = (key: string): ReactNode => <span title={key}>{labelOf(key)}</span>;
  const p = d.produced;
  const read = d.received.rows.filter((r) => r.read);
  const earlier = d.received.rows.filter((r) => !r.read);
  return (
    <div className="tr-step-body" data-testid="step-details">
      <section aria-label="Received">
        <h4>Received</h4>
        {read.length === 0 && earlier.length === 0 && <p className="tr-none">No lead fields read, none changed by earlier steps.</p>}
        {read.length > 0 && <FieldRows rows={read} field={field} names={names} />}
        {earlier.length > 0 && (
          <>
            <p className="tr-caption">Changed by earlier steps, not read here</p>
            <FieldRows rows={earlier} field={field} names={names} />
          </>
        )}
        <More n={d.received.more} />
      </section>
      <section aria-label="Produced">
        <h4>Produced</h4>
        <p className="tr-produced">
          {p.outcome ? (
            <>
              Outcome <span className="tr-outcome">{outcomeWords(p.outcome)}</span>
            </>
          ) : (
            'The run ends here'
          )}
          {p.assignee && <> · assignee <strong>{p.assignee}</strong></>}
          {p.account && <> · account <strong>{p.account}</strong></>}
        </p>
        {p.changes.length === 0 ? (
          <p className="tr-none">No lead fields changed.</p>
        ) : (
          <table className="tr-fields">
            <tbody>
              {p.changes.map((c) => (
                <tr key={c.field}>
                  <th scope="row">{field(c.field)}</th>
                  <td>
                    <span className="tr-before">
                      <FieldValue field={c.field} value={c.before} names={names} />
                    </span>
                    <span className="tr-arrow" aria-label="changed to">
                      →
                    </span>
                    <FieldValue field={c.field} value={c.after} names={names} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <More n={p.more} />
      </section>
    </div>
  );
}

/**
 * One lead's result: where it ended and with whom, the problems of a lead that could not run, and each step:
 * its decision and why, and opened, what it received (the fields it read, those earlier steps changed) and
 * what it produced. Opening a step selects its node on the canvas; selecting a node opens its step.
 * With `onPin`, the lead can be pinned to the canvas; with the lead at hand, saved as a golden lead.
 */
export function LeadResult({ workflowId, run, lead, onPin, title }: { workflowId: string; run: LeadRun; lead: Record<string, unknown> | undefined; onPin?: () => void; title?: string }) {
  const names = useDirectoryNames();
  const store = useEditorApi();
  const fields = useQuery(fieldsQuery);
  const selected = useEditor((s) => s.selectedNodes);
  const [chosen, setChosen] = useState<number | null>(null);
  const steps = run.steps ?? [];
  const details = stepDetails(steps);
  const labels = new Map((fields.data?.fields ?? []).map((f) => [f.key, f.label]));
  const labelOf = (key: string) => labels.get(key) ?? key;
  // The step opened: the one chosen here, unless a node selected on the canvas names another step.
  const selectedNode = selected.length === 1 ? selected[0] : undefined;
  const bySelection = selectedNode !== undefined && steps[chosen ?? -1]?.nodeId !== selectedNode ? steps.findIndex((s) => s.nodeId === selectedNode) : -1;
  const open = bySelection >= 0 ? bySelection : chosen;
  // The opened step comes into view in the panel (opened from the canvas, it may be far down the list).
  const openRef = useRef<HTMLLIElement | null>(null);
  useEffect(() => {
    if (open !== null) openRef.current?.scrollIntoView({ block: 'nearest' });
  }, [open]);
  const toggle = (i: number) => {
    const s = steps[i];
    if (!s) return;
    if (open === i) {
      setChosen(null);
      store.getState().select([]);
    } else {
      setChosen(i);
      store.getState().select([s.nodeId]);
    }
  };
  return (
    <div data-testid="lead-result" className="tr-lead-result">
      {title && <h3 className="tr-title">{title}</h3>}
      <div className="tr-summary">
        <p>
          <strong>{run.leadId}</strong>: {outcomeWords(run.outcome)}, assigned to {run.assignee ? <span title={run.assignee}>{names.assignee(run.assignee)}</span> : 'nobody'}
        </p>
        {onPin && (
          <button type="button" className="tr-pin-button" onClick={onPin} title="Re-run this lead on every edit of the draft, its path on the canvas">
            <Pin size={14} aria-hidden /> Pin to canvas
          </button>
        )}
      </div>
      {run.problems?.map((p) => (
        <p key={p.field} className="error">
          {p.field}: {p.message}
        </p>
      ))}
      <ol className="tr-steps">
        {steps.map((s, i) => {
          const isOpen = open === i;
          const d = details[i];
          return (
            <li key={i} ref={isOpen ? openRef : undefined} className={`tr-step${isOpen ? ' tr-open' : ''}`} aria-current={isOpen ? 'step' : undefined}>
              <button type="button" className="tr-step-head" aria-expanded={isOpen} onClick={() => toggle(i)} title={`Step ${s.seq}: ${s.label} (${s.nodeId})`}>
                {isOpen ? <ChevronDown size={14} aria-hidden /> : <ChevronRight size={14} aria-hidden />}
                <span className="tr-step-text">
                  <span className="tr-step-label">{s.label}</span> <code>{s.nodeId}</code>: <span className="tr-decision">{s.decision}</span>
                  {s.explanation.length > 0 && <small className="tr-why"> ({s.explanation.join('; ')})</small>}
                </span>
              </button>
              {isOpen && d && <StepBody d={d} labelOf={labelOf} names={names} />}
            </li>
          );
        })}
      </ol>
      {lead && <GoldenSave workflowId={workflowId} lead={lead} run={run} />}
    </div>
  );
}

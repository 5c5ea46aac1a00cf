import { Link } from 'wouter';
import { CAP_LABELS } from './queries';

/** One lead's result of a bulk move (the queue's assign, or the lead list's bulk actions). */
export interface MoveResultView {
  leadId: string;
  path: string;
  result: string;
  message?: string | null;
  cap?: string;
  code?: string;
}

const GOOD = new Set(['assigned', 'rerouted']);
const LABELS: Record<string, string> = {
  assigned: 'assigned',
  rerouted: 're-routed',
  conflict: 'conflict',
  cap: 'cap',
  not_found: 'not found',
  unavailable: 'engine unavailable',
  refused: 'refused',
};

/**
 * What a bulk move did, lead by lead: the counts, then every lead that did not go through with why (its
 * place in the request, the cap it hit, who has it), each linked to its lead page.
 */
export function MoveResults({ title, results, names, onDismiss }: { title: string; results: readonly MoveResultView[]; names: (leadId: string) => string; onDismiss: () => void }) {
  const counts = new Map<string, number>();
  for (const r of results) counts.set(r.result, (counts.get(r.result) ?? 0) + 1);
  return (
    <section className="move-results" aria-label={title} data-testid="move-results">
      <div className="selection-bar">
        <strong>{title}</strong>
        <span className="counts">
          {[...counts].map(([result, n]) => (
            <span key={result} className={GOOD.has(result) ? 'result-ok' : 'result-bad'}>
              {n} {LABELS[result] ?? result}
            </span>
          ))}
        </span>
        <button type="button" className="ghost" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
      <ul>
        {results.map((r) => (
          <li key={r.path} data-result={r.result}>
            <Link href={`/leads/${encodeURIComponent(r.leadId)}`}>{names(r.leadId)}</Link>:{' '}
            <span className={GOOD.has(r.result) ? 'result-ok' : 'result-bad'}>
              {LABELS[r.result] ?? r.result}
              {r.result === 'cap' && r.cap ? ` (${CAP_LABELS[r.cap] ?? r.cap})` : ''}
              {r.result === 'refused' && r.code ? ` (${r.code})` : ''}
            </span>
            {r.message && <span className="muted"> · {r.message}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

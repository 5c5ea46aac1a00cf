import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, read } from '../../api/client';
import { useEditorApi } from '../store/editor-context';
import { leadOverlay } from '../test-run/run-overlay';

const WEEK_MS = 7 * 86_400_000;

/** The draft replayed over the last 7 days of real leads: share per rep before and after, and the leads that move. */
export function BacktestSummary({ workflowId, onShow }: { workflowId: string; onShow: () => void }) {
  const store = useEditorApi();
  const [since] = useState(() => new Date(Date.now() - WEEK_MS).toISOString());
  const bt = useQuery({
    queryKey: ['workflow', workflowId, 'backtest', since],
    queryFn: () => read(api.api.workflows[':id'].backtest.$post({ param: { id: workflowId }, json: { since, source: 'draft', limit: 1000 } })),
    staleTime: 0,
  });
  if (bt.isPending) return <p>Replaying the last 7 days…</p>;
  if (bt.isError) return <p className="error">Backtest: {bt.error.message}</p>;
  const { summary, leads } = bt.data;
  const reps = [...new Set([...Object.keys(summary.shareBefore), ...Object.keys(summary.shareAfter)])];
  const moved = leads.filter((l) => l.moved);
  return (
    <section aria-label="Backtest" data-testid="publish-backtest">
      <h3>Last 7 days: {summary.leads} leads, {summary.moved} would move</h3>
      {reps.length > 0 && (
        <table className="compact">
          <thead>
            <tr>
              <th>Rep</th>
              <th>Before</th>
              <th>After</th>
            </tr>
          </thead>
          <tbody>
            {reps.map((r) => (
              <tr key={r}>
                <td>{r}</td>
                <td>{pct(summary.shareBefore[r])}</td>
                <td>{pct(summary.shareAfter[r])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {moved.length > 0 && (
        <ul>
          {moved.slice(0, 50).map((l) => (
            <li key={l.leadId}>
              {l.leadId}: {l.actual.assignee ?? 'nobody'} → {l.predicted.assignee ?? 'nobody'}{' '}
              <button
                type="button"
                onClick={() => {
                  store.getState().setOverlay(leadOverlay(store.getState().graph, { path: l.predicted.path }));
                  onShow();
                }}
              >
                Show new path of {l.leadId}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function pct(share: number | undefined): string {
  return share === undefined ? '—' : `${Math.round(share * 1000) / 10}%`;
}

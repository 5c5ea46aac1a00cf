import { useQuery } from '@tanstack/react-query';
import { api, read } from '../../api/client';

/** What the draft changes against the active version: nodes added, removed and changed (with the fields). */
export function DiffSummary({ workflowId }: { workflowId: string }) {
  const diff = useQuery({
    queryKey: ['workflow', workflowId, 'diff', 'draft'],
    queryFn: () => read(api.api.workflows[':id'].diff.$get({ param: { id: workflowId }, query: {} })),
    staleTime: 0,
    // About the draft as it was: never shown again from the cache after an edit.
    gcTime: 0,
  });
  if (diff.isPending) return <p>Comparing with the active version…</p>;
  if (diff.isError) return <p className="error">{diff.error.message}</p>;
  const d = diff.data;
  return (
    <section className="publish-section" aria-label="Changes" data-testid="publish-diff">
      <h3>Changes since {d.from === null ? 'nothing (first version)' : `version ${d.from}`}</h3>
      {d.summary.identical ? (
        <p>No changes.</p>
      ) : (
        <ul>
          {d.nodes.added.map((n) => (
            <li key={`a-${n.id}`}>Added {n.label} ({n.id})</li>
          ))}
          {d.nodes.removed.map((n) => (
            <li key={`r-${n.id}`}>Removed {n.label} ({n.id})</li>
          ))}
          {d.nodes.changed
            .filter((n) => !n.positionOnly)
            .map((n) => (
              <li key={`c-${n.id}`}>
                Changed {n.label} ({n.id}): {n.changes.map((c) => c.text).join('; ')}
              </li>
            ))}
          {d.summary.edgesAdded + d.summary.edgesRemoved > 0 && (
            <li>
              {d.summary.edgesAdded} connection(s) added, {d.summary.edgesRemoved} removed
            </li>
          )}
          {d.summary.nodesMoved > 0 && <li>{d.summary.nodesMoved} step(s) moved</li>}
        </ul>
      )}
    </section>
  );
}

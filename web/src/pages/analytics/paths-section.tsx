import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { ErrorMessage } from '../../ui/error-message';
import { countOf } from './analytics-view';
import { Card, CsvLink, Empty, LeadsLink, type SectionScope } from './parts';
import { flowOrder, groupBy } from './pivot';
import { pathsQuery, type PathsData } from './queries';

type Edge = PathsData['edges'][number];

// React Flow and the builder's node views load with the canvas card only.
const PathsCanvas = lazy(() => import('./paths-canvas').then((m) => ({ default: m.PathsCanvas })));

const nodeName = (e: Edge) => e.nodeLabel ?? e.nodeId;
const outcomeText = (o: string | null) => (o === null ? 'next' : o.replaceAll('_', ' '));
const nextName = (e: Edge) => (e.next === null ? 'ends here' : (e.nextLabel ?? e.next));
const day = (d: string) => new Date(`${d}T00:00:00Z`).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

/** Paths: how the leads left each step, by outcome and next step: the counts of the canvas's edges. */
export function PathsSection({ scope }: { scope: SectionScope }) {
  const q = useQuery(pathsQuery(scope));
  if (q.error) return <ErrorMessage error={q.error} />;
  if (!q.data) return <p className="loading">Loading…</p>;
  const { edges, days } = q.data;
  const groups = new Map(groupBy(edges, (e) => e.nodeId));
  const nodes = flowOrder(edges).map((id) => [id, groups.get(id) ?? []] as const);
  return (
    <>
    <Card
      title="Paths through the workflow"
      hint={`Steps that left each node, by outcome and next step. Counted per whole day (UTC), ${day(days.first)} to ${day(days.last)}. Click a count for the leads.`}
      actions={<CsvLink section="paths" table="edges" scope={scope} label="paths" />}
    >
      {edges.length === 0 ? (
        <Empty>No lead went through this workflow in this range. Pick a longer range, or post leads to it.</Empty>
      ) : (
        <table className="table paths-table" aria-label="Paths">
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Outcome</th>
              <th scope="col">Next step</th>
              <th scope="col" className="num">
                Steps
              </th>
            </tr>
          </thead>
          {nodes.map(([nodeId, rows]) => {
            const total = rows.reduce((n, r) => n + r.steps, 0);
            return (
              <tbody key={nodeId}>
                {rows.map((e, i) => (
                  <tr key={`${e.outcome ?? ''}/${e.next ?? ''}`}>
                    {i === 0 && (
                      <th scope="rowgroup" rowSpan={rows.length} className="paths-node">
                        {nodeName(e)}
                        <span className="muted"> · {e.nodeType.replaceAll('_', ' ')}</span>
                        <div className="muted">{countOf(total, 'step')}</div>
                      </th>
                    )}
                    <td>{outcomeText(e.outcome)}</td>
                    <td>{nextName(e)}</td>
                    <td className="num">
                      <LeadsLink filter={e.leads} label={`${nodeName(e)} ${outcomeText(e.outcome)}: ${countOf(e.steps, 'step')}`}>
                        {e.steps}
                      </LeadsLink>
                    </td>
                  </tr>
                ))}
              </tbody>
            );
          })}
        </table>
      )}
    </Card>
    {edges.length > 0 && (
      <Card title="On the canvas" hint="The active version, with each step's counts for the range and the steps leads went through lit up.">
        <Suspense fallback={<p className="loading">Loading the workflow…</p>}>
          <PathsCanvas workflowId={scope.workflowId} edges={edges} />
        </Suspense>
      </Card>
    )}
    </>
  );
}

import { useQuery } from '@tanstack/react-query';
import type { Graph } from '@lead-router/shared';
import { versionQuery } from '../../editor/api/queries';
import { GraphView } from '../../editor/canvas/graph-view';
import { ErrorMessage } from '../../ui/error-message';
import { workflowsQuery } from '../workflows/queries';
import { pathCounts } from './pivot';
import type { PathsData } from './queries';

/**
 * The workflow's active version, read-only, with each step's counts on it ("us 3 · else 1") and the steps
 * leads went through lit up. Its own module, loaded with the Paths section only when shown (React Flow).
 */
export function PathsCanvas({ workflowId, edges }: { workflowId: string; edges: PathsData['edges'] }) {
  const workflows = useQuery(workflowsQuery(false));
  const active = workflows.data?.workflows.find((w) => w.id === workflowId)?.activeVersion ?? null;
  const version = useQuery({ ...versionQuery(workflowId, active ?? 0), enabled: active !== null });
  if (version.error) return <ErrorMessage error={version.error} />;
  if (active === null && workflows.data) return <p className="muted">This workflow has no active version to draw.</p>;
  if (!version.data) return <p className="loading">Loading the workflow…</p>;
  const counts = pathCounts(edges);
  return (
    <div className="paths-canvas" aria-label={`Version ${active} with the counts of the range`}>
      <GraphView graph={version.data.graph as Graph} highlight={{ nodeIds: Object.keys(counts) }} decisions={counts} />
    </div>
  );
}

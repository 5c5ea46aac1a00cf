import { edgeId, type Graph } from '@lead-router/shared';
import type { LeadRun, RunStep, RunSummary } from '../api/queries';
import type { RunOverlay } from '../store/editor-store';

/** What the overlay reads of one lead's run (a `LeadRun` of the simulate route is one). */
export type RunPath = Pick<LeadRun, 'path'> & { steps?: ReadonlyArray<Pick<RunStep, 'nodeId' | 'decision' | 'explanation' | 'outcome' | 'next'>> | undefined };

/**
 * One lead's path for the canvas: the nodes it visited, the edges it took (from each step's outcome, or
 * between consecutive path nodes when only the path is known), and each node's decision and why.
 */
export function leadOverlay(graph: Graph, run: RunPath): RunOverlay {
  const edgeIds = new Set<string>();
  const decisions: Record<string, string> = {};
  if (run.steps) {
    for (const s of run.steps) {
      if (s.outcome && s.next) edgeIds.add(edgeId(s.nodeId, s.outcome, s.next));
      const why = s.explanation.length ? ` (${s.explanation.join('; ')})` : '';
      decisions[s.nodeId] = `${s.decision}${why}`;
    }
  } else {
    for (let i = 0; i + 1 < run.path.length; i++) {
      const e = graph.edges.find((x) => x.source === run.path[i] && x.target === run.path[i + 1]);
      if (e) edgeIds.add(edgeId(e.source, e.sourceHandle, e.target));
    }
  }
  return { nodeIds: new Set(run.path), edgeIds, decisions };
}

/** Many leads for the canvas: every node some lead reached, and how many leads took each edge. */
export function batchOverlay(graph: Graph, summary: Pick<RunSummary, 'byNode' | 'byEdge'>): RunOverlay {
  const edgeCounts: Record<string, number> = {};
  const edgeIds = new Set<string>();
  for (const e of graph.edges) {
    const n = summary.byEdge[`${e.source}:${e.sourceHandle}`];
    if (n) {
      const id = edgeId(e.source, e.sourceHandle, e.target);
      edgeCounts[id] = n;
      edgeIds.add(id);
    }
  }
  const decisions: Record<string, string> = {};
  for (const [node, n] of Object.entries(summary.byNode)) decisions[node] = `${n} lead${n === 1 ? '' : 's'}`;
  return { nodeIds: new Set(Object.keys(summary.byNode)), edgeIds, decisions, edgeCounts };
}

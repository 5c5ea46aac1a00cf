import { edgeId, type Graph } from '@lead-router/shared';
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect } from 'react';
import { DirectoryNamesProvider } from '../directory/directory-names';
import { EditorProvider, useEditorApi } from '../store/editor-context';
import { EditorCanvas } from './editor-canvas';
import '../editor.css';

/** Props of the read-only graph view. Kept stable: other pages (the lead trace) depend on them. */
export interface GraphViewProps {
  graph: Graph;
  /** The nodes (and edges) to light up, e.g. the path a lead took. */
  highlight?: { nodeIds: string[]; edgeIds?: string[] };
  /** What each node decided, by node id, shown on the node. */
  decisions?: Record<string, string>;
}

function Sync({ graph, highlight, decisions }: GraphViewProps) {
  const api = useEditorApi();
  useEffect(() => api.getState().reset(graph), [api, graph]);
  useEffect(() => {
    if (!highlight && !decisions) return api.getState().setOverlay(null);
    const nodeIds = new Set(highlight?.nodeIds ?? []);
    // Without explicit edges, light the edges between consecutive nodes of the path.
    const edgeIds = new Set(highlight?.edgeIds ?? pathEdges(graph, highlight?.nodeIds ?? []));
    api.getState().setOverlay({ nodeIds, edgeIds, decisions: decisions ?? {} });
  }, [api, graph, highlight, decisions]);
  return null;
}

/** The edges a path of node ids runs along: for each step, the edge from it to the next step. */
export function pathEdges(graph: Graph, path: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < path.length; i++) {
    const e = graph.edges.find((x) => x.source === path[i] && x.target === path[i + 1]);
    if (e) out.push(edgeId(e.source, e.sourceHandle, e.target));
  }
  return out;
}

/**
 * A read-only canvas of a graph, for pages that show a graph without editing it (a lead's trace, a version).
 * @example <GraphView graph={version.graph} highlight={{ nodeIds: trace.path }} decisions={byNode} />
 */
export function GraphView(props: GraphViewProps) {
  return (
    <EditorProvider graph={props.graph} readOnly>
      <DirectoryNamesProvider>
        <ReactFlowProvider>
          <Sync {...props} />
          <div className="graph-view">
            <EditorCanvas />
          </div>
        </ReactFlowProvider>
      </DirectoryNamesProvider>
    </EditorProvider>
  );
}

import type { NodeChange } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useEditor, useEditorApi } from '../store/editor-context';
import { toFlowNodes, type FlowNodeCache, type Measured, type RouteFlowNode } from '../store/to-flow';

/**
 * React Flow's nodes, derived from the store's graph and selection, and the handler that turns React Flow's
 * node changes into store actions on OUR graph (moves, selection). Sizes React Flow measures are kept here,
 * not in our graph, and handed back on every node object; flow nodes are cached per graph node, so 500 nodes
 * stay smooth.
 * @example const { nodes, onNodesChange } = useFlowNodes(); <ReactFlow nodes={nodes} onNodesChange={onNodesChange} />
 */
export function useFlowNodes(): { nodes: RouteFlowNode[]; onNodesChange: (changes: NodeChange<RouteFlowNode>[]) => void } {
  const api = useEditorApi();
  const graphNodes = useEditor((s) => s.graph.nodes);
  const selectedNodes = useEditor((s) => s.selectedNodes);
  const sizes = useRef(new Map<string, Measured>());
  const [sizeTick, setSizeTick] = useState(0);
  const cache = useRef<FlowNodeCache>(new WeakMap());
  const selectedNodeSet = useMemo(() => new Set(selectedNodes), [selectedNodes]);
  // sizeTick is read so a new measurement rebuilds the list with the sizes.
  const nodes = useMemo(() => (sizeTick >= 0 ? toFlowNodes(graphNodes, selectedNodeSet, cache.current, sizes.current) : []), [graphNodes, selectedNodeSet, sizeTick]);

  const onNodesChange = useCallback(
    (changes: NodeChange<RouteFlowNode>[]) => {
      const positions = new Map<string, { x: number; y: number }>();
      let measured = false;
      let selection: Set<string> | null = null;
      for (const c of changes) {
        if (c.type === 'position' && c.position) positions.set(c.id, c.position);
        else if (c.type === 'dimensions' && c.dimensions) {
          const prev = sizes.current.get(c.id);
          if (!prev || prev.width !== c.dimensions.width || prev.height !== c.dimensions.height) {
            sizes.current.set(c.id, { width: c.dimensions.width, height: c.dimensions.height });
            measured = true;
          }
        } else if (c.type === 'select') {
          selection ??= new Set(api.getState().selectedNodes);
          if (c.selected) selection.add(c.id);
          else selection.delete(c.id);
        }
      }
      if (positions.size > 0) api.getState().moveNodes(positions);
      if (selection) api.getState().select([...selection], api.getState().selectedEdges);
      if (measured) setSizeTick((t) => t + 1);
    },
    [api],
  );
  return { nodes, onNodesChange };
}

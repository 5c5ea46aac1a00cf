import { Background, Controls, MiniMap, ReactFlow, useStore, type Connection, type EdgeChange, type OnNodeDrag, type Viewport } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { Graph } from '@lead-router/shared';
import { useCallback, useMemo, useState } from 'react';
import { nodeTypes } from '../nodes/registry';
import { useEditor, useEditorApi } from '../store/editor-context';
import type { RouteFlowNode } from '../store/to-flow';
import { canvasEdges } from './flow-edges';
import { edgeTypes } from './outcome-edge';
import { useFlowNodes } from './use-flow-nodes';
import { usePaletteDrop } from './use-palette-drop';

/** Above this many nodes the canvas opens at a readable zoom on the trigger instead of fitting everything. */
export const LARGE_GRAPH = 150;
const OPEN_ZOOM = 0.8;

/**
 * Where a large graph opens: the trigger (else the top-most node) near the top left, at a readable zoom.
 * Drawing only what is on screen (onlyRenderVisibleElements) keeps opening fast however big the graph is;
 * "Zoom to fit" still shows everything.
 */
export function openingViewport(graph: Graph): Viewport | null {
  if (graph.nodes.length <= LARGE_GRAPH) return null;
  const first = graph.nodes.find((n) => n.type === 'trigger') ?? graph.nodes.reduce((a, b) => (b.position.y < a.position.y ? b : a));
  return { x: 480 - first.position.x * OPEN_ZOOM, y: 40 - first.position.y * OPEN_ZOOM, zoom: OPEN_ZOOM };
}

/** The zoom below which labels are left out. */
const ZOOMED_OUT = 0.35;

/**
 * Renders the store's graph with React Flow and nothing else: every change React Flow reports becomes a store
 * action on OUR graph, and the flow nodes are derived from it (`useFlowNodes`: cached per node, so 500 nodes
 * stay smooth); a kind dragged from the palette is dropped through `usePaletteDrop`.
 */
export function EditorCanvas({ fitOnLoad = true }: { fitOnLoad?: boolean }) {
  const api = useEditorApi();
  const graph = useEditor((s) => s.graph);
  const readOnly = useEditor((s) => s.readOnly);
  const selectedEdges = useEditor((s) => s.selectedEdges);
  const overlay = useEditor((s) => s.overlay);
  // Level of detail: below this zoom text is unreadable, so labels are not drawn (large graphs stay smooth).
  const zoomedOut = useStore((s) => s.transform[2] < ZOOMED_OUT);
  const { nodes, onNodesChange } = useFlowNodes();
  const { onDragOver, onDrop } = usePaletteDrop();

  // Read once: the opening viewport must not move when the graph is edited.
  const [opening] = useState(() => openingViewport(api.getState().graph));
  // Fit only a graph that has nodes when it opens; fitting the first node dropped on an empty canvas
  // would zoom in on it.
  const [fitsOnOpen] = useState(() => fitOnLoad && !opening && api.getState().graph.nodes.length > 0);
  const selectedEdgeSet = useMemo(() => new Set(selectedEdges), [selectedEdges]);
  const edges = useMemo(() => canvasEdges(graph, selectedEdgeSet, overlay, !zoomedOut), [graph, selectedEdgeSet, overlay, zoomedOut]);

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      let selection: Set<string> | null = null;
      for (const c of changes) {
        if (c.type !== 'select') continue;
        selection ??= new Set(api.getState().selectedEdges);
        if (c.selected) selection.add(c.id);
        else selection.delete(c.id);
      }
      if (selection) api.getState().select(api.getState().selectedNodes, [...selection]);
    },
    [api],
  );

  const onConnect = useCallback((c: Connection) => {
    if (c.sourceHandle) api.getState().connect(c.source, c.sourceHandle, c.target);
  }, [api]);

  // One undo step per drag, not one per frame.
  const onNodeDragStart: OnNodeDrag<RouteFlowNode> = useCallback(() => api.getState().checkpoint(), [api]);

  return (
    <div className={`editor-canvas${zoomedOut ? ' zoomed-out' : ''}`} data-testid="canvas">
      <ReactFlow<RouteFlowNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={readOnly ? undefined : onConnect}
        onNodeDragStart={onNodeDragStart}
        onDragOver={readOnly ? undefined : onDragOver}
        onDrop={readOnly ? undefined : onDrop}
        isValidConnection={(c) => c.source !== c.target}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        elementsSelectable
        // Deleting goes through our own shortcuts, so it is one undo step and respects read-only.
        deleteKeyCode={null}
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        fitView={fitsOnOpen}
        {...(opening ? { defaultViewport: opening } : {})}
        minZoom={0.05}
        onlyRenderVisibleElements={graph.nodes.length > LARGE_GRAPH}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable ariaLabel="Minimap of the routing graph" />
      </ReactFlow>
    </div>
  );
}

import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type OnNodeDrag,
  type Viewport,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { isNodeType, type Graph } from '@lead-router/shared';
import { useCallback, useMemo, useRef, useState, type DragEvent } from 'react';
import { nodeTypes } from '../nodes/registry';
import { useEditor, useEditorApi } from '../store/editor-context';
import type { FlowNodeCache, Measured, RouteFlowNode } from '../store/to-flow';
import { toFlowNodes } from '../store/to-flow';
import { canvasEdges } from './flow-edges';
import { edgeTypes } from './outcome-edge';

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

/** The MIME type the palette puts on a drag, carrying the node kind. */
export const PALETTE_MIME = 'application/x-route-node';

/**
 * Renders the store's graph with React Flow and nothing else: every change React Flow reports becomes a store
 * action on OUR graph, and the flow nodes are derived from it (cached per node, so 500 nodes stay smooth).
 */
export function EditorCanvas({ fitOnLoad = true }: { fitOnLoad?: boolean }) {
  const api = useEditorApi();
  const graph = useEditor((s) => s.graph);
  const readOnly = useEditor((s) => s.readOnly);
  const selectedNodes = useEditor((s) => s.selectedNodes);
  const selectedEdges = useEditor((s) => s.selectedEdges);
  const overlay = useEditor((s) => s.overlay);
  const { screenToFlowPosition } = useReactFlow();
  // Level of detail: below this zoom text is unreadable, so labels are not drawn (large graphs stay smooth).
  const zoomedOut = useStore((s) => s.transform[2] < ZOOMED_OUT);

  // Sizes React Flow measured; kept here (not in our graph) and handed back on every node object.
  const sizes = useRef(new Map<string, Measured>());
  const [sizeTick, setSizeTick] = useState(0);
  const cache = useRef<FlowNodeCache>(new WeakMap());

  // Read once: the opening viewport must not move when the graph is edited.
  const [opening] = useState(() => openingViewport(api.getState().graph));
  // Fit only a graph that has nodes when it opens; fitting the first node dropped on an empty canvas
  // would zoom in on it.
  const [fitsOnOpen] = useState(() => fitOnLoad && !opening && api.getState().graph.nodes.length > 0);
  const selectedNodeSet = useMemo(() => new Set(selectedNodes), [selectedNodes]);
  const selectedEdgeSet = useMemo(() => new Set(selectedEdges), [selectedEdges]);
  // sizeTick is read so a new measurement rebuilds the list with the sizes.
  const nodes = useMemo(() => (sizeTick >= 0 ? toFlowNodes(graph.nodes, selectedNodeSet, cache.current, sizes.current) : []), [graph.nodes, selectedNodeSet, sizeTick]);
  const edges = useMemo(() => canvasEdges(graph, selectedEdgeSet, overlay, !zoomedOut), [graph, selectedEdgeSet, overlay, zoomedOut]);

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

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(PALETTE_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(PALETTE_MIME);
      if (!isNodeType(type)) return;
      e.preventDefault();
      api.getState().addNode(type, screenToFlowPosition({ x: e.clientX, y: e.clientY }));
    },
    [api, screenToFlowPosition],
  );

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

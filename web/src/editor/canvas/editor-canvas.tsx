import { Background, ControlButton, Controls, MiniMap, ReactFlow, useStore, type Connection, type EdgeChange, type NodeTypes, type OnNodeDrag, type Viewport } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { Map as MapIcon } from 'lucide-react';
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { nodeTypes } from '../nodes/registry';
import { useEditor, useEditorApi } from '../store/editor-context';
import type { CanvasFlowNode } from '../store/to-flow';
import { canvasEdges } from './flow-edges';
import { openingViewport } from './opening-viewport';
import { edgeTypes } from './outcome-edge';
import { useFlowNodes } from './use-flow-nodes';
import { StickyNote } from './sticky-note';
import { usePaletteDrop } from './use-palette-drop';

/** Every kind's card and the sticky note, built once at module scope (a new object per render re-mounts every node). */
const canvasNodeTypes: NodeTypes = { ...nodeTypes, note: StickyNote };

/** Above this many nodes the canvas draws only what is on screen. */
export const LARGE_GRAPH = 150;

/** The zoom below which labels are left out. */
const ZOOMED_OUT = 0.35;

/**
 * Renders the store's graph with React Flow and nothing else: every change React Flow reports becomes a store
 * action on OUR graph, and the flow nodes are derived from it (`useFlowNodes`: cached per node, so 500 nodes
 * stay smooth); a kind dragged from the palette is dropped through `usePaletteDrop`. The graph opens at a
 * readable zoom (`openingViewport`: all of it when it fits, else its first screenful, never above 1x); the
 * minimap is off until asked for, so it never covers the graph.
 */
export function EditorCanvas() {
  const api = useEditorApi();
  const graph = useEditor((s) => s.graph);
  const readOnly = useEditor((s) => s.readOnly);
  const selectedEdges = useEditor((s) => s.selectedEdges);
  const overlay = useEditor((s) => s.overlay);
  const grid = useEditor((s) => s.grid);
  // Level of detail: below this zoom text is unreadable, so labels are not drawn (large graphs stay smooth).
  const zoomedOut = useStore((s) => s.transform[2] < ZOOMED_OUT);
  const { nodes, onNodesChange } = useFlowNodes();
  const { onDragOver, onDrop } = usePaletteDrop();

  // Where the graph opens needs the pane's size: measured once before the first paint, and React Flow drawn
  // from then on (so it never shows another viewport first). Read once: edits never move the view.
  const pane = useRef<HTMLDivElement>(null);
  const [opening, setOpening] = useState<Viewport | null>(null);
  useLayoutEffect(() => {
    const el = pane.current;
    if (el && !opening) setOpening(openingViewport(api.getState().graph, { width: el.clientWidth, height: el.clientHeight }));
  }, [api, opening]);
  const [showMinimap, setShowMinimap] = useState(false);
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
      const s = api.getState();
      if (selection) s.select(s.selectedNodes, [...selection], s.selectedNotes);
    },
    [api],
  );

  const onConnect = useCallback((c: Connection) => {
    if (c.sourceHandle) api.getState().connect(c.source, c.sourceHandle, c.target);
  }, [api]);

  // One undo step per drag, not one per frame.
  const onNodeDragStart: OnNodeDrag<CanvasFlowNode> = useCallback(() => api.getState().checkpoint(), [api]);

  return (
    <div ref={pane} className={`editor-canvas${zoomedOut ? ' zoomed-out' : ''}`} data-testid="canvas">
      {opening && (
        <ReactFlow<CanvasFlowNode>
          nodes={nodes}
          edges={edges}
          nodeTypes={canvasNodeTypes}
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
          defaultViewport={opening}
          minZoom={0.05}
          onlyRenderVisibleElements={graph.nodes.length > LARGE_GRAPH}
          proOptions={{ hideAttribution: true }}
          // Snapping (toolbar toggle): dragged steps and notes land on the grid the background draws.
          snapToGrid={grid !== null}
          snapGrid={[grid ?? 16, grid ?? 16]}
        >
          <Background gap={grid ?? 20} />
          <Controls showInteractive={false}>
            <ControlButton onClick={() => setShowMinimap((v) => !v)} aria-pressed={showMinimap} title={showMinimap ? 'Hide the minimap' : 'Show the minimap'} aria-label={showMinimap ? 'Hide the minimap' : 'Show the minimap'}>
              <MapIcon size={14} aria-hidden="true" />
            </ControlButton>
          </Controls>
          {showMinimap && <MiniMap pannable zoomable ariaLabel="Minimap of the routing graph" />}
        </ReactFlow>
      )}
    </div>
  );
}

import type { GraphNote } from '@lead-router/shared';
import type { NodeChange } from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useEditor, useEditorApi } from '../store/editor-context';
import { noteIdOf, toFlowNodes, toNoteFlowNodes, type CanvasFlowNode, type FlowNodeCache, type Measured, type NoteFlowCache } from '../store/to-flow';

const NO_NOTES: GraphNote[] = [];

/**
 * React Flow's nodes, derived from the store's graph and selection (sticky notes first, so cards draw over
 * them), and the handler that turns React Flow's node changes into store actions on OUR graph (moves,
 * resized notes, selection). Sizes React Flow measures are kept here, not in our graph, and handed back on
 * every node object; flow nodes are cached per graph node, so 500 nodes stay smooth.
 * @example const { nodes, onNodesChange } = useFlowNodes(); <ReactFlow nodes={nodes} onNodesChange={onNodesChange} />
 */
export function useFlowNodes(): { nodes: CanvasFlowNode[]; onNodesChange: (changes: NodeChange<CanvasFlowNode>[]) => void } {
  const api = useEditorApi();
  const graphNodes = useEditor((s) => s.graph.nodes);
  const notes = useEditor((s) => s.graph.notes ?? NO_NOTES);
  const selectedNodes = useEditor((s) => s.selectedNodes);
  const selectedNotes = useEditor((s) => s.selectedNotes);
  const sizes = useRef(new Map<string, Measured>());
  const [sizeTick, setSizeTick] = useState(0);
  const cache = useRef<FlowNodeCache>(new WeakMap());
  const noteCache = useRef<NoteFlowCache>(new WeakMap());
  const selectedNodeSet = useMemo(() => new Set(selectedNodes), [selectedNodes]);
  const selectedNoteSet = useMemo(() => new Set(selectedNotes), [selectedNotes]);
  // sizeTick is read so a new measurement rebuilds the list with the sizes.
  const nodes = useMemo<CanvasFlowNode[]>(
    () =>
      sizeTick >= 0
        ? [...toNoteFlowNodes(notes, selectedNoteSet, noteCache.current, sizes.current), ...toFlowNodes(graphNodes, selectedNodeSet, cache.current, sizes.current)]
        : [],
    [graphNodes, notes, selectedNodeSet, selectedNoteSet, sizeTick],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<CanvasFlowNode>[]) => {
      const positions = new Map<string, { x: number; y: number }>();
      const notePositions = new Map<string, { x: number; y: number }>();
      const noteSizes = new Map<string, Measured>();
      let measured = false;
      let selection: Set<string> | null = null;
      let noteSelection: Set<string> | null = null;
      for (const c of changes) {
        const noteId = 'id' in c ? noteIdOf(c.id) : null;
        if (c.type === 'position' && c.position) {
          if (noteId) notePositions.set(noteId, c.position);
          else positions.set(c.id, c.position);
        } else if (c.type === 'dimensions' && c.dimensions) {
          // The resizer sets a note's size: that is an edit of the note, not only a measurement.
          if (noteId && c.setAttributes) noteSizes.set(noteId, { width: Math.round(c.dimensions.width), height: Math.round(c.dimensions.height) });
          const prev = sizes.current.get(c.id);
          if (!prev || prev.width !== c.dimensions.width || prev.height !== c.dimensions.height) {
            sizes.current.set(c.id, { width: c.dimensions.width, height: c.dimensions.height });
            measured = true;
          }
        } else if (c.type === 'select') {
          if (noteId) {
            noteSelection ??= new Set(api.getState().selectedNotes);
            if (c.selected) noteSelection.add(noteId);
            else noteSelection.delete(noteId);
          } else {
            selection ??= new Set(api.getState().selectedNodes);
            if (c.selected) selection.add(c.id);
            else selection.delete(c.id);
          }
        }
      }
      const s = api.getState();
      if (positions.size > 0) s.moveNodes(positions);
      if (notePositions.size > 0) s.moveNotes(notePositions);
      for (const [id, size] of noteSizes) api.getState().updateNote(id, size, false);
      if (selection || noteSelection) {
        const now = api.getState();
        now.select(selection ? [...selection] : now.selectedNodes, now.selectedEdges, noteSelection ? [...noteSelection] : now.selectedNotes);
      }
      if (measured) setSizeTick((t) => t + 1);
    },
    [api],
  );
  return { nodes, onNodesChange };
}

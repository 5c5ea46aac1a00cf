import { edgeId, type Graph, type GraphNode, type GraphNote, type NodeType, type Problem as SharedProblem } from '@lead-router/shared';
import { createStore, type StoreApi } from 'zustand/vanilla';
import { addConnectedNode, addNode, addNote, connect, copyItems, moveNodes, moveNotes, pasteItems, removeItems, replaceNode, updateNote, type Clipboard } from './graph-ops';
import type { Box } from './placement';

/**
 * A problem as the editor shows it: shared's one problem shape, from the shared compiler or the server. Its code
 * is widened to a string: the server's answers type codes as strings, and a failing golden lead is `golden_failed`.
 */
export type Problem = Omit<SharedProblem, 'code'> & { code: string };

/** How many steps undo remembers. */
export const HISTORY_LIMIT = 100;

/** What a test run draws on the canvas: the path taken and each node's decision. */
export interface RunOverlay {
  nodeIds: ReadonlySet<string>;
  edgeIds: ReadonlySet<string>;
  decisions: Readonly<Record<string, string>>;
  /** Batch runs: how many leads took each edge, by edge id. */
  edgeCounts?: Readonly<Record<string, number>>;
}

/** Where the draft stands against the server. */
export type SaveStatus = { state: 'saved' | 'dirty' | 'saving' } | { state: 'conflict'; message: string } | { state: 'error'; message: string };

export interface EditorState {
  graph: Graph;
  readOnly: boolean;
  selectedNodes: string[];
  selectedEdges: string[];
  /** Selected sticky notes, by note id. */
  selectedNotes: string[];
  /** The grid steps and notes snap to (px), or null when snapping is off. A view preference, never saved. */
  grid: number | null;
  past: Graph[];
  future: Graph[];
  clipboard: Clipboard | null;
  /** Live problems from the shared compiler (client side), errors and warnings. */
  problems: Problem[];
  /** Errors and warnings by the node they name (client and server problems together). */
  problemsByNode: Readonly<Record<string, Problem[]>>;
  /** Problems only the server can find (golden leads failing) from the last save. */
  serverProblems: Problem[];
  overlay: RunOverlay | null;
  save: SaveStatus;
  /** Bumped by every edit, so autosave knows something changed since the last save began. */
  editCount: number;

  /** Applies an edit to the graph; it becomes one undo step unless `record` is false. */
  edit: (fn: (g: Graph) => Graph, record?: boolean) => void;
  /** Remembers the current graph as an undo step (before a drag, whose moves are not recorded one by one). */
  checkpoint: () => void;
  undo: () => void;
  redo: () => void;
  /** Adds a step at `position`, or the nearest spot clear of the others (inside `within` when given). */
  addNode: (type: NodeType, position: { x: number; y: number }, within?: Box) => string;
  /** Adds a step after `source`'s outcome `handle`, connected to it, as one undo step; selects it. */
  addConnectedNode: (type: NodeType, source: string, handle: string) => string;
  /** Adds an empty sticky note at `position` (or the nearest free spot); selects it. */
  addNote: (position: { x: number; y: number }, within?: Box) => string;
  /** Changes a note; one undo step unless `record` is false (typing after a checkpoint, resizing). */
  updateNote: (id: string, patch: Partial<Omit<GraphNote, 'id'>>, record?: boolean) => void;
  moveNotes: (positions: ReadonlyMap<string, { x: number; y: number }>) => void;
  setGrid: (grid: number | null) => void;
  updateNode: (node: GraphNode) => void;
  moveNodes: (positions: ReadonlyMap<string, { x: number; y: number }>) => void;
  connect: (source: string, handle: string, target: string | null) => void;
  deleteSelection: () => void;
  copySelection: () => void;
  paste: () => void;
  /** Selects steps, connections and notes (each list replaces the one before; none given is none). */
  select: (nodes: string[], edges?: string[], notes?: string[]) => void;
  /** Replaces the whole document (load, reload after a conflict); clears history. */
  reset: (graph: Graph) => void;
  setProblems: (problems: Problem[]) => void;
  setServerProblems: (problems: Problem[]) => void;
  setOverlay: (overlay: RunOverlay | null) => void;
  setSave: (save: SaveStatus) => void;
}

export type EditorStore = StoreApi<EditorState>;

/** One store per canvas (never a global): two canvases on one page never share a selection or history. */
export function createEditorStore(init: { graph: Graph; readOnly?: boolean; grid?: number | null }): EditorStore {
  return createStore<EditorState>()((set, get) => {
    const edit = (fn: (g: Graph) => Graph, record = true) => {
      const s = get();
      if (s.readOnly) return;
      const next = fn(s.graph);
      if (next === s.graph) return;
      set({
        graph: next,
        past: record ? [...s.past, s.graph].slice(-HISTORY_LIMIT) : s.past,
        future: record ? [] : s.future,
        editCount: s.editCount + 1,
        save: s.save.state === 'conflict' ? s.save : { state: 'dirty' },
        ...selectionIn(next, s),
      });
    };
    return {
      graph: init.graph,
      readOnly: init.readOnly ?? false,
      selectedNodes: [],
      selectedEdges: [],
      selectedNotes: [],
      grid: init.grid ?? null,
      past: [],
      future: [],
      clipboard: null,
      problems: [],
      problemsByNode: {},
      serverProblems: [],
      overlay: null,
      save: { state: 'saved' },
      editCount: 0,

      edit,
      checkpoint: () => set((s) => ({ past: [...s.past, s.graph].slice(-HISTORY_LIMIT), future: [] })),
      undo: () => {
        const s = get();
        const prev = s.past.at(-1);
        if (!prev || s.readOnly) return;
        set({ graph: prev, past: s.past.slice(0, -1), future: [s.graph, ...s.future], editCount: s.editCount + 1, save: keepConflict(s.save), ...selectionIn(prev, s) });
      },
      redo: () => {
        const s = get();
        const next = s.future[0];
        if (!next || s.readOnly) return;
        set({ graph: next, past: [...s.past, s.graph], future: s.future.slice(1), editCount: s.editCount + 1, save: keepConflict(s.save), ...selectionIn(next, s) });
      },
      addNode: (type, position, within) => {
        let id = '';
        edit((g) => {
          const r = addNode(g, type, position, within, get().grid);
          id = r.id;
          return r.graph;
        });
        if (id) set({ selectedNodes: [id], selectedEdges: [], selectedNotes: [] });
        return id;
      },
      addConnectedNode: (type, source, handle) => {
        let id = '';
        edit((g) => {
          const r = addConnectedNode(g, type, source, handle, get().grid);
          id = r.id;
          return r.graph;
        });
        if (id) set({ selectedNodes: [id], selectedEdges: [], selectedNotes: [] });
        return id;
      },
      addNote: (position, within) => {
        let id = '';
        edit((g) => {
          const r = addNote(g, position, within, get().grid);
          id = r.id;
          return r.graph;
        });
        if (id) set({ selectedNodes: [], selectedEdges: [], selectedNotes: [id] });
        return id;
      },
      updateNote: (id, patch, record = true) => edit((g) => updateNote(g, id, patch), record),
      moveNotes: (positions) => edit((g) => moveNotes(g, positions), false),
      setGrid: (grid) => set({ grid }),
      updateNode: (node) => edit((g) => replaceNode(g, node)),
      moveNodes: (positions) => edit((g) => moveNodes(g, positions), false),
      connect: (source, handle, target) => edit((g) => connect(g, source, handle, target)),
      deleteSelection: () => {
        const { selectedNodes, selectedEdges, selectedNotes } = get();
        edit((g) => removeItems(g, selectedNodes, selectedEdges, selectedNotes));
        set({ selectedNodes: [], selectedEdges: [], selectedNotes: [] });
      },
      copySelection: () => {
        const { graph, selectedNodes, selectedNotes } = get();
        if (selectedNodes.length > 0 || selectedNotes.length > 0) set({ clipboard: copyItems(graph, selectedNodes, selectedNotes) });
      },
      paste: () => {
        const clip = get().clipboard;
        if (!clip || clip.nodes.length + clip.notes.length === 0) return;
        let ids: string[] = [];
        let noteIds: string[] = [];
        edit((g) => {
          const r = pasteItems(g, clip, undefined, get().grid);
          ids = r.ids;
          noteIds = r.noteIds;
          return r.graph;
        });
        set({ selectedNodes: ids, selectedEdges: [], selectedNotes: noteIds });
      },
      select: (nodes, edges = [], notes = []) => {
        const s = get();
        if (sameList(s.selectedNodes, nodes) && sameList(s.selectedEdges, edges) && sameList(s.selectedNotes, notes)) return;
        set({ selectedNodes: nodes, selectedEdges: edges, selectedNotes: notes });
      },
      reset: (graph) => set({ graph, past: [], future: [], selectedNodes: [], selectedEdges: [], selectedNotes: [], save: { state: 'saved' } }),
      setProblems: (problems) => set((s) => ({ problems, problemsByNode: byNode([...problems, ...s.serverProblems]) })),
      setServerProblems: (serverProblems) => set((s) => ({ serverProblems, problemsByNode: byNode([...s.problems, ...serverProblems]) })),
      setOverlay: (overlay) => set({ overlay }),
      setSave: (save) => set({ save }),
    };
  });
}

/**
 * The selection kept when the graph becomes `graph` (an edit, undo, redo): only steps and connections it still
 * has. Undoing a paste removes the pasted steps, and a selection of steps that are gone would stay stuck.
 * Unchanged lists are returned as they were, so selectors comparing by reference do not re-render.
 */
export function selectionIn(
  graph: Graph,
  s: Pick<EditorState, 'selectedNodes' | 'selectedEdges' | 'selectedNotes'>,
): Pick<EditorState, 'selectedNodes' | 'selectedEdges' | 'selectedNotes'> {
  const nodes = new Set(graph.nodes.map((n) => n.id));
  const edges = new Set(graph.edges.map((e) => edgeId(e.source, e.sourceHandle, e.target)));
  const notes = new Set((graph.notes ?? []).map((n) => n.id));
  const keptNodes = s.selectedNodes.filter((id) => nodes.has(id));
  const keptEdges = s.selectedEdges.filter((id) => edges.has(id));
  const keptNotes = s.selectedNotes.filter((id) => notes.has(id));
  return {
    selectedNodes: keptNodes.length === s.selectedNodes.length ? s.selectedNodes : keptNodes,
    selectedEdges: keptEdges.length === s.selectedEdges.length ? s.selectedEdges : keptEdges,
    selectedNotes: keptNotes.length === s.selectedNotes.length ? s.selectedNotes : keptNotes,
  };
}

function keepConflict(save: SaveStatus): SaveStatus {
  return save.state === 'conflict' ? save : { state: 'dirty' };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function byNode(problems: readonly Problem[]): Record<string, Problem[]> {
  const out: Record<string, Problem[]> = {};
  for (const p of problems) if (p.nodeId) (out[p.nodeId] ??= []).push(p);
  return out;
}

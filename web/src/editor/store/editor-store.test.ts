import { emptyGraph, validateGraph } from '@lead-router/shared';
import { describe, expect, it } from 'vitest';
import { createEditorStore } from './editor-store';
import { crowds, nodeBox, type Box } from './placement';

describe('editor store', () => {
  it('adds, connects, undoes and redoes on our graph document', () => {
    const store = createEditorStore({ graph: emptyGraph() });
    const s = () => store.getState();
    const t = s().addNode('trigger', { x: 0, y: 0 });
    const e = s().addNode('end', { x: 0, y: 200 });
    s().connect(t, 'next', e);
    expect(s().graph.edges).toEqual([{ id: `${t}:next->${e}`, source: t, sourceHandle: 'next', target: e }]);
    expect(validateGraph(s().graph).filter((p) => p.severity === 'error')).toEqual([]);
    s().undo();
    expect(s().graph.edges).toEqual([]);
    s().redo();
    expect(s().graph.edges).toHaveLength(1);
    expect(s().save.state).toBe('dirty');
  });

  it('connecting an outcome again replaces its edge: an outcome leads to one place', () => {
    const store = createEditorStore({ graph: emptyGraph() });
    const s = () => store.getState();
    const t = s().addNode('trigger', { x: 0, y: 0 });
    const a = s().addNode('end', { x: 0, y: 0 });
    const b = s().addNode('end', { x: 0, y: 0 });
    s().connect(t, 'next', a);
    s().connect(t, 'next', b);
    expect(s().graph.edges.map((x) => x.target)).toEqual([b]);
    s().connect(t, 'next', null);
    expect(s().graph.edges).toEqual([]);
  });

  it('deletes the selection with its edges, and copy/paste gives fresh ids and keeps inner edges', () => {
    const store = createEditorStore({ graph: emptyGraph() });
    const s = () => store.getState();
    const t = s().addNode('trigger', { x: 0, y: 0 });
    const w = s().addNode('wait', { x: 0, y: 100 });
    s().connect(t, 'next', w);
    s().select([t, w]);
    s().copySelection();
    s().paste();
    expect(s().graph.nodes.map((n) => n.id)).toEqual(['trigger-1', 'wait-1', 'trigger-2', 'wait-2']);
    expect(s().graph.edges.map((e) => e.id)).toEqual(['trigger-1:next->wait-1', 'trigger-2:next->wait-2']);
    expect(s().selectedNodes).toEqual(['trigger-2', 'wait-2']);
    s().deleteSelection();
    expect(s().graph.nodes.map((n) => n.id)).toEqual(['trigger-1', 'wait-1']);
    expect(s().graph.edges).toHaveLength(1);
  });

  it('a drag is one undo step: moves after a checkpoint are not recorded one by one', () => {
    const store = createEditorStore({ graph: emptyGraph() });
    const s = () => store.getState();
    const t = s().addNode('trigger', { x: 0, y: 0 });
    s().checkpoint();
    for (let i = 1; i <= 10; i++) s().moveNodes(new Map([[t, { x: i, y: i }]]));
    expect(s().graph.nodes[0]?.position).toEqual({ x: 10, y: 10 });
    s().undo();
    expect(s().graph.nodes[0]?.position).toEqual({ x: 0, y: 0 });
  });

  it('a read-only store refuses every edit', () => {
    const store = createEditorStore({ graph: emptyGraph(), readOnly: true });
    store.getState().addNode('trigger', { x: 0, y: 0 });
    expect(store.getState().graph.nodes).toEqual([]);
  });

  it('undoing a paste takes the pasted steps out of the selection; redo and edits keep only steps that exist', () => {
    const store = createEditorStore({ graph: emptyGraph() });
    const s = () => store.getState();
    const t = s().addNode('trigger', { x: 0, y: 0 });
    const e = s().addNode('end', { x: 0, y: 200 });
    s().connect(t, 'next', e);
    s().select([t, e], [`${t}:next->${e}`]);
    s().copySelection();
    s().paste();
    expect(s().selectedNodes).toEqual(['trigger-2', 'end-2']);
    s().undo();
    expect(s().graph.nodes.map((n) => n.id)).toEqual([t, e]);
    expect(s().selectedNodes).toEqual([]);
    s().redo();
    expect(s().selectedNodes).toEqual([]);
    // A selected connection goes with the edit that removes it; an untouched selection keeps its identity.
    s().select([t], [`${t}:next->${e}`]);
    const kept = s().selectedNodes;
    s().connect(t, 'next', null);
    expect(s().selectedEdges).toEqual([]);
    expect(s().selectedNodes).toBe(kept);
  });

  it('steps added at one spot and pasted copies land clear of every other step', () => {
    const store = createEditorStore({ graph: emptyGraph() });
    const s = () => store.getState();
    for (let i = 0; i < 4; i++) s().addNode('notify', { x: 100, y: 100 });
    s().select(['notify-1', 'notify-2']);
    s().copySelection();
    s().paste();
    const boxes = s().graph.nodes.map(nodeBox);
    expect(boxes).toHaveLength(6);
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(crowds(boxes[i] as Box, boxes[j] as Box), `${i} and ${j}`).toBe(false);
  });

  it('a step added after an outcome is one undo step: undo takes away the step and its connection', () => {
    const store = createEditorStore({ graph: emptyGraph(), grid: 16 });
    const s = () => store.getState();
    const t = s().addNode('trigger', { x: 3, y: 5 });
    expect(s().graph.nodes[0]?.position).toEqual({ x: 0, y: 0 });
    const before = s().graph;
    const id = s().addConnectedNode('end', t, 'next');
    expect(s().graph.edges).toEqual([{ id: `${t}:next->${id}`, source: t, sourceHandle: 'next', target: id }]);
    expect(s().selectedNodes).toEqual([id]);
    s().undo();
    expect(s().graph).toBe(before);
    expect(s().selectedNodes).toEqual([]);
  });

  it('sticky notes: added and selected, typed as one undo step, copied, pasted and deleted', () => {
    const store = createEditorStore({ graph: emptyGraph() });
    const s = () => store.getState();
    const id = s().addNote({ x: 0, y: 0 });
    expect(s().selectedNotes).toEqual([id]);
    const added = s().graph;
    // Typing: a checkpoint when it starts, then each keystroke unrecorded.
    s().checkpoint();
    s().updateNote(id, { text: 'E' }, false);
    s().updateNote(id, { text: 'EMEA' }, false);
    expect(s().graph.notes?.[0]?.text).toBe('EMEA');
    s().undo();
    expect(s().graph).toBe(added);
    s().redo();
    s().copySelection();
    s().paste();
    expect(s().graph.notes?.map((n) => n.text)).toEqual(['EMEA', 'EMEA']);
    expect(s().selectedNotes).toEqual(['note-2']);
    s().deleteSelection();
    expect(s().graph.notes?.map((n) => n.id)).toEqual([id]);
    // Undo the delete, the paste and the typing: back to the empty note, the pasted one out of the selection.
    s().undo();
    s().undo();
    s().undo();
    expect(s().graph).toBe(added);
    expect(s().selectedNotes).toEqual([]);
    s().undo();
    expect(s().graph.notes).toBeUndefined();
  });
});

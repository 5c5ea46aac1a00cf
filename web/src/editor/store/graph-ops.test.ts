import { compile, edgeId, emptyGraph, MAX_NOTES, NODE_KINDS, NODE_TYPES, type GraphNode, type GraphNote } from '@lead-router/shared';
import { describe, expect, it } from 'vitest';
import { addConnectedNode, addNode, addNote, connect, copyItems, moveNotes, newNodeConfig, pasteItems, removeItems, updateNote } from './graph-ops';
import { crowds, NODE_SIZE_ESTIMATE, nodeBox, noteBox } from './placement';

describe('newNodeConfig', () => {
  it('starts an Assign step with no team chosen, and every other kind on its default', () => {
    expect(newNodeConfig('assign').strategy).toEqual({ type: 'round_robin', teamId: '' });
    for (const type of NODE_TYPES.filter((t) => t !== 'assign')) expect(newNodeConfig(type), type).toEqual(NODE_KINDS[type].defaultConfig());
  });

  it('leaves a new Assign step with a problem on its team until one is chosen', () => {
    const { graph, id } = addNode(emptyGraph(), 'assign', { x: 0, y: 0 });
    const result = compile(graph);
    const onTeam = result.ok ? [] : result.problems.filter((p) => p.nodeId === id && p.path === 'config.strategy.teamId');
    expect(onTeam).toHaveLength(1);
  });
});

describe('addConnectedNode', () => {
  const base = () => {
    let g = emptyGraph();
    g = addNode(g, 'trigger', { x: 0, y: 0 }).graph;
    g = addNode(g, 'wait', { x: 0, y: 200 }).graph;
    return connect(g, 'trigger-1', 'next', 'wait-1');
  };

  it('adds the step under the outcome it follows and connects that outcome to it', () => {
    const { graph, id } = addConnectedNode(base(), 'notify', 'wait-1', 'rejected');
    expect(id).toBe('notify-1');
    expect(graph.edges).toContainEqual({ id: edgeId('wait-1', 'rejected', 'notify-1'), source: 'wait-1', sourceHandle: 'rejected', target: 'notify-1' });
    const wait = graph.nodes.find((n) => n.id === 'wait-1') as GraphNode;
    const added = graph.nodes.find((n) => n.id === id) as GraphNode;
    // Below the card, and the last of three outcomes: right of the card's centre.
    expect(added.position.y).toBeGreaterThanOrEqual(wait.position.y + NODE_SIZE_ESTIMATE.height);
    expect(added.position.x).toBeGreaterThan(wait.position.x);
    for (const n of graph.nodes) if (n.id !== id) expect(crowds(nodeBox(n), nodeBox(added)), n.id).toBe(false);
  });

  it('keeps clear of steps and notes already below: a second added step does not land on the first', () => {
    let g = addConnectedNode(base(), 'notify', 'wait-1', 'accepted').graph;
    g = addNote(g, { x: 120, y: 320 }).graph;
    const { graph, id } = addConnectedNode(g, 'escalate', 'wait-1', 'timed_out');
    const added = graph.nodes.find((n) => n.id === id) as GraphNode;
    for (const n of graph.nodes) if (n.id !== id) expect(crowds(nodeBox(n), nodeBox(added)), n.id).toBe(false);
    for (const n of graph.notes ?? []) expect(crowds(noteBox(n), nodeBox(added)), n.id).toBe(false);
  });

  it('lands on the grid when snapping is on', () => {
    const { graph, id } = addConnectedNode(base(), 'end', 'wait-1', 'accepted', 16);
    const p = (graph.nodes.find((n) => n.id === id) as GraphNode).position;
    expect([Number.isInteger(p.x / 16), Number.isInteger(p.y / 16)]).toEqual([true, true]);
  });

  it('leaves the graph alone when the source step is gone', () => {
    const g = base();
    expect(addConnectedNode(g, 'end', 'nope', 'next')).toEqual({ graph: g, id: '' });
  });
});

describe('sticky notes', () => {
  it('adds, edits, moves and removes notes without touching the steps', () => {
    const start = addNode(emptyGraph(), 'trigger', { x: 0, y: 0 }).graph;
    const added = addNote(start, { x: 0, y: 0 });
    expect(added.id).toBe('note-1');
    const note = added.graph.notes?.[0] as GraphNote;
    expect(crowds(noteBox(note), nodeBox(start.nodes[0] as GraphNode))).toBe(false);
    expect(note.text).toBe('');
    const typed = updateNote(added.graph, 'note-1', { text: 'EMEA goes to Ada' });
    expect(typed.notes?.[0]?.text).toBe('EMEA goes to Ada');
    expect(typed.nodes).toBe(added.graph.nodes);
    expect(updateNote(typed, 'note-1', { text: 'EMEA goes to Ada' })).toBe(typed);
    const moved = moveNotes(typed, new Map([['note-1', { x: 500, y: 40 }]]));
    expect(moved.notes?.[0]).toMatchObject({ x: 500, y: 40 });
    expect(removeItems(moved, [], [], ['note-1']).notes).toEqual([]);
    expect(removeItems(moved, [], [], ['note-1']).nodes).toBe(moved.nodes);
  });

  it('stops at the most notes a graph may carry', () => {
    const g = { ...emptyGraph(), notes: Array.from({ length: MAX_NOTES }, (_, i) => ({ id: `n${i}`, x: i * 300, y: 0, width: 200, height: 100, text: '' })) };
    expect(addNote(g, { x: 0, y: 0 })).toEqual({ graph: g, id: '' });
  });

  it('copies and pastes notes with fresh ids, clear of the originals', () => {
    let g = addNode(emptyGraph(), 'trigger', { x: 0, y: 0 }).graph;
    g = updateNote(addNote(g, { x: 0, y: 200 }).graph, 'note-1', { text: 'hello', color: 'blue' });
    const clip = copyItems(g, ['trigger-1'], ['note-1']);
    expect(clip.notes.map((n) => n.id)).toEqual(['note-1']);
    const r = pasteItems(g, clip);
    expect(r.noteIds).toEqual(['note-2']);
    const [a, b] = r.graph.notes as [GraphNote, GraphNote];
    expect(b).toMatchObject({ text: 'hello', color: 'blue' });
    expect(crowds(noteBox(a), noteBox(b), 0)).toBe(false);
  });

  it('leaves graphs without notes without the key when nothing about notes changes', () => {
    const g = addNode(emptyGraph(), 'trigger', { x: 0, y: 0 }).graph;
    expect('notes' in removeItems(g, ['trigger-1'])).toBe(false);
    expect('notes' in pasteItems(g, copyItems(g, ['trigger-1'])).graph).toBe(false);
  });
});

describe('addConnectedNode beside its siblings', () => {
  it('puts the step after a left outcome beside the step under the middle one, not under it', () => {
    let g = addNode(emptyGraph(), 'wait', { x: 0, y: 0 }).graph;
    g = addConnectedNode(g, 'escalate', 'wait-1', 'timed_out').graph;
    const { graph, id } = addConnectedNode(g, 'end', 'wait-1', 'accepted');
    const esc = graph.nodes.find((n) => n.id === 'escalate-1') as GraphNode;
    const end = graph.nodes.find((n) => n.id === id) as GraphNode;
    expect(end.position.y).toBe(esc.position.y);
    expect(end.position.x).toBeLessThan(esc.position.x);
    expect(crowds(nodeBox(end), nodeBox(esc))).toBe(false);
  });
});

describe('pasteItems on a grid', () => {
  it('moves the copy by whole grid steps, so steps on the grid stay on it', () => {
    let g = addNode(emptyGraph(), 'trigger', { x: 0, y: 0 }, undefined, 16).graph;
    g = addNode(g, 'end', { x: 0, y: 160 }, undefined, 16).graph;
    const r = pasteItems(g, copyItems(g, ['trigger-1', 'end-1']), undefined, 16);
    for (const id of r.ids) {
      const p = (r.graph.nodes.find((n) => n.id === id) as GraphNode).position;
      expect([Number.isInteger(p.x / 16), Number.isInteger(p.y / 16)], `${id} at ${p.x},${p.y}`).toEqual([true, true]);
    }
  });
});

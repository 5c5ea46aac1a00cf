import { emptyGraph } from '@lead-router/shared';
import { describe, expect, it } from 'vitest';
import { createEditorStore } from '../store/editor-store';
import { dropKeptDraft, keepThenReset, keptKey, listKeptDrafts, MemoryStorage, restoreKept } from './kept-draft';

describe('a conflict resolved by reloading keeps the local version', () => {
  it('keeps mine, shows theirs, and restores mine on top of theirs as one undoable edit', () => {
    const storage = new MemoryStorage();
    const store = createEditorStore({ graph: emptyGraph() });
    const s = () => store.getState();
    s().addNode('trigger', { x: 0, y: 0 });
    const theirs = s().graph;
    s().addNode('notify', { x: 0, y: 100 });
    const mine = s().graph;
    s().setSave({ state: 'conflict', message: 'Someone saved this draft.' });

    const kept = keepThenReset(store, storage, { workflowId: 'wf-1', baseRevision: 3, theirs, now: new Date('2026-01-01T00:00:00Z') });
    expect(kept?.graph).toBe(mine);
    expect(s().graph).toBe(theirs);
    expect(s().save.state).toBe('saved');
    expect(JSON.parse(storage.getItem(keptKey('wf-1', 3)) ?? 'null')).toEqual({ workflowId: 'wf-1', baseRevision: 3, keptAt: '2026-01-01T00:00:00.000Z', graph: mine });
    const list = listKeptDrafts(storage, 'wf-1');
    expect(list).toHaveLength(1);
    expect(listKeptDrafts(storage, 'wf-2')).toEqual([]);

    expect(restoreKept(store, list[0]!)).toBe(s().editCount);
    expect(s().graph.nodes.map((n) => n.id)).toEqual(['trigger-1', 'notify-1']);
    // A normal edit: autosave saves it (dirty), and undo gives back their version.
    expect(s().save.state).toBe('dirty');
    // The copy stays until that save succeeds; then it is dropped.
    expect(listKeptDrafts(storage, 'wf-1')).toHaveLength(1);
    dropKeptDraft(storage, 'wf-1', 3);
    expect(listKeptDrafts(storage, 'wf-1')).toEqual([]);
    s().undo();
    expect(s().graph.nodes.map((n) => n.id)).toEqual(['trigger-1']);
  });

  it('keeps nothing when mine equals theirs, and several reloads keep several versions, newest first', () => {
    const storage = new MemoryStorage();
    const store = createEditorStore({ graph: emptyGraph() });
    const s = () => store.getState();
    expect(keepThenReset(store, storage, { workflowId: 'wf', baseRevision: 1, theirs: emptyGraph() })).toBeNull();
    expect(storage.length).toBe(0);

    s().addNode('trigger', { x: 0, y: 0 });
    keepThenReset(store, storage, { workflowId: 'wf', baseRevision: 1, theirs: emptyGraph(), now: new Date('2026-01-01T00:00:00Z') });
    s().addNode('end', { x: 0, y: 0 });
    keepThenReset(store, storage, { workflowId: 'wf', baseRevision: 2, theirs: emptyGraph(), now: new Date('2026-01-01T00:01:00Z') });
    const list = listKeptDrafts(storage, 'wf');
    expect(list.map((k) => [k.baseRevision, k.graph.nodes[0]?.type])).toEqual([
      [2, 'end'],
      [1, 'trigger'],
    ]);
  });

  it('skips entries that do not parse, and a read-only store restores nothing', () => {
    const storage = new MemoryStorage();
    storage.setItem(keptKey('wf', 1), '{not json');
    expect(listKeptDrafts(storage, 'wf')).toEqual([]);
    const ro = createEditorStore({ graph: emptyGraph(), readOnly: true });
    const g = emptyGraph();
    expect(restoreKept(ro, { workflowId: 'wf', baseRevision: 1, keptAt: '2026-01-01T00:00:00Z', graph: { ...g, nodes: [] } })).toBeNull();
    expect(storage.getItem(keptKey('wf', 1))).toBe('{not json');
  });
});

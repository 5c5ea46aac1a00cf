import { describe, expect, it } from 'vitest';
import { setupTestApp } from '../../test/harness';
import { createWorkflow } from './workflows.fixtures';

const t = setupTestApp();

/** A starter graph whose branch is mid-edit: a case without a label and a clause without its value. */
function halfFilled() {
  return {
    schemaVersion: 1,
    nodes: [
      { id: 'trigger', type: 'trigger', position: { x: 0, y: 0 }, config: { source: 'webhook' } },
      {
        id: 'branch-1',
        type: 'branch',
        position: { x: 0, y: 150 },
        label: 'Size',
        config: { cases: [{ id: 'case-1', label: '', condition: { match: 'all', conditions: [{ field: 'employees', operator: 'gt', value: 'abc', extra: { nested: true } }] } }] },
      },
      { id: 'end', type: 'end', position: { x: 0, y: 300 }, config: { outcome: 'completed' } },
    ],
    edges: [
      { id: 'trigger:next->branch-1', source: 'trigger', sourceHandle: 'next', target: 'branch-1' },
      { id: 'branch-1:else->end', source: 'branch-1', sourceHandle: 'else', target: 'end' },
    ],
  };
}

describe('PUT /api/workflows/{id}/draft with half-filled steps', () => {
  it('stores a draft whose node settings do not parse yet, and reports their problems on the save and the draft', async () => {
    const ws = await t.workspace();
    const id = await createWorkflow(t, ws);
    const graph = halfFilled();
    const r = await t.call('PUT', `/api/workflows/${id}/draft`, { key: ws.keys.editor, body: { graph, revision: 1 } });
    expect(r.status).toBe(200);
    expect(r.body.revision).toBe(2);
    const branchProblems = r.body.problems.filter((p: { nodeId?: string }) => p.nodeId === 'branch-1');
    expect(branchProblems.length).toBeGreaterThan(0);
    expect(branchProblems.every((p: { code: string; path: string }) => p.code === 'invalid_node' && p.path.startsWith('config'))).toBe(true);
    expect(r.body.golden).toMatchObject({ skipped: true });

    // The author gets back exactly what they typed, half-filled config included, in the same order.
    const draft = await t.call('GET', `/api/workflows/${id}/draft`, { key: ws.keys.viewer });
    expect(draft.body.revision).toBe(2);
    expect(draft.body.graph).toEqual(graph);
    expect(draft.body.problems).toEqual(r.body.problems);

    // It cannot be published or test-run until the form is finished.
    const pub = await t.call('POST', `/api/workflows/${id}/publish`, { key: ws.keys.publisher, body: { note: 'too early' } });
    expect(pub.status).toBe(422);
    const sim = await t.call('POST', `/api/workflows/${id}/simulate`, { key: ws.keys.editor, body: { leads: [{ id: 'x', employees: 10 }] } });
    expect(sim.status).toBe(422);
  });

  it('still refuses what the canvas could not draw: unknown kinds, bad positions, missing ids', async () => {
    const ws = await t.workspace();
    const id = await createWorkflow(t, ws);
    const cases: [string, (g: ReturnType<typeof halfFilled>) => void, string][] = [
      ['unknown kind', (g) => Object.assign(g.nodes[1] as object, { type: 'teleport' }), 'unknown_node_type'],
      ['bad position', (g) => Object.assign(g.nodes[1] as object, { position: { x: 'left', y: 0 } }), 'invalid_node'],
      ['no id', (g) => Object.assign(g.nodes[1] as object, { id: '' }), 'invalid_node'],
      ['bad edge', (g) => Object.assign(g.edges[0] as object, { sourceHandle: '' }), 'invalid_edge'],
    ];
    for (const [name, spoil, code] of cases) {
      const graph = halfFilled();
      spoil(graph);
      const r = await t.call('PUT', `/api/workflows/${id}/draft`, { key: ws.keys.editor, body: { graph, revision: 1 } });
      expect(r.status, name).toBe(400);
      expect(r.body.error.details.map((p: { code: string }) => p.code), name).toContain(code);
    }
    const draft = await t.call('GET', `/api/workflows/${id}/draft`, { key: ws.keys.viewer });
    expect(draft.body.revision).toBe(1);
  });
});

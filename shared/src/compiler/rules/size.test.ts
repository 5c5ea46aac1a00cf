import { describe, expect, it } from 'vitest';
import { emptyDirectory } from '../../directory/schema';
import { buildCatalog } from '../../fields/catalog';
import { MAX_NODES } from '../../graph/graph';
import { buildRuleContext } from '../context';
import { parseDocument } from '../parse';
import { edge, end, graph, notify, trigger } from '../test-graphs';
import { validateGraph } from '../index';
import { checkSize } from './size';

const chain = (count: number) => {
  const ids = Array.from({ length: count - 2 }, (_, i) => `n${i}`);
  return graph(
    [trigger(), ...ids.map((id) => notify(id)), end()],
    [edge('trigger', 'next', ids[0] ?? 'end'), ...ids.map((id, i) => edge(id, 'next', ids[i + 1] ?? 'end'))],
  );
};

describe('size rule', () => {
  it('accepts exactly MAX_NODES steps', () => {
    expect(validateGraph(chain(MAX_NODES))).toEqual([]);
  });

  it('reports graph_too_large beyond MAX_NODES', () => {
    expect(validateGraph(chain(MAX_NODES + 1))).toEqual([expect.objectContaining({ code: 'graph_too_large', path: 'nodes' })]);
  });

  it('reports graph_too_large for a context that got past the parser', () => {
    const ctx = buildRuleContext(parseDocument(chain(MAX_NODES)), buildCatalog(), emptyDirectory());
    const bigger = { ...ctx, entries: [...ctx.entries, { id: 'extra', type: null, node: null }] };
    expect(checkSize(bigger)).toEqual([expect.objectContaining({ code: 'graph_too_large' })]);
  });
});

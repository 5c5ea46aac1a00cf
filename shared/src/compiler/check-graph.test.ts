import { describe, expect, it } from 'vitest';
import { DirectorySchema } from '../directory/schema';
import { demoDirectory } from '../fixtures/demo-directory';
import { hybridRoutingGraph } from '../fixtures/hybrid-routing';
import { checkGraph, compile, validateGraph } from './index';
import { fullGraph, graph, minimalGraph, node, testDirectory } from './test-graphs';

describe('checkGraph', () => {
  const cases: Array<[string, unknown, Parameters<typeof compile>[1]]> = [
    ['the smallest graph', minimalGraph(), {}],
    ['a full graph against its directory', fullGraph(), { directory: testDirectory() }],
    ['the hybrid routing fixture', hybridRoutingGraph, { directory: DirectorySchema.parse(demoDirectory) }],
    ['the hybrid routing fixture without a directory', hybridRoutingGraph, {}],
    ['a graph with errors', graph([node('lonely', 'end', { outcome: 'x' })], []), {}],
    ['no graph at all', 'not a graph', {}],
  ];

  it.each(cases)('finds what validateGraph and compile find, from one analysis: %s', (_, input, options) => {
    const checked = checkGraph(input, options);
    expect(checked.problems).toEqual(validateGraph(input, options));
    expect(checked.result).toEqual(compile(input, options));
  });
});

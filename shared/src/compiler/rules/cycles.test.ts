import { describe, expect, it } from 'vitest';
import { compile, validateGraph } from '../index';
import { assignQueue, edge, end, graph, node, notify, trigger, wait } from '../test-graphs';
import { stronglyConnected } from './cycles';

const loops = (g: unknown) => validateGraph(g).filter((p) => p.code === 'cycle_without_wait');

describe('cycles rule', () => {
  it('reports a loop without a wait, naming its steps in order', () => {
    const g = graph(
      [trigger(), assignQueue('a', 'q', 'Assign A'), notify('n', 'hi', 'Notify'), end()],
      [edge('trigger', 'next', 'a'), edge('a', 'assigned', 'n'), edge('n', 'next', 'a'), edge('a', 'no_eligible_rep', 'end')],
    );
    const problems = loops(g);
    expect(problems).toEqual([expect.objectContaining({ nodeId: 'a' })]);
    expect(problems[0]?.path).toBeUndefined();
    expect(problems[0]?.message).toContain('These steps loop without a wait: Assign A -> Notify -> Assign A.');
  });

  it('reports a self-loop', () => {
    const g = graph([trigger(), notify('n', 'hi', 'Ping')], [edge('trigger', 'next', 'n'), edge('n', 'next', 'n')]);
    expect(loops(g)[0]?.message).toContain('Ping -> Ping');
  });

  it('accepts a loop through a wait', () => {
    const g = graph(
      [trigger(), assignQueue('a'), wait('w'), end()],
      [edge('trigger', 'next', 'a'), edge('a', 'assigned', 'w'), edge('a', 'no_eligible_rep', 'end'), edge('w', 'accepted', 'end'), edge('w', 'timed_out', 'a')],
    );
    expect(compile(g).ok).toBe(true);
  });

  it('finds a wait-free loop inside a component that has a wait elsewhere', () => {
    const g = graph(
      [trigger(), assignQueue('a', 'q', 'A'), wait('w'), notify('n', 'hi', 'N'), end()],
      [
        edge('trigger', 'next', 'a'),
        edge('a', 'assigned', 'w'),
        edge('w', 'timed_out', 'a'),
        edge('w', 'accepted', 'end'),
        edge('a', 'no_eligible_rep', 'n'),
        edge('n', 'next', 'a'),
      ],
    );
    expect(loops(g).map((p) => p.message)).toEqual([expect.stringContaining('A -> N -> A')]);
  });

  it('reports each loop once, and mentions steps beyond the shortest loop', () => {
    const g = graph(
      [trigger(), notify('a', 'x', 'A'), notify('b', 'x', 'B'), node('s', 'split', { variants: [{ id: 'l', label: 'L', percent: 50 }, { id: 'r', label: 'R', percent: 50 }] }, 'S')],
      [edge('trigger', 'next', 's'), edge('s', 'l', 'a'), edge('s', 'r', 'b'), edge('a', 'next', 's'), edge('b', 'next', 's')],
    );
    const problems = loops(g);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.nodeId).toBe('a');
    expect(problems[0]?.message).toContain("A -> S -> A. The loop also runs through 'B'.");
  });

  it('handles a 1,000-step loop without recursion', () => {
    const ids = Array.from({ length: 999 }, (_, i) => `n${i}`);
    const g = graph(
      [trigger(), ...ids.map((id) => notify(id))],
      [edge('trigger', 'next', 'n0'), ...ids.map((id, i) => edge(id, 'next', ids[(i + 1) % ids.length] as string))],
    );
    const problems = loops(g);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.nodeId).toBe('n0');
  });

  it('finds strongly connected components of a long chain iteratively', () => {
    const ids = Array.from({ length: 50_000 }, (_, i) => `v${i}`);
    const succ = new Map(ids.map((id, i) => [id, i + 1 < ids.length ? [ids[i + 1] as string] : [ids[0] as string]]));
    const comps = stronglyConnected(ids, succ);
    expect(comps).toHaveLength(1);
    expect(comps[0]).toHaveLength(50_000);
  });
});

import { problem, type Problem } from '../../errors';
import { outcomesOf } from '../../graph/node';
import { labelOf, nameOf, type NodeEntry, type RuleContext } from '../context';
import { listWords } from '../names';

/**
 * No loop without a wait. A loop through a Wait gives the rep time (the SLA) before the lead comes round
 * again; a loop without one would re-route a lead forever within seconds.
 *
 * Waits are taken out of the graph and the strongly connected components of what is left are found: each
 * one with more than one step, or with a step that leads to itself, is a loop that never passes a wait.
 * (That also catches a wait-free loop inside a larger component that has a wait elsewhere.)
 */
export function checkCycles(ctx: RuleContext): Problem[] {
  const ids = ctx.entries.filter((e) => !mayWait(e)).map((e) => e.id);
  const inGraph = new Set(ids);
  const successors = new Map<string, string[]>();
  for (const id of ids) {
    const targets: string[] = [];
    const source = ctx.nodes.get(id);
    // Edges that are errors already (from an End, from an outcome the step lacks, into the trigger) are
    // left out: one wrong connection should get one problem, not a loop report as well.
    const outcomes = source && source.type !== 'end' ? new Set(outcomesOf(source).map((o) => o.id)) : null;
    for (const edge of ctx.outgoing.get(id) ?? []) {
      if (source && (outcomes === null || !outcomes.has(edge.sourceHandle))) continue;
      if (ctx.nodes.get(edge.target)?.type === 'trigger') continue;
      if (inGraph.has(edge.target) && !targets.includes(edge.target)) targets.push(edge.target);
    }
    successors.set(id, targets);
  }
  const out: Problem[] = [];
  for (const component of stronglyConnected(ids, successors)) {
    const first = component[0] as string;
    const selfLoop = component.length === 1 && (successors.get(first) ?? []).includes(first);
    if (component.length < 2 && !selfLoop) continue;
    const loop = shortestLoop(first, new Set(component), successors);
    const shown = [...loop, first].map((id) => labelOf(ctx, id)).join(' -> ');
    const rest = component.filter((id) => !loop.includes(id));
    const also = rest.length > 0 ? ` The loop also runs through ${listWords(rest.map((id) => nameOf(ctx, id)))}.` : '';
    out.push(
      problem(
        'cycle_without_wait',
        `These steps loop without a wait: ${shown}.${also} A lead would go round forever; add a Wait / SLA step inside the loop so the rep has time to accept first.`,
        { nodeId: first },
      ),
    );
  }
  return out;
}

// A step that did not parse and could be a wait is given the benefit of the doubt, to avoid a false alarm.
function mayWait(e: NodeEntry): boolean {
  return e.type === 'wait' || e.type === null;
}

/**
 * Tarjan's algorithm without recursion (graphs of 1,000 steps would overflow the stack otherwise).
 * Components come out with their steps in document order, and in order of their first step.
 */
export function stronglyConnected(ids: readonly string[], successors: ReadonlyMap<string, readonly string[]>): string[][] {
  const order = new Map<string, number>();
  ids.forEach((id, i) => order.set(id, i));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const visit = (id: string, calls: Array<{ id: string; next: number }>) => {
    index.set(id, counter);
    low.set(id, counter);
    counter++;
    stack.push(id);
    onStack.add(id);
    calls.push({ id, next: 0 });
  };
  for (const root of ids) {
    if (index.has(root)) continue;
    const calls: Array<{ id: string; next: number }> = [];
    visit(root, calls);
    while (calls.length > 0) {
      const frame = calls[calls.length - 1] as { id: string; next: number };
      const succ = successors.get(frame.id) ?? [];
      if (frame.next < succ.length) {
        const w = succ[frame.next++] as string;
        if (!index.has(w)) visit(w, calls);
        else if (onStack.has(w)) low.set(frame.id, Math.min(low.get(frame.id) as number, index.get(w) as number));
        continue;
      }
      calls.pop();
      const parent = calls[calls.length - 1];
      if (parent) low.set(parent.id, Math.min(low.get(parent.id) as number, low.get(frame.id) as number));
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop() as string;
          onStack.delete(w);
          component.push(w);
        } while (w !== frame.id);
        components.push(component.sort((a, b) => (order.get(a) as number) - (order.get(b) as number)));
      }
    }
  }
  return components.sort((a, b) => (order.get(a[0] as string) as number) - (order.get(b[0] as string) as number));
}

/** The shortest loop from `start` back to itself inside a component, as the steps from `start` on. */
function shortestLoop(start: string, members: ReadonlySet<string>, successors: ReadonlyMap<string, readonly string[]>): string[] {
  const parent = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i] as string;
    for (const next of successors.get(id) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [id];
        let at = id;
        while (at !== start) {
          at = parent.get(at) as string;
          path.push(at);
        }
        return path.reverse();
      }
      if (!parent.has(next)) {
        parent.set(next, id);
        queue.push(next);
      }
    }
  }
  return [start];
}

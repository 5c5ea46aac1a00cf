import type { Problem } from '../errors';
import type { ParsedDocument } from './parse';

/**
 * Sorts problems for display, stably: document-wide problems first, then by the node they name (in
 * document order), then connection-only problems by connection order; within one place by path, where
 * `cases.2` comes before `cases.10`. Problems that tie keep the order the rules found them in.
 */
export function sortProblems(problems: readonly Problem[], doc: Pick<ParsedDocument, 'nodeOrder' | 'edgeOrder'>): Problem[] {
  const keyed = problems.map((p, i) => ({ p, i, key: placeOf(p, doc) }));
  keyed.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || comparePaths(a.p.path, b.p.path) || a.i - b.i);
  return keyed.map((k) => k.p);
}

const ITEM_PATH = /^(nodes|edges)\.(\d+)(\.|$)/;

/** [group, position]: 0 document, 1 a node, 2 a connection; unknown ids sort after the known ones. */
function placeOf(p: Problem, doc: Pick<ParsedDocument, 'nodeOrder' | 'edgeOrder'>): [number, number] {
  if (p.nodeId !== undefined) return [1, doc.nodeOrder.get(p.nodeId) ?? Number.MAX_SAFE_INTEGER];
  if (p.edgeId !== undefined) return [2, doc.edgeOrder.get(p.edgeId) ?? Number.MAX_SAFE_INTEGER];
  // Items without a usable id are named by their place in the document instead.
  const m = p.path === undefined ? null : ITEM_PATH.exec(p.path);
  if (m) return [m[1] === 'nodes' ? 1 : 2, Number(m[2])];
  return [0, 0];
}

function comparePaths(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const x = as[i] as string;
    const y = bs[i] as string;
    if (x === y) continue;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return as.length - bs.length;
}

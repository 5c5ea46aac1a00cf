import { NODE_KINDS, NODE_TYPES, type NodeType } from '@lead-router/shared';

/**
 * The kinds whose label or one line of help holds every word of `query` (any case, any order), in the
 * palette's order; every kind for an empty query. Kinds whose label starts with the query come first, so
 * typing "as" and Enter picks Assign, not a kind that merely mentions "assignment".
 * @example matchKinds('round robin') // ['assign']
 */
export function matchKinds(query: string, kinds: readonly NodeType[] = NODE_TYPES): NodeType[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...kinds];
  const hits = kinds.filter((k) => {
    const text = `${NODE_KINDS[k].label} ${NODE_KINDS[k].help}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
  const first = query.trim().toLowerCase();
  const byLabel = (k: NodeType) => (NODE_KINDS[k].label.toLowerCase().startsWith(first) ? 0 : 1);
  return hits.sort((a, b) => byLabel(a) - byLabel(b));
}

/** The kinds a step added after an outcome may be: any but a trigger, which nothing may lead into. */
export const FOLLOW_KINDS: readonly NodeType[] = NODE_TYPES.filter((t) => t !== 'trigger');

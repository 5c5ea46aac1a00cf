import { z } from 'zod';

// PostgreSQL refuses a NUL character in text and jsonb, and a lone UTF-16 surrogate in jsonb, while JSON
// allows both. Every string the product stores is checked here first, so such text is the client's
// mistake, named at its field, instead of a database error.

/** What a refused text is told: the same words wherever it is refused. */
export const UNSTORABLE_TEXT_MESSAGE = 'must not contain NUL characters or broken Unicode';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

type MaybeWellFormed = string & { isWellFormed?: () => boolean };

// String.prototype.isWellFormed (Node 20, every current browser) where it exists; the pattern elsewhere.
const wellFormed: (s: string) => boolean =
  typeof (String.prototype as MaybeWellFormed).isWellFormed === 'function'
    ? (s) => (s as MaybeWellFormed).isWellFormed!()
    : (s) => !LONE_SURROGATE.test(s);

/** True when PostgreSQL can store the text: no NUL character and no lone surrogate. */
export function isStorableText(s: string): boolean {
  return !s.includes('\u0000') && wellFormed(s);
}

const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The text with every NUL and lone surrogate replaced by U+FFFD, for words of ours that quote others'. */
export function toStorableText(s: string): string {
  return isStorableText(s) ? s : s.replaceAll('\u0000', '\ufffd').replace(LONE_SURROGATES, '\ufffd');
}

/**
 * The one schema of a stored string: at most `max` characters (UTF-16 units), no NUL, no lone surrogate.
 * Chain it like any string schema (`Text(200).trim().min(1)`); a refusal names the field it sits at.
 */
export function Text(max: number) {
  return z.string().max(max).refine(isStorableText, UNSTORABLE_TEXT_MESSAGE);
}

/** One string (a value or a key) inside a document that PostgreSQL cannot store, at its path. */
export interface UnstorableText {
  path: Array<string | number>;
  message: string;
}

// A path as a chain to its parent, so a deep document costs no copying; made an array only when reported.
interface At {
  key: string | number;
  up: At | null;
}
const pathOf = (at: At | null): Array<string | number> => {
  const out: Array<string | number> = [];
  for (let a = at; a !== null; a = a.up) out.push(a.key);
  return out.reverse();
};

/**
 * Every string in a JSON value (object keys included) that PostgreSQL cannot store, with its path; for
 * documents stored whole (graphs, leads). Stops after `limit` findings; iterative, so depth costs no stack.
 */
export function findUnstorableText(value: unknown, limit = 100): UnstorableText[] {
  const out: UnstorableText[] = [];
  const stack: Array<{ v: unknown; at: At | null }> = [{ v: value, at: null }];
  while (stack.length > 0 && out.length < limit) {
    const { v, at } = stack.pop()!;
    if (typeof v === 'string') {
      if (!isStorableText(v)) out.push({ path: pathOf(at), message: UNSTORABLE_TEXT_MESSAGE });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ v: v[i], at: { key: i, up: at } });
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i]!;
        if (!isStorableText(k)) out.push({ path: pathOf({ key: k, up: at }), message: `the name of this key ${UNSTORABLE_TEXT_MESSAGE}` });
        else stack.push({ v: (v as Record<string, unknown>)[k], at: { key: k, up: at } });
      }
    }
  }
  return out.slice(0, limit);
}

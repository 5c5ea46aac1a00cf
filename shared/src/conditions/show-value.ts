import { quote } from '../util/format';

// Showing values in explanations: text quoted, numbers and booleans bare, dates bare, lists in [..]; long
// values clipped. Never throws, whatever the value is (a malformed clause still gets its line).

/** How many characters of a value an explanation shows. */
const MAX_SHOWN_CHARS = 80;
/** How many items of a list an explanation shows. */
const MAX_SHOWN_ITEMS = 10;

// ---------------------------------------------------------------------------------------------------------
// Showing values: text quoted, numbers and booleans bare, dates bare, lists in [..]; long values clipped.

export function clip(s: string): string {
  return s.length > MAX_SHOWN_CHARS ? s.slice(0, MAX_SHOWN_CHARS - 1) + '…' : s;
}

export function showScalar(v: string | number | boolean): string {
  return typeof v === 'string' ? quote(clip(v.trim())) : String(v);
}

/** The lead's value with a leading space, or nothing when it is missing or cannot be shown. */
export function showRaw(raw: unknown): string {
  if (typeof raw === 'string') return raw.trim() === '' ? '' : ' ' + showScalar(raw);
  if (typeof raw === 'number' || typeof raw === 'boolean') return ' ' + String(raw);
  return '';
}

export function showList(v: unknown): string {
  if (!Array.isArray(v)) return showAny(v);
  let out = '[';
  const n = Math.min(v.length, MAX_SHOWN_ITEMS);
  for (let i = 0; i < n; i++) {
    const item: unknown = v[i];
    if (i > 0) out += ', ';
    // Nested lists are not shown item by item: a list that contains itself must not recurse.
    out += typeof item === 'string' ? clip(item) : Array.isArray(item) ? '[…]' : showAny(item);
  }
  if (v.length > n) out += `, … ${v.length - n} more`;
  return out + ']';
}

/** Anything, for malformed clauses: never throws, whatever the value is. */
export function showAny(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return quote(clip(v));
    case 'number':
    case 'boolean':
      return String(v);
    case 'undefined':
      return '(no value)';
    case 'object':
      if (v === null) return '(no value)';
      if (Array.isArray(v)) return showList(v);
      return '{…}';
    default:
      return '?';
  }
}

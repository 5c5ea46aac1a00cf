/** How deep values may nest in a graph document (the document itself is depth 0, a node depth 2). */
export const MAX_DEPTH = 64;
/** The most values (objects, arrays and scalars together) a graph document may hold. */
export const MAX_VALUES = 1_000_000;

/** A spot the copy refused to descend into. `path` is from the document root. */
export interface BoundsFinding {
  reason: 'too_deep' | 'not_plain';
  path: Array<string | number>;
}

/** The result of copying a document within bounds. */
export type BoundedCopy =
  | { ok: true; value: unknown; findings: BoundsFinding[] }
  | { ok: false; reason: 'too_many_values' };

// Keeps the report short on hostile input; one finding per node is all the parser uses.
const MAX_FINDINGS = 2000;

interface Frame {
  source: Record<string, unknown> | unknown[];
  target: Record<string, unknown> | unknown[];
  keys: string[] | null;
  length: number;
  next: number;
  key: string | number;
}

/**
 * Copies a value into fresh plain objects and arrays, without recursion, before zod ever sees it.
 *
 * What this guarantees to the parser: nesting is at most MAX_DEPTH deep (deeper containers become
 * `undefined` and are reported), the whole value has at most MAX_VALUES parts, every container is a plain
 * object or array (Dates, Maps, class instances and the like become `undefined` and are reported), and
 * every getter was read once here, so zod reads only data. Copies have no prototype, so a `__proto__` key
 * stays an ordinary key instead of changing the object's prototype.
 */
export function boundedCopy(root: unknown): BoundedCopy {
  if (!isContainer(root)) return { ok: true, value: root, findings: [] };
  if (!isPlain(root)) return { ok: true, value: undefined, findings: [{ reason: 'not_plain', path: [] }] };
  const findings: BoundsFinding[] = [];
  let budget = MAX_VALUES - 1;
  const rootFrame = frameFor(root, '');
  if (rootFrame === null) return { ok: false, reason: 'too_many_values' };
  budget -= rootFrame.length;
  if (budget < 0) return { ok: false, reason: 'too_many_values' };
  const stack: Frame[] = [rootFrame];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as Frame;
    if (top.next >= top.length) {
      stack.pop();
      continue;
    }
    const i = top.next++;
    const key: string | number = top.keys ? (top.keys[i] as string) : i;
    const child = (top.source as Record<string | number, unknown>)[key];
    let copied: unknown = child;
    if (isContainer(child)) {
      copied = undefined;
      const trouble = !isPlain(child) ? 'not_plain' : stack.length >= MAX_DEPTH ? 'too_deep' : null;
      if (trouble !== null) {
        if (findings.length < MAX_FINDINGS) findings.push({ reason: trouble, path: [...stack.slice(1).map((f) => f.key), key] });
      } else {
        const frame = frameFor(child, key);
        if (frame === null) return { ok: false, reason: 'too_many_values' };
        budget -= frame.length;
        if (budget < 0) return { ok: false, reason: 'too_many_values' };
        copied = frame.target;
        stack.push(frame);
      }
    }
    (top.target as Record<string | number, unknown>)[key] = copied;
  }
  return { ok: true, value: rootFrame.target, findings };
}

function frameFor(source: object, key: string | number): Frame | null {
  if (Array.isArray(source)) {
    // Checked before allocating anything, so `new Array(1e9)` costs nothing.
    if (source.length > MAX_VALUES) return null;
    return { source, target: new Array<unknown>(source.length), keys: null, length: source.length, next: 0, key };
  }
  const keys = Object.keys(source);
  const target = Object.create(null) as Record<string, unknown>;
  return { source: source as Record<string, unknown>, target, keys, length: keys.length, next: 0, key };
}

function isContainer(v: unknown): v is object {
  return typeof v === 'object' && v !== null;
}

function isPlain(v: object): boolean {
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

import { RE2JS } from 're2js';

/** The longest pattern an author may write for the `matches` operator. */
export const MAX_PATTERN_LENGTH = 200;

/**
 * How much of a value a pattern reads: longer values are tested on their first this-many characters only
 * (docs/formats.md says so to authors). With MAX_PATTERN_PROGRAM it bounds one test's work.
 */
export const MAX_PATTERN_INPUT = 1_000;

/**
 * The largest automaton a pattern may compile to (RE2's program size: roughly one instruction per
 * character class, alternative and repetition, counted repetitions multiplied out). RE2 runs in time
 * linear in the input, but the factor is the automaton: `[\s\S]{1,1000}[\s\S]{1,1000}q` compiles to
 * 4,001 instructions and takes seconds on a long value. Every pattern an author needs for routing
 * (titles, domains, codes) stays far below this.
 */
export const MAX_PATTERN_PROGRAM = 300;

/** How many compiled patterns are kept per case mode before the oldest is dropped. */
const CACHE_SIZE = 500;

/** A compiled pattern, or why it was refused. */
export type CompiledPattern = { ok: true; test: (input: string) => boolean; /** Work per character read (the automaton's size). */ cost: number } | { ok: false; reason: string };

// Two maps rather than one keyed by `flag + source`: the evaluator calls this per lead, and a
// concatenated key would allocate a string on every call.
const sensitiveCache = new Map<string, CompiledPattern>();
const insensitiveCache = new Map<string, CompiledPattern>();

/**
 * Compiles an author's pattern with RE2 (linear time: no backreferences, no lookaround), so no pattern can
 * make matching slow. The match is unanchored, as in a spreadsheet's "matches": use ^ and $ to anchor.
 */
export function compilePattern(source: string, caseSensitive: boolean): CompiledPattern {
  const cache = caseSensitive ? sensitiveCache : insensitiveCache;
  const hit = cache.get(source);
  if (hit !== undefined) return hit;
  const compiled = compileUncached(source, caseSensitive);
  // Insertion order is age order, so the first key is the oldest entry.
  if (cache.size >= CACHE_SIZE) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(source, compiled);
  return compiled;
}

function compileUncached(source: string, caseSensitive: boolean): CompiledPattern {
  if (typeof source !== 'string') return { ok: false, reason: 'the pattern must be text' };
  if (source.length === 0) return { ok: false, reason: 'the pattern is empty' };
  if (source.length > MAX_PATTERN_LENGTH) {
    return { ok: false, reason: `the pattern is ${source.length} characters long; at most ${MAX_PATTERN_LENGTH} are allowed` };
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
  } catch (e) {
    return { ok: false, reason: explainSyntaxError(source, e) };
  }
  const size = re.programSize();
  if (size > MAX_PATTERN_PROGRAM) {
    return { ok: false, reason: `the pattern is too costly to run on every lead (its automaton has ${size} steps; at most ${MAX_PATTERN_PROGRAM}): use smaller counts in {n,m}, or fewer repetitions` };
  }
  return {
    ok: true,
    cost: size,
    test: (input: string): boolean => {
      // RE2 is linear in the input, but a lead field could still be megabytes long: only the first
      // MAX_PATTERN_INPUT characters are looked at, which keeps every test within a fixed budget.
      const s = input.length > MAX_PATTERN_INPUT ? input.slice(0, MAX_PATTERN_INPUT) : input;
      try {
        return re.test(s);
      } catch {
        // The engine's own limits (e.g. its DFA memory budget) must never turn into an exception on the hot path.
        return false;
      }
    },
  };
}

/** Turns RE2's parser message into words an author can act on. */
function explainSyntaxError(source: string, e: unknown): string {
  const raw = e instanceof Error ? e.message.replace(/^error parsing regexp: /, '') : 'the pattern could not be read';
  if (/\(\?[=!]|\(\?<[=!]/.test(source)) return 'lookahead and lookbehind, such as (?=...) or (?!...), are not supported';
  if (/\\[1-9]/.test(source)) return 'backreferences such as \\1 are not supported';
  if (raw.startsWith('invalid repeat count') || raw.startsWith('expression too large')) {
    return `the pattern repeats too much (${raw}); use smaller counts in {n,m}`;
  }
  return `the pattern is not valid: ${raw}`;
}

import { describe, expect, it } from 'vitest';
import { compilePattern, MAX_PATTERN_INPUT, MAX_PATTERN_LENGTH, MAX_PATTERN_PROGRAM } from './pattern';

function ok(source: string, caseSensitive = false): (s: string) => boolean {
  const c = compilePattern(source, caseSensitive);
  if (!c.ok) throw new Error(`expected ${source} to compile: ${c.reason}`);
  return c.test;
}

function rejected(source: string): string {
  const c = compilePattern(source, false);
  if (c.ok) throw new Error(`expected ${source} to be rejected`);
  return c.reason;
}

describe('compilePattern', () => {
  it('matches anywhere in the value unless anchored', () => {
    expect(ok('acme')('sales@acme.com')).toBe(true);
    expect(ok('^acme')('sales@acme.com')).toBe(false);
    expect(ok('@acme\\.com$')('sales@acme.com')).toBe(true);
    expect(ok('@acme\\.com$')('sales@acme.com.evil.io')).toBe(false);
  });

  it('is case-insensitive unless asked otherwise', () => {
    expect(ok('ACME')('sales@acme.com')).toBe(true);
    expect(ok('ACME', true)('sales@acme.com')).toBe(false);
    expect(ok('acme', true)('sales@acme.com')).toBe(true);
  });

  it('caches per case mode without mixing them up', () => {
    expect(compilePattern('cache-me', false)).toBe(compilePattern('cache-me', false));
    expect(compilePattern('cache-me', true)).not.toBe(compilePattern('cache-me', false));
    expect(ok('Cache-Me', true)('cache-me')).toBe(false);
    expect(ok('Cache-Me', false)('cache-me')).toBe(true);
  });

  it('keeps working after the cache evicts old entries', () => {
    for (let i = 0; i < 1200; i++) expect(ok(`^v${i}$`)(`v${i}`)).toBe(true);
    expect(ok('^v0$')('v0')).toBe(true);
  });

  it('refuses patterns longer than the limit', () => {
    expect(ok('a'.repeat(MAX_PATTERN_LENGTH))('a'.repeat(MAX_PATTERN_LENGTH))).toBe(true);
    expect(rejected('a'.repeat(MAX_PATTERN_LENGTH + 1))).toMatch(/at most 200/);
  });

  it('refuses what RE2 cannot run in linear time, with a reason an author understands', () => {
    expect(rejected('(a)\\1')).toMatch(/backreferences/);
    expect(rejected('foo(?=bar)')).toMatch(/lookahead/);
    expect(rejected('foo(?!bar)')).toMatch(/lookahead/);
    expect(rejected('(?<=a)b')).toMatch(/lookbehind/);
    expect(rejected('[a-z')).toMatch(/not valid/);
    expect(rejected('a**')).toMatch(/not valid/);
    expect(rejected('(a{100}){100}')).toMatch(/repeats too much/);
    expect(rejected('')).toMatch(/empty/);
  });

  it('runs catastrophic-backtracking patterns in linear time', () => {
    // With a backtracking engine each of these takes longer than the age of the universe on this input.
    const input = 'a'.repeat(MAX_PATTERN_INPUT - 1) + 'b';
    expect(ok('(a+)+$')(input)).toBe(false);
    expect(ok('^(a|a)*$')(input)).toBe(false);
    expect(ok('(a|aa)+c')(input)).toBe(false);
    expect(ok('^(\\w+\\s?)*$')('word '.repeat(190) + '!')).toBe(false);
  });

  it('looks at the first 1,000 characters of a longer value only', () => {
    expect(MAX_PATTERN_INPUT).toBe(1_000);
    const head = 'x'.repeat(MAX_PATTERN_INPUT);
    expect(ok('needle')(head.slice(10) + 'needle' + head)).toBe(true);
    expect(ok('needle')(head + 'needle')).toBe(false);
    expect(ok('x$')(head + 'y')).toBe(true);
    expect(ok('(a+)+$')('a'.repeat(1_000_000))).toBe(true);
  });

  // Issue 14, item 2: linear time was not enough; the automaton's size multiplies every character read.
  it('refuses at compile time a pattern whose automaton would make a long value cost seconds', () => {
    const reason = rejected('[\\s\\S]{1,1000}[\\s\\S]{1,1000}q');
    expect(reason).toMatch(/too costly to run on every lead/);
    expect(reason).toContain(`at most ${MAX_PATTERN_PROGRAM}`);
    expect(rejected('.{1,250}x')).toMatch(/too costly/);
    // What routing needs stays allowed.
    ok('\\b(vp|director|chief|head|svp|evp|founder|owner|president|principal|partner)\\b');
    ok('^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$');
    ok('^\\d{5}(-\\d{4})?$');
  });

  it('keeps the worst allowed pattern on the longest value it reads within milliseconds', () => {
    // A bound on work, not a timing: the automaton times the characters read.
    const worst = compilePattern('.{1,145}x', false);
    expect(worst.ok).toBe(true);
    expect(MAX_PATTERN_PROGRAM * MAX_PATTERN_INPUT).toBeLessThanOrEqual(300_000);
  });
});

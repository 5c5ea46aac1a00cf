import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { findUnstorableText, isStorableText, Text, UNSTORABLE_TEXT_MESSAGE } from './text';

describe('storable text', () => {
  it('accepts ordinary text, emoji (a surrogate pair) and the empty string', () => {
    for (const s of ['', 'Ana Lima', 'Zoë – naïve café', 'emoji 😀', '\ud83d\ude00', 'tab\tand\nnewline', '\u0001']) expect(isStorableText(s)).toBe(true);
  });

  it('refuses a NUL character and lone surrogates, wherever they are', () => {
    for (const s of ['\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83d', '\ude00x', '\udc00\ud800', '😀\ud800']) expect(isStorableText(s)).toBe(false);
  });

  it('Text(max) refuses both and names the field; it chains like a string schema', () => {
    const schema = z.object({ name: Text(10).trim().min(1), tags: z.array(Text(5)) });
    expect(schema.parse({ name: ' Ana ', tags: ['a'] })).toEqual({ name: 'Ana', tags: ['a'] });
    const r = schema.safeParse({ name: 'a\u0000b', tags: ['ok', '\ud800'] });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['name', UNSTORABLE_TEXT_MESSAGE],
      ['tags.1', UNSTORABLE_TEXT_MESSAGE],
    ]);
    expect(schema.safeParse({ name: 'x'.repeat(11), tags: [] }).success).toBe(false);
  });

  it('finds every unstorable string in a document, keys included, with its path', () => {
    const doc = { nodes: [{ id: 'a', label: 'ok' }, { id: 'b', label: 'x\u0000', config: { ['k\ud800']: 1, list: ['fine', '\udc00'] } }], n: 1, ok: true, none: null };
    expect(findUnstorableText(doc).map((f) => f.path.join('.'))).toEqual(['nodes.1.label', 'nodes.1.config.k\ud800', 'nodes.1.config.list.1']);
    expect(findUnstorableText({ fine: ['a', { b: 'c' }] })).toEqual([]);
    expect(findUnstorableText('\u0000')).toEqual([{ path: [], message: UNSTORABLE_TEXT_MESSAGE }]);
  });

  it('stops at the limit and walks deep documents without recursion', () => {
    expect(findUnstorableText(Array(500).fill('\u0000'), 3)).toHaveLength(3);
    let deep: unknown = '\u0000';
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(findUnstorableText(deep)).toHaveLength(1);
  });
});

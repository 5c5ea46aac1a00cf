import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../fields/catalog';
import { createSuggester, distanceWithin, formatNumber, listWords, Rows } from './names';

/** Optimal string alignment distance, the plain way, for reference. */
function reference(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, ((d[i - 2] as number[])[j - 2] as number) + 1);
      row[j] = v;
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

describe('names', () => {
  it('computes the bounded distance exactly up to the limit', () => {
    const rows = new Rows();
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), maxLength: 12 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 4 }), (a, b, limit) => {
        expect(distanceWithin(a, b, limit, rows)).toBe(Math.min(reference(a, b), limit + 1));
      }),
      { numRuns: 2000 },
    );
  });

  it('suggests the closest catalog field by key or label', () => {
    const suggest = createSuggester(buildCatalog());
    expect(suggest('emial')).toBe('email');
    expect(suggest('Company Domain')).toBe('domain');
    expect(suggest('employes')).toBe('employees');
    expect(suggest('qqqqqq')).toBeNull();
  });

  it('stops suggesting after its budget, so hostile graphs stay fast', () => {
    const suggest = createSuggester(buildCatalog());
    for (let i = 0; i < 100; i++) suggest(`unknown${i}`);
    expect(suggest('emial')).toBeNull();
    expect(createSuggester(buildCatalog())('emial')).toBe('email');
  });

  it('formats lists and numbers for sentences', () => {
    expect(listWords(['a'])).toBe('a');
    expect(listWords(['a', 'b', 'c'])).toBe('a, b and c');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
  });
});

import { describe, expect, it } from 'vitest';
import { compareValues, readColumnChoice, writeColumnChoice } from './table-prefs';

const memory = () => {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
};

describe('compareValues', () => {
  it('orders numbers by size and text as people read it', () => {
    expect(compareValues(2, 10)).toBeLessThan(0);
    expect(['Lead 10', 'lead 2', 'Ada'].sort(compareValues)).toEqual(['Ada', 'lead 2', 'Lead 10']);
  });
});

describe('the column choice', () => {
  it('is remembered per table, and forgotten once every column is shown again', () => {
    const s = memory();
    writeColumnChoice('leads', { workflow: false, status: true }, s);
    expect(readColumnChoice('leads', s)).toEqual({ workflow: false, status: true });
    expect(readColumnChoice('reps', s)).toEqual({});
    writeColumnChoice('leads', { workflow: true }, s);
    expect(s.m.size).toBe(0);
  });
  it('ignores what it cannot read', () => {
    const s = memory();
    s.setItem('table-columns:leads', 'not json');
    expect(readColumnChoice('leads', s)).toEqual({});
    s.setItem('table-columns:leads', '{"workflow":"no","status":false}');
    expect(readColumnChoice('leads', s)).toEqual({ status: false });
    expect(readColumnChoice('leads', undefined)).toEqual({});
  });
});

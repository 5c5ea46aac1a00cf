import { describe, expect, it } from 'vitest';
import { sortIdOf, SORTS } from './lead-filters';
import { csvHref, filtersFrom } from './queries';

describe('the lead list URL', () => {
  it('passes every filter of the API through, and nothing else', () => {
    const params = { assignedTo: 'rep-ana', waitOutcome: 'timed_out', throughNode: 'sla', nodeOutcome: 'timed_out', q: 'acme', period: 'day', since: '2026-01-01T00:00:00.000Z', bogus: 'x', status: '' };
    expect(filtersFrom(params)).toEqual({ assignedTo: 'rep-ana', waitOutcome: 'timed_out', throughNode: 'sla', nodeOutcome: 'timed_out', q: 'acme', since: '2026-01-01T00:00:00.000Z' });
  });

  it('downloads the CSV of the same filters', () => {
    expect(csvHref({ q: 'a b', assignedTo: 'rep-ana' })).toBe('/api/leads?q=a+b&assignedTo=rep-ana&format=csv');
  });

  it('reads each order back from sort and order', () => {
    for (const s of SORTS) expect(sortIdOf({ ...(s.sort ? { sort: s.sort } : {}), ...(s.order ? { order: s.order } : {}) })).toBe(s.id);
    expect(sortIdOf({ sort: 'received' })).toBe('newest');
    expect(sortIdOf({ sort: 'nonsense' })).toBe('newest');
  });
});

import { describe, expect, it } from 'vitest';
import { filterText } from './filter-text';

describe('filterText', () => {
  it('says a backfill filter in words, people by name, the range with its days and times', () => {
    const now = new Date();
    const since = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 9, 5).toISOString();
    expect(filterText({ status: 'waiting', assignee: 'rep-ana', since }, (id) => (id === 'rep-ana' ? 'Ana Diaz' : id))).toBe('status waiting · held by Ana Diaz · received from today 09:05');
    expect(filterText({ workflow: 'x', waitOutcome: 'timed_out' })).toBe('wait ended timed out');
    expect(filterText({})).toBe('all leads');
    expect(filterText({ import: 'salesforce', file: 'Recognised as a Salesforce export: 18 columns mapped' })).toBe('leads of a Salesforce export (imported)');
  });
});

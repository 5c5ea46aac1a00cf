import { describe, expect, it } from 'vitest';
import { blankLead } from './blank-lead';
import { STANDARD_FIELDS } from './catalog';

describe('blankLead', () => {
  it('has exactly the standard fields, in catalog order, all undefined', () => {
    const lead = blankLead();
    expect(Object.keys(lead)).toEqual(STANDARD_FIELDS.map((f) => f.key).filter((k) => k !== 'location'));
    expect(Object.values(lead).every((v) => v === undefined)).toBe(true);
  });

  it('returns a new object each time', () => {
    const a = blankLead();
    a.id = 'x';
    expect(blankLead().id).toBeUndefined();
  });
});

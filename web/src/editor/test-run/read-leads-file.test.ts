import { describe, expect, it } from 'vitest';
import { parsePastedLeads } from './read-leads-file';

describe('pasted leads', () => {
  it('takes one object or an array of them', () => {
    expect(parsePastedLeads('{"email":"a@b.co"}')).toEqual([{ email: 'a@b.co' }]);
    expect(parsePastedLeads('[{"id":"1"},{"id":"2"}]')).toHaveLength(2);
  });

  it('says what is wrong: not JSON, or which lead is not an object', () => {
    expect(() => parsePastedLeads('{"email":')).toThrow(/not JSON/);
    expect(() => parsePastedLeads('[{"id":"1"}, 3]')).toThrow('Lead 2 is not a JSON object.');
    expect(() => parsePastedLeads('[[1]]')).toThrow('Lead 1 is not a JSON object.');
  });
});

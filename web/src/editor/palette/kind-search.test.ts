import { NODE_TYPES } from '@lead-router/shared';
import { describe, expect, it } from 'vitest';
import { FOLLOW_KINDS, matchKinds } from './kind-search';

describe('matchKinds', () => {
  it('lists every kind for an empty query, in the palette order', () => {
    expect(matchKinds('')).toEqual([...NODE_TYPES]);
    expect(matchKinds('   ')).toEqual([...NODE_TYPES]);
  });

  it('finds kinds by label and by their line of help, every word, any case', () => {
    expect(matchKinds('Round Robin')).toEqual(['assign']);
    expect(matchKinds('slack')).toEqual(['notify']);
    expect(matchKinds('sla')).toContain('wait');
    expect(matchKinds('nothing like this')).toEqual([]);
  });

  it('puts kinds whose label starts with the query first, so Enter picks the one named', () => {
    expect(matchKinds('wa')[0]).toBe('wait');
    expect(matchKinds('end')[0]).toBe('end');
  });

  it('never offers a trigger after an outcome', () => {
    expect(FOLLOW_KINDS).not.toContain('trigger');
    expect(matchKinds('webhook', FOLLOW_KINDS)).toEqual(['notify']);
  });
});

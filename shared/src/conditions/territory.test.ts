import { describe, expect, it } from 'vitest';
import type { Territory } from '../directory/schema';
import { findTerritory, formatLocation, inTerritory, leadLocation } from './territory';

const t = (id: string, rules: Territory['rules'], priority = 100): Territory => ({ id, name: id, rules, repIds: [], priority });

describe('territories', () => {
  it('normalises the lead location: trimmed, upper case, postal code without spaces', () => {
    expect(leadLocation({ country: ' us ', state: 'ca', postalCode: ' sw1a 1aa ' })).toEqual({ country: 'US', state: 'CA', postalCode: 'SW1A1AA' });
    expect(leadLocation({ postalCode: 94105 })).toEqual({ country: null, state: null, postalCode: '94105' });
    expect(formatLocation(leadLocation({ country: 'DE' }))).toBe('DE / - / -');
  });

  it('matches countries, states, postal prefixes and same-length ranges', () => {
    const west = t('west', [{ countries: ['us'], states: ['CA', 'wa'] }, { countries: ['US'], postalCodes: ['9*'] }]);
    expect(inTerritory(west, leadLocation({ country: 'US', state: 'WA' }))).toBe(true);
    expect(inTerritory(west, leadLocation({ country: 'US', state: 'NY', postalCode: '94105' }))).toBe(true);
    expect(inTerritory(west, leadLocation({ country: 'US', state: 'NY', postalCode: '10001' }))).toBe(false);
    expect(inTerritory(west, leadLocation({ country: 'CA', state: 'CA' }))).toBe(false);
    const range = t('range', [{ postalCodes: ['10000-19999', 'SW1A 1AA'] }]);
    expect(inTerritory(range, leadLocation({ postalCode: '12345' }))).toBe(true);
    expect(inTerritory(range, leadLocation({ postalCode: '123456' }))).toBe(false);
    expect(inTerritory(range, leadLocation({ postalCode: 'sw1a1aa' }))).toBe(true);
  });

  it('a rule part the lead lacks never matches', () => {
    expect(inTerritory(t('x', [{ states: ['CA'] }]), leadLocation({ country: 'US' }))).toBe(false);
  });

  it('picks the lowest priority number, then the first listed', () => {
    const broad = t('broad', [{ countries: ['US'] }], 50);
    const narrow = t('narrow', [{ countries: ['US'], states: ['CA'] }], 10);
    const same = t('same', [{ countries: ['US'] }], 50);
    expect(findTerritory([broad, narrow, same], { country: 'US', state: 'CA' })?.id).toBe('narrow');
    expect(findTerritory([broad, narrow, same], { country: 'US', state: 'NY' })?.id).toBe('broad');
    expect(findTerritory([broad], { country: 'DE' })).toBeNull();
  });
});

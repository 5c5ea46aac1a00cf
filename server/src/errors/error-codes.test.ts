import { describe, expect, it } from 'vitest';
import { DomainError } from './domain-error';
import { API_ERROR_CODES, API_ERRORS } from './error-codes';

describe('the API error registry', () => {
  it('has one entry per code, each with a status and a message', () => {
    expect(Object.keys(API_ERRORS).sort()).toEqual([...API_ERROR_CODES].sort());
    for (const [code, spec] of Object.entries(API_ERRORS)) {
      expect(spec.status, code).toBeGreaterThanOrEqual(400);
      expect(spec.message.length, code).toBeGreaterThan(0);
    }
  });

  it('answers a client mistake with a 4xx: only bugs are 500 and only unavailable services 503', () => {
    const serverSide = Object.entries(API_ERRORS).filter(([, spec]) => spec.status >= 500).map(([code]) => code);
    expect(serverSide.sort()).toEqual(['internal_error', 'unavailable']);
  });

  it('a domain error without a message says what the registry says', () => {
    expect(new DomainError('unauthorized').message).toBe(API_ERRORS.unauthorized.message);
    expect(new DomainError('not_waiting', 'This lead is not waiting (it is completed).').message).toBe('This lead is not waiting (it is completed).');
  });
});

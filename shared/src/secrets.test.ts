import { describe, expect, it } from 'vitest';
import { credentialQueryParams, fillSecrets, isCredentialHeader, isSecretRefOnly, redactSecrets, SecretNameSchema, secretRefs, SecretValueSchema } from './secrets';

describe('secret references', () => {
  it('finds the names a text refers to, once each, in order', () => {
    expect(secretRefs('Bearer {{secret.A}} {{ secret.B_2 }} {{secret.A}} {{company}}')).toEqual(['A', 'B_2']);
    expect(isSecretRefOnly('{{secret.SLACK_URL}}')).toBe(true);
    expect(isSecretRefOnly('https://x/{{secret.SLACK_URL}}')).toBe(false);
  });

  it('fills each reference in one pass: a value that looks like a reference is not filled again', () => {
    const values: Record<string, string> = { A: '{{secret.B}}', B: 'b-value' };
    expect(fillSecrets('x={{secret.A}}&y={{secret.B}}', (n) => values[n]!)).toBe('x={{secret.B}}&y=b-value');
  });

  it('redacts values (and their URL-encoded form) back to their names, the longest first', () => {
    const secrets = new Map([
      ['KEY', 'sk_live_a+b/c'],
      ['SHORT', 'ab'],
    ]);
    expect(redactSecrets('GET https://e.example.com/?k=sk_live_a%2Bb%2Fc failed; sent sk_live_a+b/c; ab', secrets)).toBe('GET https://e.example.com/?k={{secret.KEY}} failed; sent {{secret.KEY}}; ab');
  });

  it('knows credential headers and query parameters', () => {
    expect(['Authorization', 'x-api-key', 'X-Auth-Token', 'api_key', 'Cookie', 'X-Secret'].every(isCredentialHeader)).toBe(true);
    expect(['Accept', 'Content-Type', 'X-Request-Id', 'Keyboard'].some(isCredentialHeader)).toBe(false);
    expect(credentialQueryParams('https://x.example.com/?domain={{domain}}&api_key=abc&token={{secret.T}}&sig=1')).toEqual(['api_key', 'sig']);
  });

  it('names and values: bad ones say what is wrong', () => {
    expect(SecretNameSchema.safeParse('ENRICH_API_KEY').success).toBe(true);
    expect(SecretNameSchema.safeParse('enrich').error?.issues[0]?.message).toMatch(/upper-case letters/);
    expect(SecretValueSchema.safeParse('').error?.issues[0]?.message).toBe('must not be empty');
    expect(SecretValueSchema.safeParse('a\nb').error?.issues[0]?.message).toMatch(/one line/);
    expect(SecretValueSchema.safeParse('x'.repeat(8001)).error?.issues[0]?.message).toMatch(/at most 8000/);
  });
});

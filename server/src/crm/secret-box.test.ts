import { describe, expect, it } from 'vitest';
import { SecretBox, secretBoxFrom } from './secret-box';

const KEY = 'k'.repeat(40);
const NEW_KEY = 'n'.repeat(40);

describe('the secret box (AES-256-GCM, key from SECRET_KEY by HKDF)', () => {
  it('seals with a random IV per value, in the versioned format naming its key; opens only in its context', () => {
    const box = new SecretBox(KEY);
    const a = box.seal('token-123', 'crm_connections:1:accessTokenEnc');
    const b = box.seal('token-123', 'crm_connections:1:accessTokenEnc');
    expect(a).not.toBe(b);
    expect(a).toMatch(new RegExp(`^v1\\.${box.keyId}\\.[\\w-]{16}\\.[\\w-]{22}\\.[\\w-]+$`));
    expect(a).not.toContain('token-123');
    expect(box.open(a, 'crm_connections:1:accessTokenEnc')).toBe('token-123');
    expect(() => box.open(a, 'crm_connections:2:accessTokenEnc')).toThrow(/does not decrypt/);
    const tampered = a.slice(0, -2) + (a.endsWith('A') ? 'BB' : 'AA');
    expect(() => box.open(tampered, 'crm_connections:1:accessTokenEnc')).toThrow(/does not decrypt/);
    expect(() => box.open('v2.x.y.z.w', 'c')).toThrow(/format/);
  });

  it('rotates: the new key writes, the previous one still reads what it sealed', () => {
    const old = new SecretBox(KEY);
    const sealed = old.seal('refresh-abc', 'ctx');
    expect(() => new SecretBox(NEW_KEY).open(sealed, 'ctx')).toThrow(/another SECRET_KEY/);
    const rotated = secretBoxFrom({ SECRET_KEY: NEW_KEY, SECRET_KEY_PREVIOUS: ` ${KEY} ,` })!;
    expect(rotated.open(sealed, 'ctx')).toBe('refresh-abc');
    expect(rotated.needsRotation(sealed)).toBe(true);
    const resealed = rotated.seal('refresh-abc', 'ctx');
    expect(rotated.needsRotation(resealed)).toBe(false);
    expect(resealed.split('.')[1]).toBe(new SecretBox(NEW_KEY).keyId);
  });

  it('no SECRET_KEY, no box', () => {
    expect(secretBoxFrom({})).toBeNull();
  });
});

import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

// Secrets at rest (CRM client secrets, private keys, access and refresh tokens; workspace secrets): AES-256-GCM with a key
// derived from SECRET_KEY by HKDF-SHA256, a random 12-byte IV per value, and the row and column the value
// belongs to as additional authenticated data, so a ciphertext copied into another row or column does not
// decrypt. The stored text is versioned and names its key:
//
//   v1.<key id>.<iv, base64url>.<tag, base64url>.<ciphertext, base64url>
//
// <key id> is the first 8 hex characters of sha256 of the derived key. To rotate, set the new key in
// SECRET_KEY and the old one in SECRET_KEY_PREVIOUS (comma-separated when several): values decrypt with
// whichever key they name, and every value written from then on uses the new key.

const VERSION = 'v1';
const HKDF_SALT = 'lead-router/secret-box';
const HKDF_INFO = 'crm secrets v1';

/** The shortest SECRET_KEY accepted (32 characters, e.g. `openssl rand -base64 32`). */
export const MIN_SECRET_KEY_LENGTH = 32;

interface DerivedKey {
  id: string;
  key: Buffer;
}

function derive(secret: string): DerivedKey {
  const key = Buffer.from(hkdfSync('sha256', secret, HKDF_SALT, HKDF_INFO, 32));
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 8), key };
}

/** Why a secret could not be read: no key, a key that does not match, or a damaged value. */
export class SecretBoxError extends Error {
  override readonly name = 'SecretBoxError';
}

/** Encrypts and decrypts secrets at rest; build one with `secretBoxFrom(config)`. */
export class SecretBox {
  private readonly current: DerivedKey;
  private readonly byId: Map<string, DerivedKey>;

  constructor(secretKey: string, previous: readonly string[] = []) {
    this.current = derive(secretKey);
    this.byId = new Map([this.current, ...previous.map(derive)].map((k) => [k.id, k]));
  }

  /** The current key's id (safe to log: it is a hash of the derived key, not the key). */
  get keyId(): string {
    return this.current.id;
  }

  /** Encrypts `plain`, bound to `context` (e.g. `crm_connections:<id>:access_token`). */
  seal(plain: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, this.current.id, iv.toString('base64url'), tag.toString('base64url'), data.toString('base64url')].join('.');
  }

  /** Decrypts a value `seal` made with the same `context`; SecretBoxError when it cannot. */
  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new SecretBoxError('The stored secret is not in a format this version reads.');
    const key = this.byId.get(parts[1]!);
    if (!key) throw new SecretBoxError(`The stored secret was encrypted with another SECRET_KEY (key id ${parts[1]}); set that key in SECRET_KEY_PREVIOUS, or enter the credentials again.`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(parts[2]!, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(parts[3]!, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(parts[4]!, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('The stored secret does not decrypt (damaged, or moved from another record).');
    }
  }

  /** Whether a value is sealed with a key other than the current one (to re-encrypt it). */
  needsRotation(sealed: string): boolean {
    return sealed.split('.')[1] !== this.current.id;
  }
}

/** The configuration a secret box is built from. */
export interface SecretKeyConfig {
  SECRET_KEY?: string | undefined;
  SECRET_KEY_PREVIOUS?: string | undefined;
}

/** The secret box of this configuration, or null when SECRET_KEY is not set. */
export function secretBoxFrom(config: SecretKeyConfig): SecretBox | null {
  if (!config.SECRET_KEY) return null;
  const previous = (config.SECRET_KEY_PREVIOUS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return new SecretBox(config.SECRET_KEY, previous);
}

import { generateKeyPairSync } from 'node:crypto';
import type { Logger } from '../http/context';

// What the CRM tests share: a secret key, a key pair for the JWT flow, and a logger that keeps every line
// it is given (as the real logger would write it) so tests can check no secret is ever logged.

/** A SECRET_KEY for tests (32+ characters). */
export const TEST_SECRET_KEY = 'test-secret-key-0123456789abcdefghijklmnop';

const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
/** The JWT bearer flow's private key, and the public key the contract server's connected app holds. */
export const TEST_PRIVATE_KEY = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
export const TEST_PUBLIC_KEY = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** A logger that keeps each line as the JSON the real one writes. */
export function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (msg: string, fields?: Record<string, unknown>) => {
    lines.push(JSON.stringify({ level, msg, ...fields }));
  };
  return { lines, info: write('info'), warn: write('warn'), error: write('error') };
}

import { MIN_SECRET_KEY_LENGTH, secretBoxFrom, type SecretBox, type SecretKeyConfig } from '@lead-router/db/secret-box';
import { DomainError } from '../errors/domain-error';

// The secret box itself lives in the db package (db/src/secret-box.ts): the worker opens workspace secrets too.
export { MIN_SECRET_KEY_LENGTH, SecretBox, SecretBoxError, secretBoxFrom, type SecretKeyConfig } from '@lead-router/db/secret-box';

/** The secret box, or `unavailable` (503: the server's configuration, nobody's request) saying what to set. */
export function requireSecretBox(config: SecretKeyConfig): SecretBox {
  const box = secretBoxFrom(config);
  if (!box) {
    throw new DomainError(
      'unavailable',
      `SECRET_KEY is not set, so CRM credentials and workspace secrets cannot be stored or read. Set SECRET_KEY (at least ${MIN_SECRET_KEY_LENGTH} characters, e.g. \`openssl rand -base64 32\`) on every server and restart.`,
    );
  }
  return box;
}

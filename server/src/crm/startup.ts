import { crmConnections } from '@lead-router/db/crm-schema';
import { workspaceSecrets } from '@lead-router/db/secrets-schema';
import type { Db } from '@lead-router/db/client';
import { count } from 'drizzle-orm';
import type { Logger } from '../http/context';
import { secretBoxFrom, type SecretKeyConfig } from './secret-box';

/**
 * Says at start whether CRM credentials can be read: the key id in use (a hash, never the key), or, when
 * SECRET_KEY is missing, how many connections cannot be used until it is set.
 */
export async function reportSecretKey(db: Db, config: SecretKeyConfig, log: Logger): Promise<void> {
  const box = secretBoxFrom(config);
  if (box) {
    log.info('secret key loaded: CRM credentials and workspace secrets are encrypted at rest', { keyId: box.keyId });
    return;
  }
  const [row] = await db.select({ n: count() }).from(crmConnections);
  const n = row?.n ?? 0;
  const [held] = await db.select({ n: count() }).from(workspaceSecrets);
  const secrets = held?.n ?? 0;
  if (n > 0) log.error(`SECRET_KEY is not set: ${n} CRM connection(s) cannot be used until it is (the key they were saved with)`, { connections: n, secrets });
  else if (secrets > 0) log.error(`SECRET_KEY is not set: ${secrets} workspace secret(s) cannot be used until it is (the key they were saved with)`, { secrets });
  else log.info('SECRET_KEY is not set: CRM connections and workspace secrets cannot be added until it is');
}

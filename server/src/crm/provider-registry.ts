import { crmConnections } from '@lead-router/db/crm-schema';
import { eq } from 'drizzle-orm';
import { ensureSession, connectionFor, isSignedIn, resealIfRotated, NOT_SIGNED_IN_MESSAGE, type ConnectionRow, type CrmDeps } from './connections.service';
import type { CrmProviderClient } from './provider';
import { hubspotProviderClient } from './hubspot-provider';
import { SalesforceProvider } from './salesforce-provider';
import { secretBoxFrom } from './secret-box';

// Which client speaks for a connection: the CRM-neutral writer and syncs ask here. A provider's module
// plugs in with one entry (HubSpot: hubspot-*.ts).

/** Thrown when a connection cannot call its CRM (no SECRET_KEY, never signed in): retried later. */
export class ProviderUnavailable extends Error {
  override name = 'ProviderUnavailable';
}

type ProviderFactory = (deps: CrmDeps, row: ConnectionRow) => Promise<CrmProviderClient>;

const salesforce: ProviderFactory = async (deps, row) => {
  const box = secretBoxFrom(deps.config);
  if (!box) throw new ProviderUnavailable('SECRET_KEY is not set on the server, so the connection’s credentials cannot be read.');
  const signed = await ensureSession(deps, box, await resealIfRotated(deps.db, box, row));
  if (!isSignedIn(signed)) throw new ProviderUnavailable(NOT_SIGNED_IN_MESSAGE);
  return new SalesforceProvider(connectionFor(deps, box, signed), deps.now);
};

const hubspot: ProviderFactory = (deps, row) => {
  if (!secretBoxFrom(deps.config)) throw new ProviderUnavailable('SECRET_KEY is not set on the server, so the connection’s credentials cannot be read.');
  return Promise.resolve(hubspotProviderClient(deps, row));
};

/** The provider factories by CRM. */
export const PROVIDERS: Partial<Record<ConnectionRow['provider'], ProviderFactory>> = { salesforce, hubspot };

/** The client of a connection (signed in), by its row or id. */
export async function providerFor(deps: CrmDeps, rowOrId: ConnectionRow | string): Promise<{ row: ConnectionRow; client: CrmProviderClient }> {
  const row = typeof rowOrId === 'string' ? (await deps.db.select().from(crmConnections).where(eq(crmConnections.id, rowOrId)).limit(1))[0] : rowOrId;
  if (!row) throw new ProviderUnavailable('The connection no longer exists.');
  const factory = PROVIDERS[row.provider];
  if (!factory) throw new ProviderUnavailable(`Writing to ${row.provider} is not available yet.`);
  return { row, client: await factory(deps, row) };
}

import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, read } from '../../api/client';
import { Instant } from '../../ui/instant';

/** A rep's CRM users, one per connection (GET /api/crm/rep-links/{repId}). */
export const repCrmLinksQuery = (repId: string) =>
  queryOptions({ queryKey: ['directory', 'rep-crm-links', repId], queryFn: () => read(api.api.crm['rep-links'][':repId'].$get({ param: { repId } })) });

const PROVIDER = { salesforce: 'Salesforce', hubspot: 'HubSpot' } as Record<string, string>;

/**
 * Read-only: the CRM user the rep is linked to (by email) in each connection, the owner a CRM update step
 * writes for them. Users are synced from the CRM; a rep without one is not written as owner.
 */
export function RepCrmLinks({ repId }: { repId: string }) {
  const links = useQuery(repCrmLinksQuery(repId));
  if (!links.data || links.data.links.length === 0) return null;
  return (
    <fieldset aria-label="CRM users">
      <legend>CRM users (linked by email)</legend>
      <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
        {links.data.links.map((l) => (
          <li key={l.connectionId}>
            <strong>
              {PROVIDER[l.provider] ?? l.provider} · {l.connectionName}:
            </strong>{' '}
            {l.user ? (
              <>
                {l.user.name} <span className="muted">({l.user.email}, id {l.user.crmId})</span>
              </>
            ) : (
              <span className="muted">no active CRM user with this email: the owner is not written for this rep</span>
            )}
            {l.lastSyncedAt && (
              <span className="muted">
                {' '}
                · synced <Instant iso={l.lastSyncedAt} />
              </span>
            )}
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

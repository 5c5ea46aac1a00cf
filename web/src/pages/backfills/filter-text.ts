import { formatInstant } from '../../ui/format';

const LABELS: Record<string, string> = {
  status: 'status',
  assignee: 'held by',
  firstAssignee: 'first assigned to',
  assignedTo: 'ever assigned to',
  assignedBy: 'assigned by node',
  waitedOn: 'waited on',
  waitOutcome: 'wait ended',
  passedOver: 'passed over',
  passedReason: 'passed over for',
  throughNode: 'through node',
  nodeOutcome: 'leaving by',
};

/** A CRM import's source (POST /api/workflows/{id}/backfills/import), as the job's filter names it. */
const VENDORS: Record<string, string> = { salesforce: 'a Salesforce', hubspot: 'a HubSpot', generic: 'a CSV' };

/**
 * A backfill's filter in words, e.g. "status waiting · held by Ana Diaz · received from Dec 1, 09:00".
 * `nameOf` turns a rep or queue id into its name where the page knows it.
 */
export function filterText(filter: Record<string, string>, nameOf: (id: string) => string = (id) => id): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(filter)) {
    if (k === 'workflow' || k === 'since' || k === 'until' || k === 'file') continue;
    if (k === 'import') {
      parts.push(`leads of ${VENDORS[v] ?? 'a CSV'} export (imported)`);
      continue;
    }
    const who = k === 'assignee' || k === 'firstAssignee' || k === 'assignedTo' || k === 'waitedOn' || k === 'passedOver';
    parts.push(`${LABELS[k] ?? k} ${who ? nameOf(v) : v.replace(/_/g, ' ')}`);
  }
  if (filter.since && filter.until) parts.push(`received ${formatInstant(filter.since)} – ${formatInstant(filter.until)}`);
  else if (filter.since) parts.push(`received from ${formatInstant(filter.since)}`);
  else if (filter.until) parts.push(`received before ${formatInstant(filter.until)}`);
  return parts.length === 0 ? 'all leads' : parts.join(' · ');
}

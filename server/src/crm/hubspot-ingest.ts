import { buildCatalog, type CustomField, type FieldCatalog } from '@lead-router/shared';
import { crmPollMarks, crmRecords, type CrmFieldMap } from '@lead-router/db/crm-schema';
import { customFields, workflows } from '@lead-router/db/schema';
import type { Db } from '@lead-router/db/client';
import { and, eq, sql } from 'drizzle-orm';
import { kickDispatcher } from '@lead-router/db/outbox-dispatcher';
import { storeLead, type IngestTarget } from '../services/ingest.service';
import type { ConnectionRow } from './connections.service';
import { refreshLeadFields, rerouteChangedLead, type RerouteDeps } from './crm-reroute';
import { recordToLead } from './field-mapping';
import { HUBSPOT_LEAD_OBJECT } from './hubspot-connections';

// HubSpot contacts into leads, for the webhook and the poller alike. The same path as Salesforce's: each
// contact new to the connection becomes a lead of its workflow (lead, routing run and outbox row through
// storeLead, keyed `hubspot:contacts:<id>`) and a crm_records link in the same transaction; a contact seen
// before is an update (counted, no second lead; with `onUpdate: reroute` its mapped fields are stored on the
// lead and, when one changed, the lead is routed again: crm-reroute.ts); a contact read again unchanged (the
// same lastmodifieddate: a webhook and a poll both saw it, or a redelivery) changes nothing.

/** A contact as the API answers it. */
export interface HubSpotContact {
  id: string;
  properties: Record<string, string | null>;
  updatedAt?: Date | string;
}

/** The contact's last modification, ISO UTC with milliseconds. */
export function contactModstamp(c: HubSpotContact): string {
  const raw = c.properties.lastmodifieddate ?? (c.updatedAt instanceof Date ? c.updatedAt.toISOString() : c.updatedAt) ?? new Date(0).toISOString();
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  return new Date(Number.isFinite(ms) ? ms : 0).toISOString();
}

export interface IngestCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** The workflow a connection posts to, when it can take leads (published, not archived). */
export async function leadTarget(db: Db, workflowId: string): Promise<IngestTarget | null> {
  const [wf] = await db
    .select({ id: workflows.id, workspaceId: workflows.workspaceId, archivedAt: workflows.archivedAt, activeVersionId: workflows.activeVersionId, webhookSecret: workflows.webhookSecret })
    .from(workflows)
    .where(eq(workflows.id, workflowId))
    .limit(1);
  if (!wf || wf.archivedAt || !wf.activeVersionId) return null;
  return { workflowId: wf.id, workspaceId: wf.workspaceId, versionId: wf.activeVersionId, webhookSecret: wf.webhookSecret };
}

export async function workspaceCatalog(db: Db, workspaceId: string): Promise<FieldCatalog> {
  const rows = await db.select().from(customFields).where(eq(customFields.workspaceId, workspaceId));
  return buildCatalog(rows.map((f) => ({ key: f.key, label: f.label, type: f.type, ...(f.options ? { options: f.options } : {}) }) as CustomField));
}

/**
 * Stores contacts in one transaction; with `mark`, the poll mark moves to it in the same transaction (a
 * poller stopped anywhere resumes right after the last stored page).
 */
export async function ingestContacts(
  deps: RerouteDeps,
  row: ConnectionRow,
  target: IngestTarget,
  contacts: readonly HubSpotContact[],
  mapping: readonly CrmFieldMap[],
  catalog: FieldCatalog,
  mark?: { modstamp: string; lastId: string },
): Promise<IngestCounts> {
  if (contacts.length === 0 && !mark) return { created: 0, updated: 0, unchanged: 0 };
  const receivedAt = deps.now();
  const changed: string[] = [];
  const result = await deps.db.transaction(async (tx) => {
    const counts: IngestCounts = { created: 0, updated: 0, unchanged: 0 };
    for (const c of contacts) {
      const modstamp = contactModstamp(c);
      const [known] = await tx
        .select({ modstamp: crmRecords.modstamp })
        .from(crmRecords)
        .where(and(eq(crmRecords.connectionId, row.id), eq(crmRecords.crmId, c.id)))
        .for('update')
        .limit(1);
      if (known) {
        if (known.modstamp >= modstamp) {
          counts.unchanged++;
          continue;
        }
        const [link] = await tx
          .update(crmRecords)
          .set({ modstamp, updates: sql`${crmRecords.updates} + 1`, lastSeenAt: receivedAt })
          .where(and(eq(crmRecords.connectionId, row.id), eq(crmRecords.crmId, c.id)))
          .returning({ leadId: crmRecords.leadId });
        counts.updated++;
        if (link && row.onUpdate === 'reroute' && (await refreshLeadFields(tx, link.leadId, { ...c.properties, Id: c.id }, mapping, catalog))) changed.push(link.leadId);
        continue;
      }
      const { lead, dropped } = recordToLead({ ...c.properties, Id: c.id }, mapping, catalog);
      if (dropped.length > 0) deps.log.warn('crm record fields left out', { connectionId: row.id, object: HUBSPOT_LEAD_OBJECT, crmId: c.id, fields: dropped });
      const stored = await storeLead(tx as unknown as Db, target, lead, { key: `hubspot:${HUBSPOT_LEAD_OBJECT}:${c.id}`, field: 'id' }, receivedAt);
      await tx.insert(crmRecords).values({ connectionId: row.id, crmId: c.id, object: HUBSPOT_LEAD_OBJECT, leadId: stored.leadId, modstamp, firstSeenAt: receivedAt, lastSeenAt: receivedAt }).onConflictDoNothing();
      if (stored.replayed) counts.updated++;
      else counts.created++;
    }
    if (mark) {
      await tx
        .insert(crmPollMarks)
        .values({ connectionId: row.id, object: HUBSPOT_LEAD_OBJECT, modstamp: mark.modstamp, lastId: mark.lastId, updatedAt: receivedAt })
        .onConflictDoUpdate({ target: [crmPollMarks.connectionId, crmPollMarks.object], set: { modstamp: mark.modstamp, lastId: mark.lastId, updatedAt: receivedAt } });
    }
    return counts;
  });
  if (result.created > 0) {
    kickDispatcher(deps.db);
    deps.log.info('crm leads received', { connectionId: row.id, object: HUBSPOT_LEAD_OBJECT, ...result });
  }
  for (const leadId of changed) await rerouteChangedLead(deps, row, 'Contact', leadId);
  return result;
}

import type { FieldCatalog } from '@lead-router/shared';
import type { CrmFieldMap } from '@lead-router/db/crm-schema';
import { leads } from '@lead-router/db/schema';
import type { Tx } from '@lead-router/db/client';
import { eq } from 'drizzle-orm';
import type { Principal } from '../auth/principal';
import { rerouteLead } from '../services/reroute.service';
import type { RoutingEngine } from '../services/routing-engine';
import type { ConnectionRow, CrmDeps } from './connections.service';
import { recordToLead } from './field-mapping';

// `onUpdate: reroute`, for every CRM: a record already routed that changed is stored on its lead (its mapped
// fields only) inside the ingesting transaction, and, when one of them changed, routed again after it.

/** What re-routing needs: the routing engine ends a lead's waiting run through Temporal. */
export type RerouteDeps = CrmDeps & { engine?: RoutingEngine | undefined };

/**
 * Stores a record's mapped fields on its lead; true when any of them changed. The owner written back to the
 * CRM (or any field the mapping does not read) changes nothing, so a write-back never routes the lead again.
 */
export async function refreshLeadFields(tx: Tx, leadId: string, record: Record<string, unknown>, mapping: readonly CrmFieldMap[], catalog: FieldCatalog): Promise<boolean> {
  const [stored] = await tx.select({ data: leads.data }).from(leads).where(eq(leads.id, leadId)).for('update');
  if (!stored) return false;
  const { lead } = recordToLead(record, mapping, catalog);
  const next: Record<string, unknown> = { ...stored.data };
  let differs = false;
  for (const { leadField } of mapping) {
    const v = (lead as Record<string, unknown>)[leadField];
    if (JSON.stringify(v) === JSON.stringify(next[leadField])) continue;
    differs = true;
    if (v === undefined) delete next[leadField];
    else next[leadField] = v;
  }
  if (differs) await tx.update(leads).set({ data: next as typeof stored.data }).where(eq(leads.id, leadId));
  return differs;
}

/**
 * Routes a lead whose record changed again, through the workflow's active version, as an operator's
 * re-route does (its earlier run kept). After the ingesting transaction: a waiting run is ended through
 * Temporal first. A lead still being routed keeps its run (which reads the new fields when it starts).
 */
export async function rerouteChangedLead(deps: RerouteDeps, row: ConnectionRow, object: string, leadId: string): Promise<void> {
  const actor: Principal = { kind: 'key', id: `crm:${row.id}`, name: `CRM connection ${row.name}`, workspaceId: row.workspaceId, role: 'admin', repId: null };
  const engine = deps.engine;
  try {
    if (!engine) throw new Error('no routing engine');
    await rerouteLead({ db: deps.db, engine, now: deps.now }, actor, leadId, { note: `${object} changed in the CRM` }, `crm:${row.id}`);
    deps.log.info('crm lead re-routed after an update', { connectionId: row.id, object, leadId });
  } catch (e) {
    deps.log.warn('crm lead not re-routed after an update', { connectionId: row.id, object, leadId, reason: e instanceof Error ? e.message : String(e) });
  }
}

import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/companies';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/objects/tasks';
import type { ConnectionRow, CrmDeps } from './connections.service';
import { describeHubSpotError, isRetryable, type HubSpotApi, type HubSpotRetryPolicy } from './hubspot-client';
import { hubspotApiFor } from './hubspot-connections';
import type { CrmAccount, CrmProviderClient, CrmUser, CrmValue, OwnerWrite, OwnerWriteResult } from './provider';
import { requireSecretBox } from './secret-box';

// HubSpot behind provider.ts, through @hubspot/api-client: owners written with batch update (100 contacts
// a call: hubspot_owner_id and the mapped fields), a task per contact when asked (associated with the
// contact, type 204), owners listed (reps are matched by email), companies listed as accounts.

/** HubSpot's batch size (batch/update takes 100 inputs). */
export const HUBSPOT_BATCH = 100;
/** The association type of a task to its contact (HUBSPOT_DEFINED). */
const TASK_TO_CONTACT = 204;
const DAY_MS = 86_400_000;

const str = (v: CrmValue): string => (v === null ? '' : String(v));

/** The properties one write sets. */
function propertiesOf(w: OwnerWrite): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(w.fields)) out[k] = str(v);
  if (w.ownerCrmId !== null) out.hubspot_owner_id = w.ownerCrmId;
  return out;
}

/** The message of a batch's 400 VALIDATION_ERROR names the properties; HubSpot does not say which input. */
const failed = (w: OwnerWrite, e: unknown): OwnerWriteResult => {
  const d = describeHubSpotError(e);
  return { key: w.key, ok: false, answer: { errorCode: d.code, message: d.message }, retryable: isRetryable(d.kind) };
};

class HubSpotProviderClient implements CrmProviderClient {
  readonly maxBatch = HUBSPOT_BATCH;

  constructor(
    private readonly api: HubSpotApi,
    private readonly now: () => Date,
  ) {}

  async writeOwners(writes: readonly OwnerWrite[]): Promise<OwnerWriteResult[]> {
    const results: OwnerWriteResult[] = [];
    const byObject = new Map<string, OwnerWrite[]>();
    for (const w of writes) byObject.set(w.object, [...(byObject.get(w.object) ?? []), w]);
    for (const [object, list] of byObject) {
      for (let i = 0; i < list.length; i += HUBSPOT_BATCH) results.push(...(await this.batch(object, list.slice(i, i + HUBSPOT_BATCH))));
    }
    return results;
  }

  /** One batch update; a batch HubSpot refuses as a whole (a bad value) is retried one record at a time, so each write gets its own answer. */
  private async batch(object: string, writes: OwnerWrite[]): Promise<OwnerWriteResult[]> {
    const api = object === 'companies' ? 'companies' : 'contacts';
    let answered: OwnerWriteResult[];
    try {
      const r = await this.api.call((c) => c.crm[api].batchApi.update({ inputs: writes.map((w) => ({ id: w.recordId, properties: propertiesOf(w) })) }));
      const missing = new Map<string, { category: string; message: string }>();
      for (const e of 'errors' in r ? (r.errors ?? []) : []) for (const id of e.context?.ids ?? []) missing.set(id, { category: e.category, message: e.message });
      const saved = new Set(r.results.map((x) => x.id));
      answered = writes.map((w) => {
        const m = missing.get(w.recordId);
        if (saved.has(w.recordId)) return { key: w.key, ok: true, answer: { recordId: w.recordId }, retryable: false };
        return { key: w.key, ok: false, answer: { errorCode: m?.category ?? 'OBJECT_NOT_FOUND', message: m?.message ?? `HubSpot did not save ${object} ${w.recordId}.` }, retryable: false };
      });
    } catch (e) {
      const d = describeHubSpotError(e);
      if (d.kind !== 'other' || writes.length === 1) return writes.map((w) => failed(w, e));
      answered = [];
      for (const w of writes) {
        try {
          await this.api.call((c) => c.crm[api].basicApi.update(w.recordId, { properties: propertiesOf(w) }));
          answered.push({ key: w.key, ok: true, answer: { recordId: w.recordId }, retryable: false });
        } catch (one) {
          answered.push(failed(w, one));
        }
      }
    }
    const byKey = new Map(writes.map((w) => [w.key, w]));
    for (const r of answered) {
      const w = byKey.get(r.key)!;
      if (r.ok && w.task) r.answer = { ...r.answer, ...(await this.task(w)) };
    }
    return answered;
  }

  /** A task on the contact for its new owner; its failure is noted on the answer (the owner is written). */
  private async task(w: OwnerWrite): Promise<{ taskId?: string; message?: string }> {
    const t = w.task!;
    try {
      const created = await this.api.call((c) =>
        c.crm.objects.tasks.basicApi.create({
          properties: {
            hs_timestamp: new Date(this.now().getTime() + (t.dueInDays ?? 0) * DAY_MS).toISOString(),
            hs_task_subject: t.subject,
            ...(t.description ? { hs_task_body: t.description } : {}),
            hs_task_status: 'NOT_STARTED',
            hs_task_type: 'TODO',
            ...(w.ownerCrmId ? { hubspot_owner_id: w.ownerCrmId } : {}),
          },
          associations: [{ to: { id: w.recordId }, types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: TASK_TO_CONTACT }] }],
        }),
      );
      return { taskId: created.id };
    } catch (e) {
      return { message: `The owner was written; the task was not created: ${describeHubSpotError(e).message}` };
    }
  }

  async listUsers(): Promise<CrmUser[]> {
    const out: CrmUser[] = [];
    for (const archived of [false, true]) {
      let after: string | undefined;
      do {
        const page = await this.api.call((c) => c.crm.owners.ownersApi.getPage(undefined, after, 500, archived));
        for (const o of page.results) {
          if (!o.email) continue;
          out.push({ crmId: o.id, email: o.email.toLowerCase(), name: [o.firstName, o.lastName].filter(Boolean).join(' ') || o.email, active: !archived && !o.archived });
        }
        after = page.paging?.next?.after;
      } while (after);
    }
    return out;
  }

  async listAccounts(since: string | null): Promise<CrmAccount[]> {
    const properties = ['name', 'domain', 'website', 'hubspot_owner_id', 'hs_lastmodifieddate', 'notes_last_updated'];
    const out: CrmAccount[] = [];
    const add = (rows: Array<{ id: string; properties: Record<string, string | null> }>) => {
      for (const r of rows) {
        const p = r.properties;
        const domains = [p.domain, p.website].filter((x): x is string => typeof x === 'string' && x.trim() !== '');
        const last = p.notes_last_updated || p.hs_lastmodifieddate;
        out.push({ crmId: r.id, name: p.name ?? '', domains, ownerCrmId: p.hubspot_owner_id || null, lastActivityAt: last ? new Date(last).toISOString() : null });
      }
    };
    let after: string | undefined;
    if (since === null) {
      do {
        const page = await this.api.call((c) => c.crm.companies.basicApi.getPage(100, after, properties));
        add(page.results);
        after = page.paging?.next?.after;
      } while (after);
      return out;
    }
    do {
      const page = await this.api.call((c) =>
        c.crm.companies.searchApi.doSearch({ filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: FilterOperatorEnum.Gte, value: String(Date.parse(since)) }] }], properties, limit: 200, ...(after ? { after } : {}) }),
      );
      add(page.results);
      after = page.paging?.next?.after;
    } while (after && Number(after) < 10_000);
    return out;
  }
}

/** The CrmProviderClient of a HubSpot connection row (SECRET_KEY required to open its credentials). */
export function hubspotProviderClient(deps: CrmDeps, row: ConnectionRow, retry?: HubSpotRetryPolicy): CrmProviderClient {
  if (row.provider !== 'hubspot') throw new Error(`connection ${row.id} is not a HubSpot connection`);
  return new HubSpotProviderClient(hubspotApiFor(deps, requireSecretBox(deps.config), row, retry), deps.now);
}

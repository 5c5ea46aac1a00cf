import { PollingLoop } from '@lead-router/db/polling-loop';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts';
import { crmConnections, crmPollMarks } from '@lead-router/db/crm-schema';
import { and, eq, isNotNull, isNull, lt, lte, or } from 'drizzle-orm';
import type { ConnectionRow } from './connections.service';
import type { RerouteDeps } from './crm-reroute';
import { resealIfRotated } from './connections.service';
import { describeHubSpotError, type HubSpotRetryPolicy } from './hubspot-client';
import { contactProperties, HUBSPOT_LEAD_OBJECT, HUBSPOT_NOT_SIGNED_IN, hubspotApiFor, hubspotMappingOf, hubspotSignedIn } from './hubspot-connections';
import { contactModstamp, ingestContacts, leadTarget, workspaceCatalog } from './hubspot-ingest';
import type { PollOutcome } from './salesforce-poller';
import { secretBoxFrom } from './secret-box';

// The HubSpot polling fallback: webhooks bring contacts at once, this reads whatever they missed (the app's
// subscription off, the server down, a delivery given up). Per connection, contacts modified at or after
// the mark (lastmodifieddate) are searched, oldest first, page by page (`after`); each page's leads and the
// mark after its last contact are written in one transaction. HubSpot's search takes one sort, so contacts
// sharing the mark's millisecond are read again next time: a contact read unchanged (same lastmodifieddate
// as its crm_records link) is skipped, so nothing is doubled. The search index lags writes by a few seconds:
// only contacts modified before `settleMs` ago are read.

export interface HubSpotPollerOptions {
  tickMs: number;
  leaseMs: number;
  /** Contacts per search page (HubSpot: at most 200). */
  pageSize: number;
  minBackoffMs: number;
  maxBackoffMs: number;
  /** The wait after HubSpot's limit was still reached after the retries. */
  limitBackoffMs: number;
  settleMs: number;
  retry: HubSpotRetryPolicy;
  afterPage?: (info: { connectionId: string; records: number }) => void;
}

export const DEFAULT_HUBSPOT_POLLER_OPTIONS: HubSpotPollerOptions = {
  tickMs: 1_000,
  leaseMs: 5 * 60_000,
  pageSize: 100,
  minBackoffMs: 30_000,
  maxBackoffMs: 30 * 60_000,
  limitBackoffMs: 60_000,
  settleMs: 5_000,
  retry: { max429Retries: 3, maxWaitMs: 15_000 },
};

/** HubSpot's search returns at most 10,000 results of one query; the poll stops there and the next goes on from the mark. */
const SEARCH_WINDOW = 10_000;
/** The API documents a sort as `{ propertyName, direction }`; the library types `sorts` as strings and sends it as given. */
const OLDEST_FIRST = { propertyName: 'lastmodifieddate', direction: 'ASCENDING' } as unknown as string;

export class HubSpotPoller {
  private readonly loop: PollingLoop;
  private stopped = false;
  readonly options: HubSpotPollerOptions;

  constructor(
    /** `engine` ends a lead's waiting run when an update re-routes it (connections set to `onUpdate: reroute`). */
    private readonly deps: RerouteDeps,
    options: Partial<HubSpotPollerOptions> = {},
  ) {
    this.options = { ...DEFAULT_HUBSPOT_POLLER_OPTIONS, ...options };
    this.loop = new PollingLoop(() => this.pollDue(), {
      pollMs: this.options.tickMs,
      onError: (e) => this.deps.log.error('hubspot poller round failed', { error: e instanceof Error ? e.message : String(e) }),
    });
  }

  start(): void {
    this.stopped = false;
    this.loop.start();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop.stop();
  }

  async pollDue(): Promise<void> {
    const now = this.deps.now();
    const due = await this.deps.db
      .select({ id: crmConnections.id })
      .from(crmConnections)
      .where(
        and(
          eq(crmConnections.provider, 'hubspot'),
          eq(crmConnections.enabled, true),
          isNotNull(crmConnections.workflowId),
          or(isNotNull(crmConnections.accessTokenEnc), isNotNull(crmConnections.refreshTokenEnc)),
          lte(crmConnections.nextPollAt, now),
          or(isNull(crmConnections.leaseUntil), lt(crmConnections.leaseUntil, now)),
        ),
      )
      .limit(20);
    for (const { id } of due) {
      if (this.stopped) return;
      await this.pollConnection(id);
    }
  }

  async pollConnection(id: string): Promise<PollOutcome> {
    const now = this.deps.now();
    const [row] = await this.deps.db
      .update(crmConnections)
      .set({ leaseUntil: new Date(now.getTime() + this.options.leaseMs) })
      .where(and(eq(crmConnections.id, id), eq(crmConnections.provider, 'hubspot'), or(isNull(crmConnections.leaseUntil), lt(crmConnections.leaseUntil, now))))
      .returning();
    if (!row) return { status: 'skipped', created: 0, updated: 0 };
    let outcome: PollOutcome;
    try {
      outcome = await this.poll(row);
    } catch (e) {
      outcome = { status: 'failed', created: 0, updated: 0, error: describeHubSpotError(e) };
    }
    await this.finish(row, outcome);
    return outcome;
  }

  private config(code: string, message: string): PollOutcome {
    return { status: 'failed', created: 0, updated: 0, error: { kind: 'config', code, message } };
  }

  private async poll(found: ConnectionRow): Promise<PollOutcome> {
    const box = secretBoxFrom(this.deps.config);
    if (!box) return this.config('secret_key_missing', 'SECRET_KEY is not set on the server, so the connection’s credentials cannot be read.');
    if (!found.workflowId) return this.config('no_workflow', 'Choose the workflow the CRM’s leads go to.');
    const target = await leadTarget(this.deps.db, found.workflowId);
    if (!target) return this.config('not_published', 'The workflow leads go to is archived or has no published version.');
    const row = await resealIfRotated(this.deps.db, box, found);
    if (!hubspotSignedIn(row)) return this.config('not_signed_in', HUBSPOT_NOT_SIGNED_IN);
    const api = hubspotApiFor(this.deps, box, row, this.options.retry);
    const mapping = hubspotMappingOf(row.fieldMapping);
    const catalog = await workspaceCatalog(this.deps.db, row.workspaceId);
    const from = await this.mark(row);
    const until = this.options.settleMs > 0 ? this.deps.now().getTime() - this.options.settleMs : null;
    // One search for the whole poll (paged with `after`): modified at or after the mark, before the settle line.
    const filters = [
      { propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Gte, value: String(Date.parse(from.modstamp)) },
      ...(until !== null ? [{ propertyName: 'lastmodifieddate', operator: FilterOperatorEnum.Lt, value: String(until) }] : []),
    ];
    let created = 0;
    let updated = 0;
    let after: string | undefined;
    for (;;) {
      const page = await api.call((c) =>
        c.crm.contacts.searchApi.doSearch({ filterGroups: [{ filters }], sorts: [OLDEST_FIRST], properties: contactProperties(mapping), limit: this.options.pageSize, ...(after ? { after } : {}) }),
      );
      const contacts = page.results.map((x) => ({ id: x.id, properties: x.properties, updatedAt: x.updatedAt }));
      const last = contacts.at(-1);
      const next = last ? { modstamp: contactModstamp(last), lastId: last.id } : undefined;
      const r = await ingestContacts(this.deps, row, target, contacts, mapping, catalog, next);
      created += r.created;
      updated += r.updated;
      this.options.afterPage?.({ connectionId: row.id, records: contacts.length });
      after = page.paging?.next?.after;
      if (!after || Number(after) + this.options.pageSize > SEARCH_WINDOW) break;
    }
    return { status: 'ok', created, updated };
  }

  /** The mark; a first poll starts at the second the connection was made (existing contacts are not imported). */
  private async mark(row: ConnectionRow): Promise<{ modstamp: string; lastId: string }> {
    const [m] = await this.deps.db
      .select()
      .from(crmPollMarks)
      .where(and(eq(crmPollMarks.connectionId, row.id), eq(crmPollMarks.object, HUBSPOT_LEAD_OBJECT)))
      .limit(1);
    if (m) return { modstamp: m.modstamp, lastId: m.lastId };
    return { modstamp: new Date(Math.floor(row.createdAt.getTime() / 1000) * 1000).toISOString(), lastId: '' };
  }

  private async finish(row: ConnectionRow, o: PollOutcome): Promise<void> {
    const now = this.deps.now();
    const failures = o.status === 'failed' ? row.failures + 1 : 0;
    let wait = row.pollIntervalSeconds * 1000;
    if (o.error?.kind === 'limit') wait = Math.max(wait, this.options.limitBackoffMs);
    else if (o.status === 'failed') wait = Math.max(wait, Math.min(this.options.minBackoffMs * 2 ** (failures - 1), this.options.maxBackoffMs));
    await this.deps.db
      .update(crmConnections)
      .set({
        leaseUntil: null,
        lastPolledAt: now,
        nextPollAt: new Date(now.getTime() + wait),
        failures,
        ...(o.status === 'ok' ? { status: 'connected' as const, lastError: null, lastErrorAt: null } : {}),
        ...(o.error ? { status: 'error' as const, lastError: o.error.message, lastErrorAt: now } : {}),
      })
      .where(eq(crmConnections.id, row.id));
    if (o.error) this.deps.log.warn('crm poll did not complete', { connectionId: row.id, code: o.error.code, kind: o.error.kind, nextPollInMs: wait });
  }
}

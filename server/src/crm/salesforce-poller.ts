import { PollingLoop } from '@lead-router/db/polling-loop';
import { buildCatalog, type CustomField } from '@lead-router/shared';
import { crmConnections, crmPollMarks, crmRecords } from '@lead-router/db/crm-schema';
import { customFields, workflows } from '@lead-router/db/schema';
import type { Db, Tx } from '@lead-router/db/client';
import { and, eq, isNotNull, lte, or, isNull, lt, sql } from 'drizzle-orm';
import type { Connection } from 'jsforce';
import { kickDispatcher } from '@lead-router/db/outbox-dispatcher';
import type { RoutingEngine } from '../services/routing-engine';
import { storeLead, type IngestTarget } from '../services/ingest.service';
import { connectionFor, ensureSession, isSignedIn, resealIfRotated, NOT_SIGNED_IN_MESSAGE, type ConnectionRow, type CrmDeps } from './connections.service';
import { mappingFor, recordToLead, type SalesforceLeadObject } from './field-mapping';
import { apiUsageOf, describeSalesforceError, type CrmFailureKind, type RetryPolicy } from './salesforce-client';
import { refreshLeadFields, rerouteChangedLead } from './crm-reroute';
import { secretBoxFrom } from './secret-box';

// The Salesforce poller: per connection, reads new and updated Leads (and Contacts when chosen) with SOQL
// on a high-water mark (SystemModstamp, then Id), page by page through nextRecordsUrl. Each page's leads and
// the mark after its last record are written in one transaction, so a poller stopped anywhere (a crash
// between pages, the CRM going down) starts again right after the last record it stored: nothing missed,
// nothing doubled. A record already read (an update in the CRM) does not make a second lead or run.
//
// Limits: every answer's Sforce-Limit-Info (jsforce's conn.limitInfo) is stored; at the connection's
// ceiling (a share of the daily allocation) polling pauses and checks /limits again later;
// REQUEST_LIMIT_EXCEEDED and an unreachable CRM back off (doubling, capped). One poller holds a connection
// at a time (a lease on its row), so several servers can run pollers.

/** How the poller behaves; tests shorten the waits. */
export interface PollerOptions {
  /** How often the loop looks for connections due (ms). */
  tickMs: number;
  /** How long a poll may hold a connection before another poller may take it (ms). */
  leaseMs: number;
  /** The SOQL LIMIT of one poll (records; paged by Salesforce's batch size). */
  maxRecordsPerPoll: number;
  /** The first wait after a failed poll (ms), doubling per failure up to `maxBackoffMs`. */
  minBackoffMs: number;
  maxBackoffMs: number;
  /** The wait after REQUEST_LIMIT_EXCEEDED or at the ceiling (ms). */
  limitBackoffMs: number;
  /**
   * How long a second must be over before records stamped in it are read (ms). Salesforce stamps to the
   * second: a record saved later in the second the mark stands in, with a lower Id, would fall behind the
   * mark. Reading only closed seconds (with room for clock skew) rules that out. 0: no wait (tests).
   */
  settleMs: number;
  /** jsforce's own retries of one call (it retries 5xx and refused connections). */
  retry: RetryPolicy;
  /** Test hook: called after a page is committed (throwing stops the poll there, as a crash would). */
  afterPage?: (info: { connectionId: string; object: string; records: number }) => void;
}

export const DEFAULT_POLLER_OPTIONS: PollerOptions = {
  tickMs: 1_000,
  leaseMs: 5 * 60_000,
  maxRecordsPerPoll: 10_000,
  minBackoffMs: 30_000,
  maxBackoffMs: 30 * 60_000,
  limitBackoffMs: 30 * 60_000,
  settleMs: 5_000,
  retry: { maxRetries: 3, minTimeout: 500 },
};

/** What one poll did. */
export interface PollOutcome {
  status: 'ok' | 'skipped' | 'failed' | 'at_ceiling';
  created: number;
  updated: number;
  error?: { kind: CrmFailureKind | 'config'; code: string; message: string };
}

interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Array<Record<string, unknown> & { Id: string; SystemModstamp: string }>;
}

/** A Salesforce datetime (`...+0000`) as ISO 8601 UTC with milliseconds. */
export function toIsoUtc(sf: string): string {
  return new Date(Date.parse(sf.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))).toISOString();
}

/** The SOQL of one poll: records strictly after (modstamp, id) and stamped before `until` (when given), in that order. */
export function pollSoql(object: string, fields: readonly string[], mark: { modstamp: string; lastId: string }, limit: number, until?: Date): string {
  const cols = [...new Set(['Id', 'SystemModstamp', ...fields])].join(', ');
  // Both values come from Salesforce's own answers (an ISO datetime, an 18-character id) or our clock; the
  // id is still checked so nothing but an id can reach the query.
  if (!/^[A-Za-z0-9]{0,18}$/.test(mark.lastId)) throw new Error('invalid high-water mark id');
  const ts = new Date(mark.modstamp).toISOString();
  const after = `SystemModstamp > ${ts} OR (SystemModstamp = ${ts} AND Id > '${mark.lastId}')`;
  const where = until ? `(${after}) AND SystemModstamp < ${until.toISOString()}` : after;
  return `SELECT ${cols} FROM ${object} WHERE ${where} ORDER BY SystemModstamp, Id LIMIT ${limit}`;
}

/** Polls Salesforce connections for leads, in the background or one poll at a time (`pollConnection`). */
export class SalesforcePoller {
  private readonly loop: PollingLoop;
  private stopped = false;
  readonly options: PollerOptions;

  constructor(
    /** `engine` ends a lead's waiting run when an update re-routes it (connections set to `onUpdate: reroute`). */
    private readonly deps: CrmDeps & { engine?: RoutingEngine },
    options: Partial<PollerOptions> = {},
  ) {
    this.options = { ...DEFAULT_POLLER_OPTIONS, ...options };
    this.loop = new PollingLoop(() => this.pollDue(), {
      pollMs: this.options.tickMs,
      onError: (e) => this.deps.log.error('crm poller round failed', { error: e instanceof Error ? e.message : String(e) }),
    });
  }

  /** Starts the loop: every tick, polls each connection that is due. */
  start(): void {
    this.stopped = false;
    this.loop.start();
  }

  /** Stops the loop after the poll in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop.stop();
  }

  /** Polls every enabled Salesforce connection whose next poll is due and that no other poller holds. */
  async pollDue(): Promise<void> {
    const now = this.deps.now();
    const due = await this.deps.db
      .select({ id: crmConnections.id })
      .from(crmConnections)
      .where(
        and(
          eq(crmConnections.provider, 'salesforce'),
          eq(crmConnections.enabled, true),
          isNotNull(crmConnections.workflowId),
          // Signed in, or able to sign in alone (JWT): a web-server connection waits for its OAuth flow.
          or(isNotNull(crmConnections.accessTokenEnc), isNotNull(crmConnections.refreshTokenEnc), eq(crmConnections.authKind, 'jwt_bearer')),
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

  /** One poll of one connection, if it is free (its lease taken for the poll). */
  async pollConnection(id: string): Promise<PollOutcome> {
    const now = this.deps.now();
    const [row] = await this.deps.db
      .update(crmConnections)
      .set({ leaseUntil: new Date(now.getTime() + this.options.leaseMs) })
      .where(and(eq(crmConnections.id, id), or(isNull(crmConnections.leaseUntil), lt(crmConnections.leaseUntil, now))))
      .returning();
    if (!row) return { status: 'skipped', created: 0, updated: 0 };
    let outcome: PollOutcome;
    try {
      outcome = await this.poll(row);
    } catch (e) {
      const d = describeSalesforceError(e);
      outcome = { status: 'failed', created: 0, updated: 0, error: d };
    }
    await this.finish(row, outcome);
    return outcome;
  }

  private async poll(row: ConnectionRow): Promise<PollOutcome> {
    const box = secretBoxFrom(this.deps.config);
    if (!box) return this.configError('secret_key_missing', 'SECRET_KEY is not set on the server, so the connection’s credentials cannot be read.');
    if (!row.workflowId) return this.configError('no_workflow', 'Choose the workflow the CRM’s leads go to.');
    const target = await this.target(row.workflowId);
    if (!target) return this.configError('not_published', 'The workflow leads go to is archived or has no published version.');

    // The row object is the poll's state (usage noted on it is written by finish): refreshed in place.
    Object.assign(row, await ensureSession(this.deps, box, await resealIfRotated(this.deps.db, box, row)));
    if (!isSignedIn(row)) return this.configError('not_signed_in', NOT_SIGNED_IN_MESSAGE);
    const conn = connectionFor(this.deps, box, row);
    // At the ceiling: one /limits call to see whether usage came down (the allocation is a rolling 24 hours).
    if (this.atCeiling(row.apiUsed, row.apiLimit, row.apiUsageCeilingPercent)) {
      await conn.request('/limits', { retry: this.options.retry });
      const usage = apiUsageOf(conn);
      if (usage && this.atCeiling(usage.used, usage.limit, row.apiUsageCeilingPercent)) return this.ceiling(row, usage, 0, 0);
    }

    const catalog = await this.catalog(row.workspaceId);
    let created = 0;
    let updated = 0;
    for (const object of row.objects) {
      const mapping = mappingFor(object, row.fieldMapping);
      let mark = await this.mark(row, object);
      const soql = pollSoql(object, mapping.map((x) => x.crmField), mark, this.options.maxRecordsPerPoll, this.closedBefore());
      let page = await conn.request<QueryPage>(`/query?q=${encodeURIComponent(soql)}`, { retry: this.options.retry });
      this.noteUsage(conn, row);
      for (;;) {
        const r = await this.ingestPage(row, target, object, page.records, mapping, catalog);
        created += r.created;
        updated += r.updated;
        const last = page.records[page.records.length - 1];
        if (last) mark = { modstamp: toIsoUtc(last.SystemModstamp), lastId: last.Id };
        this.options.afterPage?.({ connectionId: row.id, object, records: page.records.length });
        if (page.done || !page.nextRecordsUrl) break;
        const usage = apiUsageOf(conn);
        if (usage && this.atCeiling(usage.used, usage.limit, row.apiUsageCeilingPercent)) return this.ceiling(row, usage, created, updated);
        page = await conn.request<QueryPage>(page.nextRecordsUrl, { retry: this.options.retry });
        this.noteUsage(conn, row);
      }
    }
    return { status: 'ok', created, updated };
  }

  /** The start of the latest second that is over, `settleMs` ago; undefined when reads need not wait. */
  private closedBefore(): Date | undefined {
    if (this.options.settleMs <= 0) return undefined;
    return new Date(Math.floor((this.deps.now().getTime() - this.options.settleMs) / 1000) * 1000);
  }

  private noteUsage(conn: Connection, row: ConnectionRow): void {
    const u = apiUsageOf(conn);
    if (u) {
      row.apiUsed = u.used;
      row.apiLimit = u.limit;
    }
  }

  private atCeiling(used: number | null, limit: number | null, percent: number): boolean {
    return used !== null && limit !== null && limit > 0 && used * 100 >= limit * percent;
  }

  private ceiling(row: ConnectionRow, usage: { used: number; limit: number }, created: number, updated: number): PollOutcome {
    row.apiUsed = usage.used;
    row.apiLimit = usage.limit;
    return {
      status: 'at_ceiling',
      created,
      updated,
      error: { kind: 'limit', code: 'API_USAGE_CEILING', message: `Polling paused: the org has used ${usage.used} of its ${usage.limit} daily API requests, at this connection's ceiling of ${row.apiUsageCeilingPercent}%. It resumes from where it stopped when usage comes down.` },
    };
  }

  private configError(code: string, message: string): PollOutcome {
    return { status: 'failed', created: 0, updated: 0, error: { kind: 'config', code, message } };
  }

  /** The connection's mark for an object; a first poll starts at the second the connection was made. */
  private async mark(row: ConnectionRow, object: string): Promise<{ modstamp: string; lastId: string }> {
    const [m] = await this.deps.db
      .select()
      .from(crmPollMarks)
      .where(and(eq(crmPollMarks.connectionId, row.id), eq(crmPollMarks.object, object)))
      .limit(1);
    if (m) return { modstamp: m.modstamp, lastId: m.lastId };
    return { modstamp: new Date(Math.floor(row.createdAt.getTime() / 1000) * 1000).toISOString(), lastId: '' };
  }

  /**
   * Stores one page in one transaction: each record new to this connection becomes a lead (with its routing
   * run and outbox row, through storeLead, keyed `salesforce:<object>:<Id>`), a record seen before only
   * counts as updated, and the mark moves to the page's last record.
   */
  private async ingestPage(row: ConnectionRow, target: IngestTarget, object: SalesforceLeadObject, records: QueryPage['records'], mapping: ReturnType<typeof mappingFor>, catalog: ReturnType<typeof buildCatalog>): Promise<{ created: number; updated: number }> {
    if (records.length === 0) return { created: 0, updated: 0 };
    const receivedAt = this.deps.now();
    const changed: string[] = [];
    const result = await this.deps.db.transaction(async (tx) => {
      let created = 0;
      let updated = 0;
      for (const rec of records) {
        const modstamp = toIsoUtc(rec.SystemModstamp);
        const known = await tx
          .update(crmRecords)
          .set({ modstamp, updates: sql`${crmRecords.updates} + 1`, lastSeenAt: receivedAt })
          .where(and(eq(crmRecords.connectionId, row.id), eq(crmRecords.crmId, rec.Id)))
          .returning({ leadId: crmRecords.leadId });
        if (known.length > 0) {
          updated++;
          if (row.onUpdate === 'reroute' && (await refreshLeadFields(tx, known[0]!.leadId, rec, mapping, catalog))) changed.push(known[0]!.leadId);
          continue;
        }
        const { lead, dropped } = recordToLead(rec, mapping, catalog);
        if (dropped.length > 0) this.deps.log.warn('crm record fields left out', { connectionId: row.id, object, crmId: rec.Id, fields: dropped });
        const stored = await storeLead(tx as unknown as Db, target, lead, { key: `salesforce:${object}:${rec.Id}`, field: 'id' }, receivedAt);
        await tx.insert(crmRecords).values({ connectionId: row.id, crmId: rec.Id, object, leadId: stored.leadId, modstamp, firstSeenAt: receivedAt, lastSeenAt: receivedAt }).onConflictDoNothing();
        if (stored.replayed) updated++;
        else created++;
      }
      const last = records[records.length - 1]!;
      await this.saveMark(tx, row.id, object, toIsoUtc(last.SystemModstamp), last.Id, receivedAt);
      return { created, updated };
    });
    if (result.created > 0) {
      kickDispatcher(this.deps.db);
      this.deps.log.info('crm leads received', { connectionId: row.id, object, created: result.created, updated: result.updated });
    }
    for (const leadId of changed) await rerouteChangedLead(this.deps, row, object, leadId);
    return result;
  }

  private async saveMark(tx: Tx, connectionId: string, object: string, modstamp: string, lastId: string, now: Date): Promise<void> {
    await tx
      .insert(crmPollMarks)
      .values({ connectionId, object, modstamp, lastId, updatedAt: now })
      .onConflictDoUpdate({ target: [crmPollMarks.connectionId, crmPollMarks.object], set: { modstamp, lastId, updatedAt: now } });
  }

  private async target(workflowId: string): Promise<IngestTarget | null> {
    const [wf] = await this.deps.db
      .select({ id: workflows.id, workspaceId: workflows.workspaceId, archivedAt: workflows.archivedAt, activeVersionId: workflows.activeVersionId, webhookSecret: workflows.webhookSecret })
      .from(workflows)
      .where(eq(workflows.id, workflowId))
      .limit(1);
    if (!wf || wf.archivedAt || !wf.activeVersionId) return null;
    return { workflowId: wf.id, workspaceId: wf.workspaceId, versionId: wf.activeVersionId, webhookSecret: wf.webhookSecret };
  }

  private async catalog(workspaceId: string) {
    const rows = await this.deps.db.select().from(customFields).where(eq(customFields.workspaceId, workspaceId));
    return buildCatalog(rows.map((f) => ({ key: f.key, label: f.label, type: f.type, ...(f.options ? { options: f.options } : {}) }) as CustomField));
  }

  /** Writes the poll's outcome: status, error in plain words, API usage, the next poll (backed off after a failure), the lease released. */
  private async finish(row: ConnectionRow, o: PollOutcome): Promise<void> {
    const now = this.deps.now();
    const failures = o.status === 'failed' ? row.failures + 1 : 0;
    let wait = row.pollIntervalSeconds * 1000;
    if (o.status === 'at_ceiling' || o.error?.kind === 'limit') wait = Math.max(wait, this.options.limitBackoffMs);
    else if (o.status === 'failed') wait = Math.max(wait, Math.min(this.options.minBackoffMs * 2 ** (failures - 1), this.options.maxBackoffMs));
    await this.deps.db
      .update(crmConnections)
      .set({
        leaseUntil: null,
        lastPolledAt: now,
        nextPollAt: new Date(now.getTime() + wait),
        failures,
        apiUsed: row.apiUsed,
        apiLimit: row.apiLimit,
        ...(o.status === 'ok' ? { status: 'connected' as const, lastError: null, lastErrorAt: null } : {}),
        ...(o.error ? { status: o.status === 'at_ceiling' ? ('connected' as const) : ('error' as const), lastError: o.error.message, lastErrorAt: now } : {}),
      })
      .where(eq(crmConnections.id, row.id));
    if (o.error) this.deps.log.warn('crm poll did not complete', { connectionId: row.id, code: o.error.code, kind: o.error.kind, nextPollInMs: wait });
  }
}

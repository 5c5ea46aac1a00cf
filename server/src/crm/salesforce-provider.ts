import type { Connection } from 'jsforce';
import type { CrmAccount, CrmProviderClient, CrmUser, CrmValue, OwnerWrite, OwnerWriteResult } from './provider';
import { describeSalesforceError } from './salesforce-client';
import { toIsoUtc } from './salesforce-poller';

// Salesforce behind the CRM-neutral seam (provider.ts), all through jsforce: owner write-backs as sObject
// Collections updates (PATCH /composite/sobjects, 200 records a call, allOrNone false so one refused
// record leaves the others written), their Tasks as a Collections create, Users and Accounts by SOQL.

/** Salesforce's limit of records in one sObject Collections call. */
export const SALESFORCE_MAX_BATCH = 200;

/** Item error codes that trying again later may cure (a locked row, limits, a busy org). */
const RETRYABLE_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'REQUEST_LIMIT_EXCEEDED', 'SERVER_UNAVAILABLE', 'API_CURRENTLY_DISABLED', 'TXN_SECURITY_METERING_ERROR']);

type SaveAnswer = { id?: string; success: boolean; errors?: Array<{ statusCode?: string; errorCode?: string; message?: string }> };

interface QueryPage<T> {
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

/** One item's refusal: its code and Salesforce's message. */
function itemError(a: SaveAnswer | undefined): { errorCode: string; message: string } {
  const e = a?.errors?.[0];
  return { errorCode: e?.statusCode ?? e?.errorCode ?? 'UNKNOWN_ERROR', message: e?.message ?? 'Salesforce gave no reason' };
}

/** A whole call that failed: unreachable, limits and sign-in trouble may pass; a refused request will not. */
function callFailure(e: unknown): { errorCode: string; message: string; retryable: boolean } {
  const d = describeSalesforceError(e);
  return { errorCode: d.code, message: d.message, retryable: d.kind === 'unreachable' || d.kind === 'limit' || d.kind === 'auth' };
}

/** A date `days` after `now`, as Salesforce's date (YYYY-MM-DD, UTC). */
function dueDate(now: Date, days: number): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The Salesforce implementation of the CRM provider seam, over a signed-in jsforce Connection. */
export class SalesforceProvider implements CrmProviderClient {
  readonly maxBatch = SALESFORCE_MAX_BATCH;

  constructor(
    private readonly conn: Connection,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async writeOwners(writes: readonly OwnerWrite[]): Promise<OwnerWriteResult[]> {
    const results = new Map<string, OwnerWriteResult>();
    const byObject = new Map<string, OwnerWrite[]>();
    for (const w of writes) byObject.set(w.object, [...(byObject.get(w.object) ?? []), w]);
    for (const [object, group] of byObject) {
      const records = group.map((w) => ({ Id: w.recordId, ...w.fields, ...(w.ownerCrmId ? { OwnerId: w.ownerCrmId } : {}) }) as Record<string, CrmValue> & { Id: string });
      let saved: SaveAnswer[];
      try {
        saved = (await this.conn.sobject(object).update(records, { allOrNone: false, allowRecursive: true })) as unknown as SaveAnswer[];
      } catch (e) {
        const f = callFailure(e);
        for (const w of group) results.set(w.key, { key: w.key, ok: false, retryable: f.retryable, answer: { errorCode: f.errorCode, message: f.message } });
        continue;
      }
      group.forEach((w, i) => {
        const a = saved[i];
        if (a?.success) results.set(w.key, { key: w.key, ok: true, retryable: false, answer: { recordId: a.id ?? w.recordId } });
        else {
          const err = itemError(a);
          results.set(w.key, { key: w.key, ok: false, retryable: RETRYABLE_CODES.has(err.errorCode), answer: { recordId: w.recordId, ...err } });
        }
      });
    }
    await this.createTasks(writes.filter((w) => w.task && results.get(w.key)?.ok), results);
    return writes.map((w) => results.get(w.key)!);
  }

  /** The Tasks of the written records, for their new owners, in Collections creates. */
  private async createTasks(writes: readonly OwnerWrite[], results: Map<string, OwnerWriteResult>): Promise<void> {
    if (writes.length === 0) return;
    const now = this.now();
    const tasks = writes.map((w) => ({
      Subject: w.task!.subject,
      ...(w.task!.description ? { Description: w.task!.description } : {}),
      ...(w.task!.dueInDays !== undefined ? { ActivityDate: dueDate(now, w.task!.dueInDays) } : {}),
      Status: 'Not Started',
      WhoId: w.recordId,
      ...(w.ownerCrmId ? { OwnerId: w.ownerCrmId } : {}),
    }));
    let saved: SaveAnswer[];
    try {
      saved = (await this.conn.sobject('Task').create(tasks, { allOrNone: false, allowRecursive: true })) as unknown as SaveAnswer[];
    } catch (e) {
      const f = callFailure(e);
      for (const w of writes) results.set(w.key, { key: w.key, ok: false, retryable: f.retryable, answer: { recordId: w.recordId, errorCode: f.errorCode, message: `The record was written; its task was not: ${f.message}` } });
      return;
    }
    writes.forEach((w, i) => {
      const a = saved[i];
      if (a?.success && a.id) results.set(w.key, { key: w.key, ok: true, retryable: false, answer: { recordId: w.recordId, taskId: a.id } });
      else {
        const err = itemError(a);
        results.set(w.key, { key: w.key, ok: false, retryable: RETRYABLE_CODES.has(err.errorCode), answer: { recordId: w.recordId, errorCode: err.errorCode, message: `The record was written; its task was not: ${err.message}` } });
      }
    });
  }

  async listUsers(): Promise<CrmUser[]> {
    const rows = await this.queryAll<{ Id: string; Email: string | null; Name: string | null; IsActive: boolean | null }>('SELECT Id, Email, Name, IsActive FROM User ORDER BY Id');
    return rows.filter((u) => u.Email).map((u) => ({ crmId: u.Id, email: u.Email!, name: u.Name ?? u.Email!, active: u.IsActive !== false }));
  }

  async listAccounts(since: string | null): Promise<CrmAccount[]> {
    const where = since ? ` WHERE LastModifiedDate >= ${new Date(since).toISOString()}` : '';
    const rows = await this.queryAll<{ Id: string; Name: string | null; Website: string | null; OwnerId: string | null; LastActivityDate: string | null; LastModifiedDate: string | null }>(
      `SELECT Id, Name, Website, OwnerId, LastActivityDate, LastModifiedDate FROM Account${where} ORDER BY LastModifiedDate, Id`,
    );
    return rows.map((a) => {
      const modifiedAt = a.LastModifiedDate ? toIsoUtc(a.LastModifiedDate) : null;
      return {
        crmId: a.Id,
        name: a.Name ?? a.Id,
        domains: a.Website ? [a.Website] : [],
        ownerCrmId: a.OwnerId ?? null,
        // LastActivityDate is a date (the last task or event); without one, the last modification.
        lastActivityAt: a.LastActivityDate ? `${a.LastActivityDate.slice(0, 10)}T00:00:00.000Z` : modifiedAt,
        modifiedAt,
      };
    });
  }

  /** Every row of a query, following nextRecordsUrl. */
  private async queryAll<T>(soql: string): Promise<T[]> {
    let page = await this.conn.request<QueryPage<T>>(`/query?q=${encodeURIComponent(soql)}`);
    const rows = [...page.records];
    while (!page.done && page.nextRecordsUrl) {
      page = await this.conn.request<QueryPage<T>>(page.nextRecordsUrl);
      rows.push(...page.records);
    }
    return rows;
  }
}

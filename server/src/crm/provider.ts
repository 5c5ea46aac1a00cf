// The seam between the CRM-neutral parts (the crm_update writer, the users/owners and accounts syncs) and
// each CRM's client code (salesforce-*.ts through jsforce, hubspot-*.ts through @hubspot/api-client).
// A provider module implements these with its client library; nothing here does I/O.

/** A value written into a CRM field. */
export type CrmValue = string | number | boolean | null;

/** One owner write-back: a record (Lead / Contact in Salesforce, contact in HubSpot) gets an owner and fields. */
export interface OwnerWrite {
  /** Idempotency key: `<run id>:<step id>`. A write with a key already answered is not sent again. */
  key: string;
  /** The CRM object (`Lead`, `Contact`; HubSpot `contacts`). */
  object: string;
  /** The record's CRM id. */
  recordId: string;
  /** The CRM user / owner id to write (Lead.OwnerId, hubspot_owner_id); null leaves the owner as it is. */
  ownerCrmId: string | null;
  /** Further fields, by CRM API name. */
  fields: Record<string, CrmValue>;
  /** A task to create on the record for the new owner, if asked. */
  task?: { subject: string; description?: string; dueInDays?: number };
}

/** The CRM's answer to one write, as recorded in the trace. */
export interface OwnerWriteResult {
  key: string;
  ok: boolean;
  /** The CRM's own words: the record id saved, the task id created, or its error code and message. */
  answer: { recordId?: string; taskId?: string; errorCode?: string; message?: string };
  /** True when trying again later may succeed (limits, 5xx, unreachable); false for a refusal (bad field, no access). */
  retryable: boolean;
}

/** A CRM user (Salesforce User, HubSpot owner): reps are linked to them by email. */
export interface CrmUser {
  crmId: string;
  email: string;
  name: string;
  active: boolean;
}

/** A CRM account (Salesforce Account, HubSpot company), for match_account. */
export interface CrmAccount {
  crmId: string;
  name: string;
  /** Website / domain values as the CRM has them (normalised later). */
  domains: string[];
  /** The owner's CRM user id, if any. */
  ownerCrmId: string | null;
  /** ISO instant of the last activity or modification, if known. */
  lastActivityAt: string | null;
  /** ISO instant the CRM last modified the record, if it says: the sync's high-water mark. */
  modifiedAt?: string | null;
}

/**
 * What a provider offers the CRM-neutral code. `writeOwners` receives up to `maxBatch` writes at once and
 * answers each (in any order, matched by key); it batches them into as few API calls as the CRM allows
 * (Salesforce sObject Collections: 200 records a call; HubSpot batch update: 100).
 */
export interface CrmProviderClient {
  readonly maxBatch: number;
  writeOwners(writes: readonly OwnerWrite[]): Promise<OwnerWriteResult[]>;
  listUsers(): Promise<CrmUser[]>;
  /** Accounts modified since `since` (ISO instant), or all when null. */
  listAccounts(since: string | null): Promise<CrmAccount[]>;
}

import { PollingLoop } from '@lead-router/db/polling-loop';
import { registrableDomain } from '@lead-router/shared';
import { crmConnections, crmUsers } from '@lead-router/db/crm-schema';
import { accounts, reps } from '@lead-router/db/schema';
import { and, eq, isNotNull, lte, or, sql } from 'drizzle-orm';
import type { CrmDeps } from './connections.service';
import type { CrmAccount } from './provider';
import { providerFor } from './provider-registry';

// Users and accounts from the CRM, on a schedule per connection (syncIntervalSeconds):
// - users (Salesforce Users, HubSpot owners) into crm_users; a rep is linked to the user with the same email
//   (case-insensitive), which is the owner a crm_update step writes for them;
// - accounts (Salesforce Accounts, HubSpot companies) modified since the connection's mark into the
//   directory's accounts, for match_account: id `<provider>:<CRM id>` (the source tag: a second sync updates
//   the account, never duplicates it), domains from the website (registrable domain), owner = the rep
//   linked to the CRM owner.

export interface SyncOptions {
  tickMs: number;
  /** The wait after a failed sync (ms), at most the connection's interval. */
  retryMs: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = { tickMs: 5_000, retryMs: 5 * 60_000 };

export interface SyncOutcome {
  users: number;
  /** Reps with an active CRM user of their email. */
  linkedReps: number;
  accountsCreated: number;
  accountsUpdated: number;
  error?: string;
}

/** The directory account of a CRM account. */
export function accountRow(workspaceId: string, provider: string, a: CrmAccount, repOf: ReadonlyMap<string, string>) {
  const domains = [...new Set(a.domains.map((d) => registrableDomain(d)).filter((d): d is string => d !== null))];
  return {
    workspaceId,
    id: `${provider}:${a.crmId}`.slice(0, 64),
    name: a.name.slice(0, 300) || a.crmId,
    domains,
    ownerId: a.ownerCrmId ? (repOf.get(a.ownerCrmId) ?? null) : null,
    lastActivityAt: a.lastActivityAt ? new Date(a.lastActivityAt) : null,
  };
}

/** Syncs users and accounts of the connections that are due, in the background or one at a time. */
export class CrmSync {
  private readonly loop: PollingLoop;
  private stopped = false;
  readonly options: SyncOptions;

  constructor(
    private readonly deps: CrmDeps,
    options: Partial<SyncOptions> = {},
  ) {
    this.options = { ...DEFAULT_SYNC_OPTIONS, ...options };
    this.loop = new PollingLoop(() => this.syncDue(), {
      pollMs: this.options.tickMs,
      onError: (e) => this.deps.log.error('crm sync round failed', { error: e instanceof Error ? e.message : String(e) }),
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

  async syncDue(): Promise<void> {
    const now = this.deps.now();
    const due = await this.deps.db
      .select({ id: crmConnections.id })
      .from(crmConnections)
      .where(
        and(
          eq(crmConnections.enabled, true),
          sql`${crmConnections.syncIntervalSeconds} > 0`,
          lte(crmConnections.nextSyncAt, now),
          or(isNotNull(crmConnections.accessTokenEnc), isNotNull(crmConnections.refreshTokenEnc), eq(crmConnections.authKind, 'jwt_bearer')),
        ),
      )
      .limit(20);
    for (const { id } of due) {
      if (this.stopped) return;
      await this.syncConnection(id);
    }
  }

  /** One sync of one connection: its users, then the accounts modified since its mark. */
  async syncConnection(id: string): Promise<SyncOutcome> {
    const out: SyncOutcome = { users: 0, linkedReps: 0, accountsCreated: 0, accountsUpdated: 0 };
    const [conn] = await this.deps.db.select().from(crmConnections).where(eq(crmConnections.id, id)).limit(1);
    if (!conn) return { ...out, error: 'The connection no longer exists.' };
    try {
      const { client } = await providerFor(this.deps, conn);
      const users = await client.listUsers();
      const syncedAt = this.deps.now();
      for (const u of users) {
        await this.deps.db
          .insert(crmUsers)
          .values({ connectionId: id, crmId: u.crmId, email: u.email, name: u.name, active: u.active, syncedAt })
          .onConflictDoUpdate({ target: [crmUsers.connectionId, crmUsers.crmId], set: { email: u.email, name: u.name, active: u.active, syncedAt } });
      }
      out.users = users.length;
      const links = await this.deps.db
        .select({ crmId: crmUsers.crmId, repId: reps.id })
        .from(crmUsers)
        .innerJoin(reps, and(eq(reps.workspaceId, conn.workspaceId), sql`lower(${reps.email}) = lower(${crmUsers.email})`))
        .where(and(eq(crmUsers.connectionId, id), eq(crmUsers.active, true)));
      const repOf = new Map(links.map((l) => [l.crmId, l.repId]));
      out.linkedReps = new Set(links.map((l) => l.repId)).size;

      // From the mark on, inclusive: the CRM stamps to the second, and an account read twice is only updated.
      const found = await client.listAccounts(conn.accountsMark);
      let mark = conn.accountsMark;
      for (const a of found) {
        const row = accountRow(conn.workspaceId, conn.provider, a, repOf);
        const [r] = await this.deps.db
          .insert(accounts)
          .values(row)
          .onConflictDoUpdate({ target: [accounts.workspaceId, accounts.id], set: { name: row.name, domains: row.domains, ownerId: row.ownerId, lastActivityAt: row.lastActivityAt } })
          .returning({ inserted: sql<boolean>`(xmax = 0)` });
        if (r?.inserted) out.accountsCreated++;
        else out.accountsUpdated++;
        if (a.modifiedAt && (!mark || a.modifiedAt > mark)) mark = a.modifiedAt;
      }
      await this.deps.db
        .update(crmConnections)
        .set({ accountsMark: mark, lastSyncedAt: syncedAt, lastSyncError: null, nextSyncAt: new Date(syncedAt.getTime() + conn.syncIntervalSeconds * 1000) })
        .where(eq(crmConnections.id, id));
      if (out.accountsCreated + out.accountsUpdated > 0) this.deps.log.info('crm accounts synced', { connectionId: id, created: out.accountsCreated, updated: out.accountsUpdated });
      return out;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const now = this.deps.now();
      const wait = Math.min(this.options.retryMs, Math.max(conn.syncIntervalSeconds, 1) * 1000);
      await this.deps.db.update(crmConnections).set({ lastSyncError: message, nextSyncAt: new Date(now.getTime() + wait) }).where(eq(crmConnections.id, id));
      this.deps.log.warn('crm sync did not complete', { connectionId: id, error: message });
      return { ...out, error: message };
    }
  }
}

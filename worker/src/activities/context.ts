import { indexDirectory, type DirectoryIndex, type Plan } from '@lead-router/shared';
import type { Db } from '@lead-router/db/client';
import { loadDirectory } from '@lead-router/db/directory-snapshot';
import type { SecretBox } from '@lead-router/db/secret-box';
import { workspaces } from '@lead-router/db/schema';
import { eq } from 'drizzle-orm';
import type { CrmUpdateWaitOptions } from './crm-update';
import { createSecretReader, type SecretReader } from './secrets';
import { createTargetGuard, type ResolveHost, type TargetGuard } from './target-guard';

/** SMTP settings for email notifications; without them email notifications are recorded as not delivered. */
export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  /** The From address of every email the router sends. */
  from: string;
}

/** Where activities log; the worker passes Temporal's activity logger or a structured logger. */
export interface ActivityLog {
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
}

/** What the activities need from the process: the database, the outside world's clients, and a clock. */
export interface ActivityDeps {
  db: Db;
  log?: ActivityLog;
  smtp?: SmtpSettings | null;
  /**
   * The DNS resolver of the target guard that every call of enrichment, Slack and webhooks goes through
   * (tests pass one to play DNS answers); the system's by default.
   */
  resolveHost?: ResolveHost;
  /**
   * Lets webhooks, Slack and HTTP enrichment reach loopback, link-local and private addresses. Off in
   * production: a routing graph's author must not be able to make the worker call into its own network.
   */
  allowPrivateWebhookTargets?: boolean;
  /** The instant assignments and per-day counts are taken at; `new Date()` by default. */
  now?: () => Date;
  /** How long a workspace's directory is reused between activities, ms (default 2,000; 0 reads it every time). */
  directoryCacheMs?: number;
  /** How `crmUpdate` waits for the server's CRM writer (tests shorten it). */
  crmUpdateWait?: CrmUpdateWaitOptions;
  /** Opens workspace secrets (SECRET_KEY); without one, a step that names a secret is told so and not sent. */
  secretBox?: SecretBox | null;
}

/** The deps with their defaults filled in, and the in-process caches every activity shares. */
export interface ActivityContext {
  db: Db;
  log: ActivityLog;
  smtp: SmtpSettings | null;
  /** Checks the URLs graphs name and carries every outbound HTTP call (webhooks, Slack, HTTP enrichment). */
  targets: TargetGuard;
  /** Opens the workspace secrets a call names (`{{secret.NAME}}`), at the moment of the call. */
  secrets: SecretReader;
  now(): Date;
  /**
   * The workspace's directory (without the firmographics table), indexed; cached for a few seconds, and only as
   * long as no run has seen a newer directory version (`sawDirectoryVersion`).
   */
  directory(workspaceId: string): Promise<DirectoryIndex>;
  /**
   * A run read the workspace's directory version (workspaces.directory_version, bumped by every change to the
   * directory): a cached directory loaded before that version is dropped, so the run routes on the change.
   */
  sawDirectoryVersion(workspaceId: string, version: number): void;
  /** Reads the workspace's directory version (one indexed row) and notes it as `sawDirectoryVersion` does. */
  readDirectoryVersion(workspaceId: string): Promise<void>;
  /** Plans by version id with their workspace: versions are immutable, so entries never go stale. */
  plans: PlanCache;
}

/** A bounded map of version id -> plan and the workspace that owns it. */
export interface PlanCache {
  get(versionId: string): { plan: Plan; workspaceId: string } | undefined;
  set(versionId: string, entry: { plan: Plan; workspaceId: string }): void;
}

const SILENT: ActivityLog = { info: () => {}, warn: () => {}, error: () => {} };

// Plans are a few hundred KB at most; a worker sees a handful of versions. Bounded all the same.
const MAX_CACHED_PLANS = 200;
const MAX_CACHED_DIRECTORIES = 500;

/** Builds the activities' shared context from their deps. */
export function createContext(deps: ActivityDeps): ActivityContext {
  const ttl = Math.max(0, deps.directoryCacheMs ?? 2_000);
  // Each entry is tagged with the directory version runs had seen when its load began: it holds at least that
  // version's directory (the load's reads start after), and serves only while no run has seen a newer one.
  const directories = new Map<string, { at: number; version: number; index: Promise<DirectoryIndex> }>();
  const versions = new Map<string, number>();
  const planMap = new Map<string, { plan: Plan; workspaceId: string }>();
  const plans: PlanCache = {
    get: (id) => planMap.get(id),
    set: (id, entry) => {
      if (planMap.size >= MAX_CACHED_PLANS && !planMap.has(id)) planMap.clear();
      planMap.set(id, entry);
    },
  };
  const now = deps.now ?? (() => new Date());

  const sawDirectoryVersion = (workspaceId: string, version: number): void => {
    if (version <= (versions.get(workspaceId) ?? 0)) return;
    if (versions.size >= MAX_CACHED_DIRECTORIES && !versions.has(workspaceId)) versions.clear();
    versions.set(workspaceId, version);
  };

  const directory = (workspaceId: string): Promise<DirectoryIndex> => {
    // The cache runs on the process clock, not `deps.now` (which tests may freeze).
    const t = performance.now();
    // Holidays are resolved for the activities' clock (its year and the next): a clock in another year is
    // another directory.
    const at = now().getTime();
    const key = `${workspaceId}:${new Date(at).getUTCFullYear()}`;
    const version = versions.get(workspaceId) ?? 0;
    const hit = directories.get(key);
    if (hit && ttl > 0 && t - hit.at < ttl && hit.version >= version) return hit.index;
    const index = loadDirectory(deps.db, workspaceId, { companies: false, at }).then(indexDirectory);
    if (ttl > 0) {
      if (directories.size >= MAX_CACHED_DIRECTORIES) directories.clear();
      directories.set(key, { at: t, version, index });
      // A failed read is not cached: the retry reads again.
      index.catch(() => {
        if (directories.get(key)?.index === index) directories.delete(key);
      });
    }
    return index;
  };

  const readDirectoryVersion = async (workspaceId: string): Promise<void> => {
    const [row] = await deps.db.select({ version: workspaces.directoryVersion }).from(workspaces).where(eq(workspaces.id, workspaceId));
    if (row) sawDirectoryVersion(workspaceId, row.version);
  };

  return {
    db: deps.db,
    log: deps.log ?? SILENT,
    smtp: deps.smtp ?? null,
    secrets: createSecretReader(deps.db, deps.secretBox ?? null),
    targets: createTargetGuard({ allowPrivate: deps.allowPrivateWebhookTargets === true, ...(deps.resolveHost ? { resolve: deps.resolveHost } : {}) }),
    now,
    directory,
    sawDirectoryVersion,
    readDirectoryVersion,
    plans,
  };
}

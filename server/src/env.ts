import { DatabaseUrlSchema, LogLevelSchema, OutboxDispatchSchema, parseEnv, SecretKeyEnvShape, SmtpEnvShape, TemporalAddressSchema, TemporalEnvShape } from '@lead-router/db/env';
import { z } from 'zod';

/** Configuration from the environment, validated once at start; a bad value stops start-up naming the variable. */
export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** postgres://... When absent, `npm start` runs an embedded PostgreSQL under .data/. */
  DATABASE_URL: DatabaseUrlSchema.optional(),
  /** host:port of the Temporal frontend. When absent, `npm start` runs a local Temporal dev server. */
  TEMPORAL_ADDRESS: TemporalAddressSchema.optional(),
  ...TemporalEnvShape,
  OUTBOX_DISPATCH: OutboxDispatchSchema,
  /** Base URL of Temporal's web UI, for links from a lead's page to its run. */
  TEMPORAL_UI_URL: z.string().url().optional(),
  /** The URL people reach the app at (printed curl lines, links in emails). */
  PUBLIC_URL: z.string().url().optional(),
  /** The built web app to serve (a folder with index.html); default web/dist when it has been built. */
  WEB_DIST: z.string().min(1).optional(),
  ...SmtpEnvShape,
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  /**
   * How many reverse proxies in front of the server append to X-Forwarded-For (0: none, the header is
   * ignored). The client's address, which sign-in attempts are limited by, is the entry that many from the
   * right. `true` means 1, `false` 0.
   */
  TRUST_PROXY: z.preprocess((v) => (v === 'true' ? 1 : v === 'false' ? 0 : v), z.coerce.number().int().min(0).max(10)).default(0),
  LOG_LEVEL: LogLevelSchema,
  /** Worker threads that run test runs (simulate, backtest, golden leads); default: CPUs - 1, at least 1. */
  SIMULATION_THREADS: z.coerce.number().int().min(1).max(256).optional(),
  /** How long one test run may compute before it is stopped, in ms. */
  SIMULATION_TIMEOUT_MS: z.coerce.number().int().min(100).max(10 * 60_000).default(30_000),
  /** The heap one test run's thread may use, in MB; past it the thread is stopped, not the server. */
  /** Backfills (docs/backfill.md): leads re-routed per second per server process, per batch, and when to hold back. */
  BACKFILL_RATE: z.coerce.number().min(0.1).max(10_000).default(50),
  BACKFILL_BATCH: z.coerce.number().int().min(1).max(1000).default(50),
  BACKFILL_MAX_LIVE_BACKLOG: z.coerce.number().int().min(0).max(100_000).default(20),
  BACKFILL_MAX_IN_FLIGHT: z.coerce.number().int().min(1).max(100_000).default(5),
  BACKFILL_LEASE_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  SIMULATION_MEMORY_MB: z.coerce.number().int().min(32).max(16_384).default(512),
  ...SecretKeyEnvShape,
  /** Whether this server polls CRM connections for leads (one poller holds a connection at a time). */
  CRM_POLLING: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
});
export type Env = z.infer<typeof EnvSchema>;

/** Reads and validates the environment; throws one error listing every bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  return parseEnv(EnvSchema, source, 'Invalid configuration');
}

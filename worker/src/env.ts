import { booleanFlag, DatabaseUrlSchema, LogLevelSchema, OutboxDispatchSchema, parseEnv, SecretKeyEnvShape, SmtpEnvShape, TemporalAddressSchema, TemporalEnvShape } from '@lead-router/db/env';
import { z } from 'zod';

/** The worker's configuration, validated at start; a bad value stops start-up naming the variable. */
export const WorkerEnvSchema = z.object({
  DATABASE_URL: DatabaseUrlSchema,
  TEMPORAL_ADDRESS: TemporalAddressSchema,
  ...TemporalEnvShape,
  OUTBOX_DISPATCH: OutboxDispatchSchema,
  /** Workflows kept in memory between tasks; each holds its interpreter state (a few hundred KiB at most). */
  WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(1_000),
  WORKER_MAX_CONCURRENT_ACTIVITIES: z.coerce.number().int().min(1).max(10_000).default(100),
  /** PostgreSQL connections the worker's activities share. */
  WORKER_DB_POOL: z.coerce.number().int().min(1).max(200).default(50),
  ...SmtpEnvShape,
  ...SecretKeyEnvShape,
  /** Allow Slack/webhook notifications to private and loopback addresses (off: they are refused). */
  ALLOW_PRIVATE_WEBHOOK_TARGETS: booleanFlag(),
  /** How often the queue age alert job runs a round (ms; 0 turns it off in this process). */
  QUEUE_ALERTS_POLL_MS: z.coerce.number().int().min(0).max(3_600_000).default(30_000),
  LOG_LEVEL: LogLevelSchema,
});
export type WorkerEnv = z.infer<typeof WorkerEnvSchema>;

/** Reads and validates the environment; throws one error listing every bad variable. */
export function loadWorkerEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  return parseEnv(WorkerEnvSchema, source, 'Invalid worker configuration');
}

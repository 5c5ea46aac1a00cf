import { DEFAULT_TASK_QUEUE } from '@lead-router/shared/workflow-contract';
import { z } from 'zod';

// The configuration both processes (API server and worker) read, defined once so a variable means the same
// thing to both and a bad value is refused with the same message.

/** DATABASE_URL: a postgres:// URL. */
export const DatabaseUrlSchema = z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL');

/** TEMPORAL_ADDRESS: host:port of the Temporal frontend. */
export const TemporalAddressSchema = z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port, e.g. localhost:7233');

/** The Temporal namespace and task queue. */
export const TemporalEnvShape = {
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE),
};

/**
 * OUTBOX_DISPATCH: who starts each lead's routing workflow from the outbox. `worker` (the default): the workers,
 * woken by a NOTIFY from every outbox insert, start it eagerly (Temporal hands the first workflow task back in
 * the start's answer, to the worker that started it), and the API server only starts leads no worker took
 * within 10 s. `server`: the API server starts every lead over its own client (where NOTIFY does not travel:
 * the embedded launcher sets it).
 */
export const OutboxDispatchSchema = z.enum(['worker', 'server']).default('worker');

/** A `true`/`false` variable, `false` when unset. */
export function booleanFlag() {
  return z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true');
}

/** The key secrets are encrypted with at rest (db/src/secret-box.ts), read the same way by the server and the worker. */
export const SecretKeyEnvShape = {
  /** Required once a CRM connection or a workspace secret exists; empty is unset (docker-compose passes `${SECRET_KEY:-}`). */
  SECRET_KEY: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(32, 'must be at least 32 characters (e.g. `openssl rand -base64 32`)').optional()),
  /** Earlier SECRET_KEYs, comma-separated, still read after a rotation. */
  SECRET_KEY_PREVIOUS: z.string().optional(),
};

/** The SMTP settings, read the same way by the server and the worker (email notifications). */
export const SmtpEnvShape = {
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().default('Lead Router <routing@localhost>'),
  SMTP_SECURE: booleanFlag(),
};

/** LOG_LEVEL. */
export const LogLevelSchema = z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info');

/** Validates `source` against `schema`; throws one error listing every bad variable under `title`. */
export function parseEnv<S extends z.ZodType>(schema: S, source: Record<string, string | undefined>, title: string): z.output<S> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`${title}:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

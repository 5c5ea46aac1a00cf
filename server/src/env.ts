import { z } from 'zod';

/** The SMTP settings, read the same way by the server and the worker (email notifications). */
export const SmtpEnvShape = {
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  SMTP_FROM: z.string().default('Lead Router <routing@localhost>'),
  SMTP_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
};

/** Configuration from the environment, validated once at start; a bad value stops start-up naming the variable. */
export const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** postgres://... When absent, `npm start` runs an embedded PostgreSQL under .data/. */
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  /** host:port of the Temporal frontend. When absent, `npm start` runs a local Temporal dev server. */
  TEMPORAL_ADDRESS: z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port, e.g. localhost:7233').optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('lead-routing'),
  /** Base URL of Temporal's web UI, for links from a lead's page to its run. */
  TEMPORAL_UI_URL: z.string().url().optional(),
  /** The URL people reach the app at (printed curl lines, links in emails). */
  PUBLIC_URL: z.string().url().optional(),
  /** The built web app to serve (a folder with index.html); default web/dist when it has been built. */
  WEB_DIST: z.string().min(1).optional(),
  ...SmtpEnvShape,
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 7),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});
export type Env = z.infer<typeof EnvSchema>;

/** Reads and validates the environment; throws one error listing every bad variable. */
export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

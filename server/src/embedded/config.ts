import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root (server/src/embedded -> ../../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/**
 * The embedded launcher's own settings (the server's are in ../env.ts). Ports set to 0 take a free one;
 * the Temporal ports fall back to a free one when their default is taken.
 */
export const EmbeddedEnvSchema = z.object({
  /** Where PGlite, the Temporal dev server's database and the logs live. */
  DATA_DIR: z.string().min(1).default(join(REPO_ROOT, '.data')),
  /** The Temporal dev server's gRPC port (TEMPORAL_ADDRESS for the server and worker). */
  TEMPORAL_PORT: port(7233),
  /** Temporal's web UI. */
  TEMPORAL_UI_PORT: port(8233),
  /** The loopback port PGlite answers the PostgreSQL wire protocol on (0: a free one). */
  PGLITE_PORT: port(0),
  /** An explicit `temporal` CLI; otherwise PATH, then .tools/pip/bin, then an install. */
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  /** Worker processes to run. */
  WORKERS: z.coerce.number().int().min(0).max(16).default(1),
  /** Seed the demo workspace into an empty database. */
  DEMO_SEED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Sample leads the demo seed routes live (its history holds two weeks more). */
  DEMO_LEADS: z.coerce.number().int().min(0).max(10_000).default(40),
});
export type EmbeddedEnv = z.infer<typeof EmbeddedEnvSchema>;

/** Reads and validates the launcher's settings; throws one error naming every bad variable. */
export function loadEmbeddedEnv(source: Record<string, string | undefined> = process.env): EmbeddedEnv {
  const parsed = EmbeddedEnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return { ...parsed.data, DATA_DIR: resolve(parsed.data.DATA_DIR) };
}

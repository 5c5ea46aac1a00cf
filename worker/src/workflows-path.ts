import { fileURLToPath } from 'node:url';
import type { WorkerOptions } from '@temporalio/worker';

/** The workflows bundle's entry, for Worker.create and replay tests. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

/**
 * How every worker (and replayer) bundles the workflow code. The shared library is preloaded once per
 * reusable V8 context instead of being evaluated again for each workflow: its module scope builds hundreds
 * of zod schemas, which otherwise costs every lead milliseconds of worker CPU. This is safe because the
 * shared library keeps no per-run state at module scope, only caches of pure functions (time zone offsets,
 * compiled patterns), whose answers do not depend on which workflow asks.
 */
export const WORKFLOW_BUNDLE: Required<Pick<WorkerOptions, 'workflowsPath' | 'bundlerOptions'>> = {
  workflowsPath: WORKFLOWS_PATH,
  bundlerOptions: { preloadModules: ['@lead-router/shared/workflow'] },
};

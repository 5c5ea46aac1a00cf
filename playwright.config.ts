import { defineConfig } from '@playwright/test';

// The Playwright suite runs the real stack (web/e2e/support/stack.ts): PostgreSQL, a Temporal dev server,
// the API server serving the built web, and a worker. Playwright's webServer owns that process, so it
// is stopped (SIGTERM: children and the database go with it) when the run ends. The control port is
// chosen once here and inherited by the stack and the test workers through the environment.
process.env.E2E_CONTROL_PORT ??= String(20_000 + (process.pid % 20_000));
const control = Number(process.env.E2E_CONTROL_PORT);

// Playwright empties its output folder when a run starts. Several people run specs in this tree at once,
// so each selection of specs writes to its own folder (test-results/e2e/<specs>), and a run of one spec
// never deletes another run's screenshots and traces under it. The runner decides (its argv names the
// specs); test workers load this file again with other argv, so they read the choice from the environment.
const specs = process.argv.filter((a) => a.endsWith('.spec.ts')).map((a) => a.replace(/^.*\//, '').replace(/\.spec\.ts$/, ''));
process.env.E2E_OUTPUT_DIR ??= `./test-results/e2e/${specs.length > 0 ? specs.sort().join('+') : 'all'}`;
const outputDir = process.env.E2E_OUTPUT_DIR;

export default defineConfig({
  testDir: './web/e2e',
  testMatch: '**/*.spec.ts',
  outputDir,
  // One worker: the machine has two cores, and the specs share one stack.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  globalTimeout: 15 * 60_000,
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    name: 'stack',
    command: 'node --import tsx web/e2e/support/stack.ts',
    url: `http://127.0.0.1:${control}/stack`,
    env: { E2E_CONTROL_PORT: String(control) },
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
  },
});

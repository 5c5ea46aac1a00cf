import { defineConfig } from '@playwright/test';

// The Playwright suite runs the real stack (web/e2e/support/stack.ts): PostgreSQL, a Temporal dev server,
// the API server serving the built web, and a worker. Playwright's webServer owns that process, so it
// is stopped (SIGTERM: children and the database go with it) when the run ends. The control port is
// chosen once here and inherited by the stack and the test workers through the environment.
process.env.E2E_CONTROL_PORT ??= String(20_000 + (process.pid % 20_000));
const control = Number(process.env.E2E_CONTROL_PORT);

export default defineConfig({
  testDir: './web/e2e',
  testMatch: '**/*.spec.ts',
  outputDir: './test-results/e2e',
  // One worker: the machine has two cores, and the specs share one stack.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  globalTimeout: 6 * 60_000,
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

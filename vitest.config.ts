import { defineConfig } from 'vitest/config';

// One `vitest run` at the root runs every workspace's tests as its own project.
// Playwright specs (e2e/) are never collected here: Playwright runs them.
/** Tests run alone, after the rest (see the `alone` project). */
// The backfill restart test measures live leads' speed while 2,000 leads are re-routed: it needs the machine too.
const HOSTILE = ['tests/reliability/hostile-load.test.ts', 'tests/reliability/backfill-restart.test.ts'];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'shared',
          root: './shared',
          include: ['src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'server',
          root: './server',
          include: ['src/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['../testkit/src/vitest-database.ts'],
          setupFiles: ['./src/test/setup-openapi.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'worker',
          root: './worker',
          include: ['src/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'web',
          root: './web',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'tools',
          root: '.',
          include: ['cli/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: [...HOSTILE],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      // Measured tests that must have the machine to themselves (their figures are latencies under a
      // burst): `npm test` runs them in a second `vitest run`, after every other test, with
      // VITEST_ALONE=1; a plain `vitest run` leaves them out.
      ...(process.env.VITEST_ALONE === '1'
        ? [{ test: { name: 'alone', root: '.', include: [...HOSTILE], environment: 'node' as const, testTimeout: 300_000, hookTimeout: 240_000 } }]
        : []),
    ],
  },
});

import { execFile, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '@lead-router/testkit/temporal-dev-server';
import { test, expect } from './support/fixtures';
import { zoomOf } from './support/canvas';

// The newcomer's path, end to end, as the README tells it: `npm start` on an empty data folder (the
// embedded default: PGlite, a Temporal dev server, the API server with the web app and a worker, all real
// processes), read the console for the admin's sign-in and the curl line, sign in, open the demo workflow
// (readable without zooming), test-run it, open Publish on the unchanged draft (no lead would move), then
// post the printed curl lead and see it assigned to a rep, by name, on its trace page.
//
// This spec runs its own first start, apart from the shared e2e stack the other specs use.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);

test.use({ viewport: { width: 1440, height: 900 } });
test.describe.configure({ timeout: 5 * 60_000 });

let launcher: ChildProcessWithoutNullStreams | null = null;
let dataDir: string | null = null;

test.afterAll(async () => {
  if (launcher && launcher.exitCode === null) {
    const exited = new Promise((resolve) => launcher?.once('exit', resolve));
    launcher.kill('SIGINT');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))]);
    if (launcher.exitCode === null) launcher.kill('SIGKILL');
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `npm start`'s entry on a fresh data folder and waits for its READY line; answers the console up to it. */
async function firstStart(): Promise<{ url: string; console: string }> {
  dataDir = mkdtempSync(join(tmpdir(), 'lead-router-newcomer-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
  };
  // The embedded default: no DATABASE_URL, no TEMPORAL_ADDRESS (the e2e stack's environment may set them).
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  delete env.WEB_DIST;
  delete env.LOG_LEVEL;
  const child = spawn(process.execPath, ['--import', 'tsx', join('server', 'src', 'main.ts')], { cwd: ROOT, env });
  launcher = child;
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start was not ready after 150 s:\n${out}`)), 150_000);
    const check = (): void => {
      const line = out.split('\n').find((l) => l.startsWith('READY '));
      if (!line) return;
      clearTimeout(timer);
      resolve((JSON.parse(line.slice('READY '.length)) as { url: string }).url);
    };
    child.stdout.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited (${code}) before it was ready:\n${out}`));
    });
  });
  return { url, console: out };
}

test('a newcomer: first start, sign in, the demo, a test run, an honest publish gate, the printed curl lead assigned', async ({ page, snap }) => {
  const { url, console: printed } = await firstStart();

  // What the console printed, read as a person would.
  const signInLine = /Sign in\s+(\S+@\S+)\s+\/\s+(\S+)/.exec(printed);
  expect(signInLine, `the first start prints the admin's sign-in:\n${printed}`).not.toBeNull();
  const [, email, password] = signInLine as RegExpExecArray;
  const curl = printed
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('curl '));
  expect(curl, `the first start prints a curl line:\n${printed}`).toBeDefined();

  // Sign in.
  await page.goto(`${url}/sign-in`);
  await page.getByLabel('Email').fill(email as string);
  await page.getByLabel('Password').fill(password as string);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Workflows' })).toBeVisible();
  await snap(page, '1-workflows');

  // The demo workflow opens readable: not shrunk to fit its 22 steps, the trigger in view.
  await page.getByRole('link', { name: 'Inbound routing (hybrid)' }).click();
  await expect(page.getByTestId('save-status')).toBeVisible();
  await expect(page.locator('.react-flow__node').first()).toBeVisible();
  await expect.poll(() => zoomOf(page)).toBeGreaterThanOrEqual(0.7);
  expect(await zoomOf(page)).toBeLessThanOrEqual(1);
  await expect(page.locator('[data-testid^="node-trigger"]').first()).toBeInViewport();
  await snap(page, '2-demo-workflow');

  // Test-run one of the library's sample leads.
  await page.getByRole('tab', { name: 'Test run' }).click();
  const testRun = page.getByTestId('test-run');
  await testRun.getByRole('checkbox').first().check();
  await testRun.getByRole('button', { name: /^Run 1 lead/ }).click();
  // One lead: its route, with the rep's name.
  await expect(testRun).toContainText(/L-1: routed, assigned to [A-Z][a-z]+ [A-Z]/);
  await snap(page, '3-test-run');

  // Publish on the unchanged draft: nothing changed, and the backtest says no lead would move.
  await page.getByRole('button', { name: 'Publish…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('publish-diff')).toContainText('No changes.');
  await expect(dialog.getByTestId('backtest-moved')).toHaveText('No lead would move: the draft routes every lead of the window as the active version does.', { timeout: 60_000 });
  // The model's fidelity on the demo's own history is shown, as a figure.
  await expect(dialog.getByTestId('backtest-fidelity')).toContainText(/The model reproduces \d+(\.\d+)?% of real assignments/);
  await snap(page, '4-publish-unchanged');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // The printed curl line, run as printed.
  const { stdout } = await run('bash', ['-c', curl as string]);
  const { leadId } = JSON.parse(stdout) as { leadId: string };
  expect(leadId).toMatch(/\S/);
  await page.goto(`${url}/leads/${leadId}`);
  const assigned = page.getByTestId('assignee');
  // A rep, by name: not a queue, not an id.
  await expect(assigned).toContainText(/Assigned to .+ \(rep\)/, { timeout: 30_000 });
  await expect(assigned.locator('strong')).not.toHaveText(/^(rep-|q-)|[0-9a-f]{8}-[0-9a-f]{4}/);
  await snap(page, '5-curl-lead-assigned');
});

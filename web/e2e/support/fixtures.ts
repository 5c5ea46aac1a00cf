import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';
import { controlPort, type Person, type StackInfo } from './stack-info';

export { expect };
export type { Person, StackInfo };

/** Reads the running stack's info from its control port (the stack is up: Playwright's webServer waited). */
async function readStack(): Promise<StackInfo> {
  const res = await fetch(`http://127.0.0.1:${controlPort()}/stack`);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`The e2e stack is not usable (${res.status}): ${text}`);
  return JSON.parse(text) as StackInfo;
}

/** Calls the API with an API key; throws with the body on a non-2xx answer. */
export async function apiCall<T = unknown>(stack: StackInfo, key: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${stack.baseURL}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** Signs `who` in through the sign-in page, as a person would, and waits for the app frame. */
export async function signIn(page: Page, who: Person): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`${who.name} ·`)).toBeVisible();
}

/** Saves a full-page screenshot of a checked state under the test's results folder, attached to the report. */
export async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

/**
 * `test` with the running stack: `stack` ({ baseURL, admin, viewer, rep, keys, workspaceId, ... }) and
 * `baseURL` pointing at it, so `page.goto('/leads')` reaches the real server.
 */
export const test = base.extend<{ snap: (page: Page, name: string) => Promise<void> }, { stack: StackInfo }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads fixture dependencies from the pattern.
  stack: [async ({}, use) => use(await readStack()), { scope: 'worker' }],
  baseURL: async ({ stack }, use) => use(stack.baseURL),
  // eslint-disable-next-line no-empty-pattern -- as above.
  snap: async ({}, use, testInfo) => use((page, name) => snap(page, testInfo, name)),
});

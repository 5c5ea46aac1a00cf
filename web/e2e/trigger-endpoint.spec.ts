import { execFileSync } from 'node:child_process';
import type { Page } from '@playwright/test';
import { inspector, select } from './support/canvas';
import { apiCall, expect, signIn, test } from './support/fixtures';
import { inboundGraph } from './support/graphs';
import { postLead, publishWorkflow } from './support/workflows';

// "Where leads come in" on the trigger step, on the real stack: the endpoint a sender posts to, the webhook
// secret (admins), the curl command (really run here, against the stack), "Send a test lead" routed by the
// active version, and the last leads received.

test.use({ viewport: { width: 1440, height: 900 } });

interface LeadDetail {
  leadId: string;
  workflowId: string;
  lead: Record<string, unknown>;
}

let workflowId = '';

test.beforeAll(async ({ stack }) => {
  workflowId = (await publishWorkflow(stack, 'Trigger endpoint (e2e)', inboundGraph)).id;
});

/** Runs shell lines as a person pasting them would (bash, curl, openssl); answers what curl printed. */
function runInShell(command: string, env: Record<string, string> = {}): string {
  return execFileSync('bash', ['-c', command], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20_000 });
}

// A string, not a function: this file is type-checked without the DOM library.
const clipboard = (page: Page) => page.evaluate<string>('navigator.clipboard.readText()');

async function openTrigger(page: Page, id: string) {
  await page.goto(`/workflows/${id}`);
  await select(page, 'trigger');
  const panel = page.getByTestId('trigger-endpoint');
  await expect(panel).toBeVisible();
  return panel;
}

test('an admin copies the endpoint, runs the curl command it shows, sends a test lead and follows it to its lead page', async ({ page, context, stack, snap }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.baseURL });
  await signIn(page, stack.admin);
  const panel = await openTrigger(page, workflowId);
  const url = `${stack.baseURL}/api/workflows/${workflowId}/leads`;

  await expect(panel.getByTestId('trigger-status')).toHaveText('Taking leads: each is routed by the active version, v1.');
  await expect(panel.getByTestId('endpoint-url')).toHaveText(`POST ${url}`);
  await expect(panel.getByTestId('webhook-secret')).toHaveText(/^whsec_•+$/);
  await expect(panel.getByRole('link', { name: 'create or revoke API keys' })).toHaveAttribute('href', '/directory/keys');
  await snap(page, 'trigger-admin-opened');

  await panel.getByRole('button', { name: 'Copy endpoint URL' }).click();
  await expect(panel.getByRole('button', { name: 'Copy endpoint URL: copied' })).toContainText('Copied');
  expect(await clipboard(page)).toBe(url);

  // The secret, revealed, is the workflow's own (as the admin API answers it), and goes into the signed command.
  const { webhookSecret } = await apiCall<{ webhookSecret: string }>(stack, stack.keys.admin, 'GET', `/api/workflows/${workflowId}/webhook-secret`);
  await panel.getByRole('button', { name: 'Reveal' }).click();
  await expect(panel.getByTestId('webhook-secret')).toHaveText(webhookSecret);
  await panel.getByRole('button', { name: 'Signed' }).click();
  const curl = panel.getByTestId('curl-command');
  await expect(curl).toContainText(`secret='${webhookSecret}'`);
  await expect(curl).toContainText(`curl -sS -X POST '${url}'`);
  await expect(curl).toContainText('"email": "test.lead@example.com"');
  await snap(page, 'trigger-admin-signed-command');

  // What Copy puts on the clipboard is what is on screen, and it works as it is: bash runs it against the stack.
  await panel.getByRole('button', { name: 'Copy command' }).click();
  const signed = await clipboard(page);
  expect(signed).toBe(await curl.textContent());
  const signedAnswer = JSON.parse(runInShell(signed)) as { leadId: string; status: string };
  expect(signedAnswer).toEqual({ leadId: expect.any(String), status: 'queued' });
  const signedLead = await apiCall<LeadDetail>(stack, stack.keys.viewer, 'GET', `/api/leads/${signedAnswer.leadId}`);
  expect(signedLead.workflowId).toBe(workflowId);
  expect(signedLead.lead).toMatchObject({ firstName: 'Test', lastName: 'Lead', email: 'test.lead@example.com', company: 'Example Inc' });

  // The API key command, with a real key in the variable it names.
  await panel.getByRole('button', { name: 'API key' }).click();
  await expect(curl).toContainText('-H "Authorization: Bearer $LEADROUTER_API_KEY"');
  const keyAnswer = JSON.parse(runInShell((await curl.textContent()) ?? '', { LEADROUTER_API_KEY: stack.keys.ingest })) as { leadId: string };
  expect(keyAnswer.leadId).toEqual(expect.any(String));

  // Both posted leads are listed, newest first, without a reload.
  const rows = panel.getByTestId('trigger-lead');
  await expect(rows).toHaveCount(2);

  // Send a test lead: it appears at the top, marked, and its status follows its routing to Ana.
  await expect(panel.getByText(/It is routed by the active version, v1, like any real lead/)).toBeVisible();
  await panel.getByRole('button', { name: 'Send a test lead' }).click();
  await expect(panel.getByRole('status')).toHaveText(/Test lead sent, routed by v1/);
  await expect(rows).toHaveCount(3);
  const sent = rows.first();
  await expect(sent).toContainText('Test lead you sent');
  await expect(sent).toContainText('Test Lead');
  await expect(sent).toContainText('Example Inc');
  await expect(sent).toContainText(/today \d\d:\d\d:\d\d/);
  await expect(sent).toContainText('Ana Diaz', { timeout: 30_000 });
  await expect(sent.locator('.status-badge')).toHaveText('waiting');
  // The row just sent was brought into view in the side panel.
  await expect(sent).toBeInViewport({ ratio: 1 });
  await snap(page, 'trigger-test-lead-routed');

  const href = await sent.getByRole('link', { name: 'Test Lead' }).getAttribute('href');
  expect(href).toMatch(/^\/leads\/[0-9a-f-]{36}$/);
  await sent.getByRole('link', { name: 'Test Lead' }).click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await expect(page.getByTestId('assignee')).toContainText('Ana Diaz');
  await snap(page, 'trigger-test-lead-page');
});

test('a viewer sees the endpoint and the leads, not the secret, and cannot send a test lead', async ({ page, context, stack, snap }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.baseURL });
  await postLead(stack, workflowId, { firstName: 'Vera', lastName: 'Rubin', email: 'vera.rubin@example.com', company: 'Rubin Observatory' });
  await signIn(page, stack.viewer);
  const panel = await openTrigger(page, workflowId);
  await expect(panel.getByTestId('endpoint-url')).toHaveText(`POST ${stack.baseURL}/api/workflows/${workflowId}/leads`);
  await expect(panel.getByTestId('secret-admins-only')).toHaveText('Only admins can see the webhook secret. Ask an admin for it, or post with an API key.');
  await expect(panel.getByTestId('webhook-secret')).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Reveal' })).toHaveCount(0);
  await expect(panel.getByRole('button', { name: 'Send a test lead' })).toHaveCount(0);
  await expect(panel.getByTestId('trigger-lead').first()).toContainText('Vera Rubin');
  await expect(panel.getByTestId('trigger-lead').first()).toContainText('Rubin Observatory');
  // The builder is read-only for a viewer, but the endpoint is still there to copy.
  await expect(inspector(page).getByRole('combobox', { name: 'Source' })).toBeDisabled();
  await panel.getByRole('button', { name: 'Copy endpoint URL' }).click();
  await expect(panel.getByRole('button', { name: 'Copy endpoint URL: copied' })).toBeVisible();
  await panel.getByRole('button', { name: 'Signed' }).click();
  await expect(panel.getByTestId('curl-command')).toContainText('secret="$LEADROUTER_WEBHOOK_SECRET"');
  expect(await page.locator('body').innerText()).not.toContain('whsec_');
  await snap(page, 'trigger-viewer');
  await panel.getByTestId('trigger-lead').first().scrollIntoViewIfNeeded();
  await snap(page, 'trigger-viewer-leads');
});

test('a workflow with no published version offers no test lead, and says why', async ({ page, stack, snap }) => {
  const draft = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', { name: 'Trigger endpoint, unpublished (e2e)', graph: inboundGraph });
  await signIn(page, stack.admin);
  const panel = await openTrigger(page, draft.id);
  await expect(panel.getByTestId('trigger-status')).toHaveText('Not taking leads. This workflow has no published version yet; publish it to take leads.');
  await expect(panel.getByRole('button', { name: 'Send a test lead' })).toBeDisabled();
  await expect(panel.getByTestId('test-lead-disabled')).toHaveText('This workflow has no published version yet; publish it to take leads.');
  await expect(panel.getByText('No lead has come in yet. Post one with the command above.')).toBeVisible();
  await snap(page, 'trigger-unpublished');
  await panel.getByTestId('test-lead-disabled').scrollIntoViewIfNeeded();
  await snap(page, 'trigger-unpublished-test-lead');
});

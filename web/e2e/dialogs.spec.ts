import type { Page } from '@playwright/test';
import { expect, signIn, test } from './support/fixtures';

// Issue 13: dialogs close on Escape, keep Tab inside while open, and give focus back to what opened them.

test.use({ viewport: { width: 1440, height: 900 } });

/** Whether the focused element is inside `selector`. */
const focusedIn = async (page: Page, selector: string) => (await page.locator(`${selector} :focus`).count()) > 0;

test('Escape closes the New workflow dialog and focus goes back to its button', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await page.goto('/workflows');
  const opener = page.getByRole('button', { name: 'New workflow' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'New workflow' });
  await expect(dialog).toBeVisible();
  await snap(page, 'new-workflow-dialog-open');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(opener).toBeFocused();
  // Opened again, the first field has focus, so the name can be typed at once.
  await opener.click();
  await expect(dialog.getByLabel('Name')).toBeFocused();
  await page.keyboard.type('Typed at once');
  await expect(dialog.getByLabel('Name')).toHaveValue('Typed at once');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await snap(page, 'new-workflow-dialog-closed');
});

test("the rep dialog keeps Tab inside, closes on Escape from any field, and returns focus to the row's Edit button", async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await page.goto('/directory/reps');
  const edit = page.getByRole('button', { name: 'Edit Ana Diaz' });
  await edit.click();
  const dialog = page.getByRole('dialog', { name: 'Edit Ana Diaz' });
  await expect(dialog).toBeVisible();
  // Forward through every control and round again: focus never leaves the dialog.
  const stops = await dialog.locator('button:not([disabled]), input:not([disabled]), select:not([disabled])').count();
  for (let i = 0; i < stops + 3; i++) {
    await page.keyboard.press('Tab');
    expect(await focusedIn(page, '[role="dialog"]'), `Tab ${i + 1} left the dialog`).toBe(true);
  }
  // Backwards from the first control lands on the last one (Save rep).
  await dialog.getByRole('button', { name: 'Close' }).focus();
  await page.keyboard.press('Shift+Tab');
  await expect(dialog.getByRole('button', { name: 'Save rep' })).toBeFocused();
  await dialog.getByLabel('Skills').focus();
  await snap(page, 'rep-dialog-focus-trapped');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(edit).toBeFocused();
  // The Close button gives focus back too.
  await edit.click();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(edit).toBeFocused();
  await snap(page, 'rep-dialog-closed');
});

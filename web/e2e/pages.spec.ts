import { expect, signIn, test } from './support/fixtures';

test('an admin signs in and lands on the workflows', async ({ page, stack, snap }) => {
  await signIn(page, stack.admin);
  await expect(page).toHaveURL(/\/workflows$/);
  await snap(page, 'signed-in-admin');
});

import { apiCall, expect, signIn, test } from './support/fixtures';
import { inspector, node, select } from './support/canvas';

// The match_account inspector: similar names with a threshold, the tie-breakers and repeat leads, in plain
// words; turning repeat leads on gives the step its "Duplicate lead" outcome on the canvas.
test('match account options: similar names, tie-breakers and repeat leads', async ({ page, stack, snap }) => {
  test.setTimeout(180_000);
  const n = (id: string, type: string, row: number, config: unknown) => ({ id, type, position: { x: 300, y: row * 180 }, config });
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', {
    name: 'Matching e2e',
    graph: {
      schemaVersion: 1,
      nodes: [n('trigger', 'trigger', 0, { source: 'webhook' }), n('match', 'match_account', 1, { by: ['email_domain', 'website_domain', 'company_name'] }), n('end', 'end', 2, { outcome: 'routed' })],
      edges: [
        { id: 'trigger:next->match', source: 'trigger', sourceHandle: 'next', target: 'match' },
        { id: 'match:matched->end', source: 'match', sourceHandle: 'matched', target: 'end' },
        { id: 'match:not_matched->end', source: 'match', sourceHandle: 'not_matched', target: 'end' },
      ],
    },
  });
  await signIn(page, stack.admin);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/workflows/${wf.id}`);
  await expect(node(page, 'match')).toBeVisible();
  await select(page, 'match');
  const ins = inspector(page);
  await ins.getByLabel('Also match similar company names (typos, spacing)').check();
  const threshold = ins.getByLabel(/Similarity needed/);
  await expect(threshold).toHaveValue('0.85');
  await threshold.fill('0.9');
  await ins.getByLabel('On a tie, prefer').selectOption({ label: 'Most recent, then owned' });
  await ins.getByLabel(/Send repeat leads/).check();
  await ins.getByLabel('Earlier lead within (days)').fill('14');
  await expect(node(page, 'match')).toContainText('similar names >= 0.9; repeat leads within 14 days');
  await expect(node(page, 'match')).toContainText('Duplicate lead');
  await snap(page, 'match-account-inspector');
  // Out of range is the compiler's problem under the field.
  await threshold.fill('1.5');
  await expect(threshold).toHaveAttribute('aria-invalid', 'true');
});

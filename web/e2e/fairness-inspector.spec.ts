import { apiCall, expect, signIn, test } from './support/fixtures';
import { inspector, node, select } from './support/canvas';

// The assign step's fairness (issue #16 item 1): strict by default; balanced shows the catch-up limit and
// credit-back; the reset window follows the workspace's time zone; the card says "balanced"; a limit out of
// range is the compiler's problem under the field.
test('assign fairness: balanced mode, catch-up limit, reset window, credit-back', async ({ page, stack, snap }) => {
  test.setTimeout(180_000);
  const n = (id: string, type: string, row: number, config: unknown) => ({ id, type, position: { x: 300, y: row * 180 }, config });
  const wf = await apiCall<{ id: string }>(stack, stack.keys.editor, 'POST', '/api/workflows', {
    name: 'Fairness e2e',
    graph: {
      schemaVersion: 1,
      nodes: [
        n('trigger', 'trigger', 0, { source: 'webhook' }),
        n('pool', 'assign', 1, { strategy: { type: 'round_robin', teamId: 'team-inbound' } }),
        n('end', 'end', 2, { outcome: 'routed' }),
      ],
      edges: [
        { id: 'trigger:next->pool', source: 'trigger', sourceHandle: 'next', target: 'pool' },
        { id: 'pool:assigned->end', source: 'pool', sourceHandle: 'assigned', target: 'end' },
        { id: 'pool:no_eligible_rep->end', source: 'pool', sourceHandle: 'no_eligible_rep', target: 'end' },
      ],
    },
  });
  await signIn(page, stack.admin);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(`/workflows/${wf.id}`);
  await expect(node(page, 'pool')).toBeVisible();
  await select(page, 'pool');
  const ins = inspector(page);
  const mode = ins.getByLabel('Fairness mode');
  await expect(mode).toHaveValue('strict');
  await expect(ins.getByLabel('Most leads in a row while catching up')).toHaveCount(0);
  await mode.selectOption({ label: 'Balanced: reps who were away or capped catch up' });
  const limit = ins.getByLabel('Most leads in a row while catching up');
  await expect(limit).toHaveValue('2');
  await limit.fill('3');
  await ins.getByLabel('Start everyone level again').selectOption({ label: 'Every Monday at midnight' });
  await ins.getByLabel(/Credit back leads/).check();
  await expect(ins.getByText("Windows follow the workspace's time zone")).toBeVisible();
  await expect(node(page, 'pool')).toContainText('balanced');
  await ins.getByLabel('Fairness mode').scrollIntoViewIfNeeded();
  await snap(page, 'fairness-inspector');
  await limit.fill('25');
  await expect(limit).toHaveAttribute('aria-invalid', 'true');
});

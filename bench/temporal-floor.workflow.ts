// The workflow of bench/temporal-floor.ts: `n` no-op local activities, then a 15-minute timer, the shape of
// a lead's route up to its SLA wait, without any of the product's code.
import { proxyLocalActivities, sleep } from '@temporalio/workflow';

const acts = proxyLocalActivities<{ noop(i: number): Promise<number> }>({ startToCloseTimeout: '10 seconds' });

export async function floor(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await acts.noop(i);
  await sleep('15 minutes');
}

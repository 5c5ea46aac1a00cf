import { describe, expect, it } from 'vitest';
import { PollingLoop } from '@lead-router/db/polling-loop';

// db/src/polling-loop.ts: the loop under the outbox dispatcher, the backfill runner and the queue alerts.
// Waits are lower bounds or polled conditions, so a busy machine only makes the tests slower.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function until(what: string, cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('PollingLoop', () => {
  it('runs a round at start, then every pollMs or after the wait a round returns, one at a time', async () => {
    const began: number[] = [];
    let running = 0;
    let overlapped = false;
    const t0 = Date.now();
    const loop = new PollingLoop(
      async () => {
        running++;
        overlapped ||= running > 1;
        began.push(Date.now() - t0);
        await sleep(30);
        running--;
        return began.length === 1 ? 10 : undefined;
      },
      { pollMs: 1000, onError: () => {} },
    );
    loop.start();
    loop.start();
    await until('three rounds', () => began.length === 3);
    await loop.stop();
    expect(overlapped).toBe(false);
    // The second 10 ms after the first round's 30 (the wait it named), the third pollMs after the second's end.
    expect(began[1]! - began[0]!).toBeGreaterThanOrEqual(38);
    expect(began[1]! - began[0]!).toBeLessThan(1000);
    expect(began[2]! - began[1]!).toBeGreaterThanOrEqual(1025);
  });

  it('a kick runs a round at once; during a round it is dropped, or runs one more right after with rerunAfterBusyKick', async () => {
    for (const rerun of [false, true]) {
      let rounds = 0;
      let release = () => {};
      const loop = new PollingLoop(
        async () => {
          rounds++;
          if (rounds === 2) await new Promise<void>((r) => (release = r));
        },
        { pollMs: 60_000, onError: () => {}, rerunAfterBusyKick: rerun },
      );
      loop.kick(); // not started: nothing
      await sleep(30);
      expect(rounds).toBe(0);
      loop.start();
      await until('the first round', () => rounds === 1 && !loop.busy);
      loop.kick();
      await until('the kicked round', () => rounds === 2);
      expect(loop.busy).toBe(true);
      loop.kick();
      release();
      if (rerun) await until('the round after the kick', () => rounds === 3);
      else {
        await until('the round to end', () => !loop.busy);
        await sleep(50);
        expect(rounds).toBe(2);
      }
      await loop.stop();
    }
  });

  it('reports a failed round and goes on; stop waits for the round in flight and ends the loop', async () => {
    const errors: unknown[] = [];
    let rounds = 0;
    let finished = false;
    const loop = new PollingLoop(
      async () => {
        rounds++;
        if (rounds === 1) throw new Error('database down');
        await sleep(50);
        finished = true;
      },
      { pollMs: 10, onError: (e) => errors.push(e) },
    );
    loop.start();
    await until('the second round', () => rounds === 2);
    await loop.stop();
    expect(finished).toBe(true);
    expect(loop.running).toBe(false);
    expect((errors[0] as Error).message).toBe('database down');
    await sleep(50);
    expect(rounds).toBe(2);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reapLeftovers, startChild } from './children';

const dir = mkdtempSync(join(tmpdir(), 'launcher-children-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('launcher children', () => {
  it('stops a child and its process group with a signal, logging its output', async () => {
    // A shell with a child of its own: both must go.
    const child = startChild('sh', '/bin/sh', ['-c', 'echo hello; sleep 60 & wait'], { cwd: dir, env: process.env, logFile: join(dir, 'sh.log') });
    await new Promise((r) => setTimeout(r, 300));
    expect(child.done).toBe(false);
    await child.stop(5_000);
    expect(child.done).toBe(true);
    expect(alive(child.pid)).toBe(false);
    expect(child.tail()).toContain('hello');
  });

  it('reaps what a killed launcher left behind, and only processes that still carry their marker', async () => {
    const marker = join(dir, 'temporal.db');
    const left = startChild('leftover', '/bin/sh', ['-c', `sleep 60 # ${marker}`], { cwd: dir, env: process.env, logFile: join(dir, 'left.log') });
    const other = startChild('other', '/bin/sh', ['-c', 'sleep 60'], { cwd: dir, env: process.env, logFile: join(dir, 'other.log') });
    await new Promise((r) => setTimeout(r, 200));
    // `other` is recorded under a marker its command line does not carry: a reused pid, left alone.
    const reaped = reapLeftovers([
      { name: 'temporal', pid: left.pid, marker },
      { name: 'worker-1', pid: other.pid, marker: 'worker/src/worker.ts' },
      { name: 'gone', pid: 999_999, marker },
    ]);
    expect(reaped).toEqual([`temporal (pid ${left.pid})`]);
    await left.exited;
    expect(alive(left.pid)).toBe(false);
    expect(alive(other.pid)).toBe(true);
    await other.stop(2_000);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_BUNDLE } from '../workflows-path';

// Histories recorded from real runs (RECORD_HISTORIES=1 npx vitest run --project worker src/workflows)
// are replayed against today's workflow code: a change that would break running leads fails here.
const dir = new URL('./histories/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('replay of recorded routeLead histories', () => {
  it('has the recorded scenarios to replay', () => {
    expect(files.sort()).toEqual(['accepted.json', 'nobody-eligible.json', 'rejected.json', 'sla-ladder.json', 'version-pinned.json']);
  });

  it('replays every history without a determinism violation', async () => {
    const histories = files.map((f) => {
      const { workflowId, history } = JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as { workflowId: string; history: string };
      return { workflowId, history: temporal.api.history.v1.History.decode(Buffer.from(history, 'base64')) };
    });
    const results: Array<{ workflowId: string; error?: unknown }> = [];
    for await (const r of Worker.runReplayHistories({ ...WORKFLOW_BUNDLE }, histories)) results.push(r);
    expect(results).toHaveLength(files.length);
    expect(results.filter((r) => r.error).map((r) => `${r.workflowId}: ${String(r.error)}`)).toEqual([]);
  }, 120_000);
});

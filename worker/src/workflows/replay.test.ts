import { readdirSync, readFileSync } from 'node:fs';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_BUNDLE } from '../workflows-path';

// Histories recorded from real runs (RECORD_HISTORIES=1 npx vitest run --project worker src/workflows)
// are replayed against today's workflow code: a change that would break running leads fails here.
// Histories made by earlier workflow code stay in a subfolder per change (named after its patch id), so the
// runs such code left open keep replaying after the change.
const dir = new URL('./histories/', import.meta.url);
const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
const SCENARIOS = ['accepted.json', 'nobody-eligible.json', 'rejected.json', 'sla-ladder.json', 'version-pinned.json'];
// Scenarios recorded since a patch was introduced have no history from the code before it.
const SINCE_RECORD_RUN_FAILURE = ['run-failed.json'];
// A wait with a business-hours SLA and reminders (issue #16, patch `business-sla`).
const SINCE_BUSINESS_SLA = ['business-sla.json'];

describe('replay of recorded routeLead histories', () => {
  it("has the recorded scenarios to replay, from today's code and from the code before each patch", () => {
    expect(files.filter((f) => !f.includes('/')).sort()).toEqual([...SCENARIOS, ...SINCE_RECORD_RUN_FAILURE, ...SINCE_BUSINESS_SLA].sort());
    expect(files.filter((f) => f.startsWith('before-in-app-notify-local/')).sort()).toEqual(SCENARIOS.map((f) => `before-in-app-notify-local/${f}`));
    // Issue 18: runs started before routes ran segment by segment (one local activity per effect).
    expect(files.filter((f) => f.startsWith('before-segment-activation/')).sort()).toEqual([...SCENARIOS, ...SINCE_RECORD_RUN_FAILURE].map((f) => `before-segment-activation/${f}`).sort());
    // Runs whose reminders reached the trace only when their wait ended (before patch `live-reminder-steps`).
    expect(files.filter((f) => f.startsWith('before-live-reminder-steps/'))).toEqual(SINCE_BUSINESS_SLA.map((f) => `before-live-reminder-steps/${f}`));
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

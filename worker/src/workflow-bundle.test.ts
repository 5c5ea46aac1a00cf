import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildWorkflowBundle } from './workflow-bundle';

afterEach(() => {
  vi.restoreAllMocks();
});

// Issue 13, item 11: the start-up console showed webpack's asset and module report of every worker.
describe('the workflow bundle', () => {
  it('builds without writing webpack’s report to the console', async () => {
    const written: string[] = [];
    const keep = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stderr, 'write').mockImplementation(keep);
    vi.spyOn(process.stdout, 'write').mockImplementation(keep);
    const { code } = await buildWorkflowBundle();
    vi.restoreAllMocks();
    expect(code.length).toBeGreaterThan(100_000);
    // Issue #16: holidays reach the workflow as plain dates; the package (megabytes of rules) never does.
    expect(code).not.toMatch(/date-holidays|getHolidays/);
    expect(written.join('')).not.toMatch(/asset workflow-bundle|modules by path|webpack .* compiled|Workflow bundle created/);
  }, 120_000);
});

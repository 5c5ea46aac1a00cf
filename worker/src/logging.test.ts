import { ApplicationFailure } from '@temporalio/common';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { BUSINESS_FAILURE } from './activities/types';
import { BUSINESS_OUTCOME, createWorkerLogger } from './logging';

// The worker's Runtime logger on its own: what reaches a log line, entry by entry.

const EMAIL = 'anastasia.quillfeather@acme-example.com';

function capture(level: 'DEBUG' | 'INFO' = 'DEBUG') {
  const lines: Array<Record<string, unknown>> = [];
  const raw: string[] = [];
  const logger = createWorkerLogger(level, (line) => {
    raw.push(line);
    lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return { logger, lines, raw };
}

const activity = { isLocal: true, attempt: 1, activityType: 'assign', workflowId: 'lead-6f1c1c4e-5d43-4b8e-9a51-0d3c1b1f2e10' };

describe('worker logger', () => {
  it('logs a business outcome at debug level as an outcome, not a warning "Activity failed"', () => {
    const { logger, lines } = capture();
    const outcome = ApplicationFailure.create({ type: BUSINESS_FAILURE, nonRetryable: true, message: 'Nobody in team-a is eligible', details: [{ assignee: null, lead: { email: EMAIL } }] });
    logger.warn('Activity failed', { ...activity, error: outcome, durationMs: 3 });
    expect(lines).toEqual([expect.objectContaining({ level: 'debug', msg: BUSINESS_OUTCOME, outcome: 'Nobody in team-a is eligible', activityType: 'assign', workflowId: activity.workflowId })]);
    expect(JSON.stringify(lines)).not.toContain(EMAIL);

    // At the usual level it is not printed at all; a real failure still is, as a warning.
    const info = capture('INFO');
    info.logger.warn('Activity failed', { ...activity, error: outcome });
    info.logger.warn('Activity failed', { ...activity, error: new Error('connection reset') });
    expect(info.lines.map((l) => [l.level, l.msg])).toEqual([['warn', 'Activity failed']]);
  });

  it('prints a database error without the query’s parameters', () => {
    const { logger, raw, lines } = capture();
    const driver = Object.assign(new Error('\\u0000 cannot be converted to text.'), { name: 'PostgresError', code: '22P05', detail: `Token for ${EMAIL}`, where: `JSON data, line 1: {"email":"${EMAIL}"` });
    const error = new DrizzleQueryError('insert into "trace_steps" ("input") values ($1)', [`{"email":"${EMAIL}","lastName":"Quillfeather"}`], driver);
    logger.warn('Activity failed', { ...activity, error });
    expect(raw.join('')).not.toContain(EMAIL);
    expect(raw.join('')).not.toContain('Quillfeather');
    const logged = lines[0]?.error as Record<string, unknown>;
    expect(logged.message).toBe('Failed query: insert into "trace_steps" ("input") values ($1) [parameters omitted]');
    expect(logged.cause).toMatchObject({ name: 'PostgresError', code: '22P05' });
  });

  it('bounds what any entry carries: lead data redacted, emails masked, long text cut', () => {
    const { logger, lines } = capture();
    logger.info(`Run for ${EMAIL}`, { leadId: 'x', lead: { email: EMAIL }, details: [1], note: 'y'.repeat(5_000), nested: { a: { b: { c: { d: 1 } } } } });
    const [line] = lines;
    expect(line?.msg).toBe('Run for <email>');
    expect(line?.lead).toBe('[redacted]');
    expect(line?.details).toBe('[redacted]');
    expect(String(line?.note).length).toBeLessThan(400);
    expect(line?.nested).toEqual({ a: { b: { c: '[object]' } } });
  });

  it('drops entries below its level before reading their metadata (the SDK logs every activity at debug)', () => {
    const lines: string[] = [];
    const logger = createWorkerLogger('WARN', (line) => void lines.push(line));
    let read = 0;
    const meta = {
      get activityType() {
        read++;
        return 'assign';
      },
    };
    logger.debug('Activity completed', meta);
    logger.info('Activity completed', meta);
    logger.warn('Activity failed', { ...activity, error: ApplicationFailure.create({ type: BUSINESS_FAILURE, nonRetryable: true, message: 'Nobody', details: [] }) });
    expect(read).toBe(0);
    expect(lines).toEqual([]);
    logger.warn('Worker lost its connection', meta);
    expect(read).toBeGreaterThan(0);
    expect(lines).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { compile, validateGraph } from '../index';
import { edge, end, graph, node, trigger } from '../test-graphs';

const enrich = (http: Record<string, unknown>) =>
  graph([trigger(), node('e', 'enrich', { provider: 'http', fields: ['employees'], http: { urlTemplate: 'https://enrich.example.com/c?domain={{domain}}', mapping: { employees: 'size' }, ...http } }, 'Clearbit'), end()], [edge('trigger', 'next', 'e'), edge('e', 'enriched', 'end'), edge('e', 'not_found', 'end')]);
const notify = (channel: string, url: string) => graph([trigger(), node('n', 'notify', { channel, url, message: 'New lead {{company}}' }, 'Tell sales'), end()], [edge('trigger', 'next', 'n'), edge('n', 'next', 'end')]);
const summary = (g: unknown, secretNames?: string[]) => validateGraph(g, { secretNames }).map((p) => [p.code, p.severity, p.nodeId, p.path]);

describe('secrets in outbound calls', () => {
  it('a header and a URL naming set secrets compile with nothing to say', () => {
    const g = enrich({ urlTemplate: 'https://enrich.example.com/c?domain={{domain}}&key={{secret.ENRICH_KEY}}', headers: { Authorization: 'Bearer {{secret.ENRICH_TOKEN}}' } });
    expect(summary(g, ['ENRICH_KEY', 'ENRICH_TOKEN'])).toEqual([]);
    expect(compile(notify('slack', '{{secret.SLACK_SALES}}'), { secretNames: ['SLACK_SALES'] }).ok).toBe(true);
  });

  it('a secret not set in the workspace is an error naming the step and where; without the names it is not checked', () => {
    const g = enrich({ headers: { 'X-Api-Key': '{{secret.ENRICH_KEY}}' } });
    expect(summary(g, ['OTHER'])).toEqual([['unknown_secret', 'error', 'e', 'config.http.headers.X-Api-Key']]);
    expect(validateGraph(g, { secretNames: [] })[0]!.message).toBe("'Clearbit' uses {{secret.ENRICH_KEY}}, which is not set in this workspace. Add it under Settings, Secrets, or correct the name.");
    expect(summary(g)).toEqual([]);
    expect(summary(notify('webhook', '{{secret.HOOK}}'), [])).toEqual([['unknown_secret', 'error', 'n', 'config.url']]);
  });

  it('a malformed name is an error whether or not the names are known', () => {
    expect(summary(enrich({ headers: { 'X-Api-Key': '{{secret.enrich_key}}' } }))).toEqual([['invalid_secret_reference', 'error', 'e', 'config.http.headers.X-Api-Key']]);
    expect(summary(notify('slack', '{{secret.}}'))).toEqual([['invalid_node', 'error', 'n', 'config.url']]);
  });

  it('credentials in plain text are warnings: the graph still compiles', () => {
    const g = enrich({ urlTemplate: 'https://enrich.example.com/c?domain={{domain}}&api_key=sk_live_123', headers: { Authorization: 'Bearer sk_live_abc', 'X-Api-Key': 'k1', Accept: 'application/json' } });
    expect(summary(g, [])).toEqual([
      ['plain_credential', 'warning', 'e', 'config.http.headers.Authorization'],
      ['plain_credential', 'warning', 'e', 'config.http.headers.X-Api-Key'],
      ['plain_credential', 'warning', 'e', 'config.http.urlTemplate'],
    ]);
    expect(compile(g).ok).toBe(true);
    const slack = validateGraph(notify('slack', 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX'));
    expect(slack.map((p) => [p.code, p.severity])).toEqual([['plain_credential', 'warning']]);
    expect(slack[0]!.message).toContain("'Tell sales' posts to a Slack webhook URL written in plain text");
    expect(summary(notify('webhook', 'https://user:hunter2@hooks.example.com/lead'))).toEqual([['plain_credential', 'warning', 'n', 'config.url']]);
    // Not credentials: a plain webhook URL, a query parameter filled from the lead, an ordinary header.
    expect(summary(notify('webhook', 'https://hooks.example.com/lead?source=router'))).toEqual([]);
    expect(summary(enrich({ urlTemplate: 'https://e.example.com/c?key={{domain}}', headers: { Accept: 'application/json' } }))).toEqual([]);
  });

  it('a notification URL is an http(s) URL, which may name secrets, or exactly one secret', () => {
    expect(summary(notify('webhook', 'ftp://example.com'))).toEqual([['invalid_node', 'error', 'n', 'config.url']]);
    expect(summary(notify('webhook', 'https://hooks.example.com/lead?token={{secret.HOOK_TOKEN}}'), ['HOOK_TOKEN'])).toEqual([]);
    expect(summary(notify('webhook', '{{secret.HOOK}} and more'))).toEqual([['invalid_node', 'error', 'n', 'config.url']]);
    expect(validateGraph(notify('webhook', 'not a url'))[0]!.message).toContain('must be an http(s) URL, or a secret that holds one: {{secret.NAME}}');
  });
});

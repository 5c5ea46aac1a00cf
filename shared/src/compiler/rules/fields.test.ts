import { describe, expect, it } from 'vitest';
import { validateGraph } from '../index';
import { edge, end, graph, node, trigger } from '../test-graphs';

/** trigger -> the node -> end, every outcome of the node connected. */
const around = (n: ReturnType<typeof node>, outcomes: string[]) =>
  graph([trigger(), n, end()], [edge('trigger', 'next', n.id), ...outcomes.map((o) => edge(n.id, o, 'end'))]);
const enrich = (config: Record<string, unknown>) => around(node('e', 'enrich', config, 'Enrich'), ['enriched', 'not_found']);
const update = (set: unknown[]) => around(node('u', 'update', { set }, 'Tag'), ['next']);
const notify = (config: Record<string, unknown>) => around(node('n', 'notify', config, 'Ping'), ['next']);
const summary = (g: unknown, options = {}) => validateGraph(g, options).map((p) => [p.code, p.nodeId, p.path]);

describe('fields rule', () => {
  it('reports unknown_field in enrich fields with a suggestion', () => {
    const problems = validateGraph(enrich({ provider: 'firmographics', fields: ['industry', 'employes'] }));
    expect(problems.map((p) => [p.code, p.nodeId, p.path])).toEqual([['unknown_field', 'e', 'config.fields.1']]);
    expect(problems[0]?.message).toContain("'Enrich' is set to fill 'employes', which is not a lead field. Did you mean 'employees'?");
  });

  it('suggests nothing when no field is close', () => {
    const problems = validateGraph(enrich({ provider: 'firmographics', fields: ['zzzzzzzz'] }));
    expect(problems[0]?.message).not.toContain('Did you mean');
  });

  it('refuses enrich filling system fields', () => {
    expect(summary(enrich({ provider: 'firmographics', fields: ['score'] }))).toEqual([['readonly_field', 'e', 'config.fields.0']]);
  });

  it('needs http settings for the http provider', () => {
    expect(summary(enrich({ provider: 'http', fields: ['industry'] }))).toEqual([['invalid_node', 'e', 'config.http']]);
  });

  it('checks the http URL template and mapping against the catalog', () => {
    const g = enrich({ provider: 'http', fields: ['industry'], http: { urlTemplate: 'https://x.test/?d={{domian}}', mapping: { industri: 'a.b' } } });
    expect(summary(g)).toEqual([
      ['unknown_field', 'e', 'config.http.mapping.industri'],
      ['template_unknown_field', 'e', 'config.http.urlTemplate'],
    ]);
  });

  it('reports unknown_field, readonly_field and location in update', () => {
    expect(summary(update([{ field: 'leadSorce', value: 'x' }, { field: 'owner', value: 'ana' }, { field: 'location', value: 'US' }]))).toEqual([
      ['unknown_field', 'u', 'config.set.0.field'],
      ['readonly_field', 'u', 'config.set.1.field'],
      ['readonly_field', 'u', 'config.set.2.field'],
    ]);
  });

  it('reports invalid_value when an update value does not fit the field type, and allows null', () => {
    const problems = validateGraph(
      update([
        { field: 'employees', value: 'many' },
        { field: 'leadSource', value: 5 },
        { field: 'createdAt', value: '2025-02-30x' },
        { field: 'createdAt', value: '2025-01-31' },
        { field: 'employees', value: null },
        { field: 'employees', value: 12 },
      ]),
    );
    expect(problems.map((p) => [p.code, p.nodeId, p.path])).toEqual([
      ['invalid_value', 'u', 'config.set.0.value'],
      ['invalid_value', 'u', 'config.set.1.value'],
      ['invalid_value', 'u', 'config.set.2.value'],
    ]);
    expect(problems[0]?.message).toContain("'Tag' sets 'Employees' to 'many', but it is a number field");
  });

  it('checks picklist and boolean custom fields', () => {
    const customFields = [
      { key: 'tier', label: 'Tier', type: 'picklist' as const, options: ['Gold', 'Silver'] },
      { key: 'vip', label: 'VIP', type: 'boolean' as const },
    ];
    const g = update([{ field: 'tier', value: 'gold' }, { field: 'tier', value: 'Silver' }, { field: 'vip', value: 'yes' }]);
    const problems = validateGraph(g, { customFields });
    expect(problems.map((p) => p.path)).toEqual(['config.set.0.value', 'config.set.2.value']);
    expect(problems[0]?.message).toContain("spelled 'Gold'");
  });

  it('reports unknown skillFromField on assign', () => {
    const g = around(node('a', 'assign', { strategy: { type: 'queue', queueId: 'q' }, eligibility: { skillFromField: 'langauge' } }), ['assigned', 'no_eligible_rep']);
    const problems = validateGraph(g);
    expect(problems.map((p) => [p.code, p.nodeId, p.path])).toEqual([['unknown_field', 'a', 'config.eligibility.skillFromField']]);
    expect(problems[0]?.message).toContain("Did you mean 'language'?");
  });

  it('reports template_unknown_field for each unknown token in subject and message', () => {
    const problems = validateGraph(notify({ channel: 'email', subject: 'Lead {{compnay}}', message: 'Hi {{firstName}} {{nope}} {{ nope }}' }));
    expect(problems.map((p) => [p.code, p.nodeId, p.path])).toEqual([
      ['template_unknown_field', 'n', 'config.message'],
      ['template_unknown_field', 'n', 'config.subject'],
    ]);
    expect(problems[1]?.message).toContain("The subject of 'Ping' uses {{compnay}}, which is not a lead field. Did you mean 'company'?");
  });

  it('needs a url for slack and webhook', () => {
    expect(summary(notify({ channel: 'slack', message: 'hi' }))).toEqual([['invalid_node', 'n', 'config.url']]);
    expect(summary(notify({ channel: 'webhook', message: 'hi' }))).toEqual([['invalid_node', 'n', 'config.url']]);
    expect(summary(notify({ channel: 'slack', message: 'hi', url: 'https://hooks.slack.test/x' }))).toEqual([]);
  });
});

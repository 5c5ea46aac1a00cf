import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeSlack, renderTemplate, templateFields } from './template';

describe('templates', () => {
  it('lists the fields a template names, once each, in order', () => {
    expect(templateFields('Hi {{firstName}} at {{ company }}, {{firstName}}!')).toEqual(['firstName', 'company']);
    expect(templateFields('no tokens')).toEqual([]);
  });

  it('fills tokens from the lead; missing fields render empty', () => {
    expect(renderTemplate('New lead {{firstName}} {{lastName}} at {{company}} ({{employees}})', { firstName: 'Ana', company: 'Acme', employees: 650 })).toBe(
      'New lead Ana  at Acme (650)',
    );
    expect(renderTemplate('{{a}}{{b}}', { a: '1', b: true })).toBe('1true');
    expect(renderTemplate('', {})).toBe('');
    expect(renderTemplate('{{ spaced }}!', { spaced: 'x' })).toBe('x!');
  });

  it('reads own fields only: {{constructor}} and friends render empty, not Object.prototype', () => {
    expect(renderTemplate('[{{constructor}}|{{toString}}|{{hasOwnProperty}}|{{valueOf}}]', { firstName: 'Ana' })).toBe('[|||]');
    expect(renderTemplate('{{constructor}}', { constructor: 'Bob the Builder' } as Record<string, string>)).toBe('Bob the Builder');
    expect(renderTemplate('{{firstName}}', Object.create({ firstName: 'inherited' }) as Record<string, string>)).toBe('');
  });

  it('leaves text that only looks like a token alone', () => {
    expect(renderTemplate('{{1abc}} {single} {{ }}', { x: 1 })).toBe('{{1abc}} {single} {{ }}');
  });

  it('escapes inserted lead data, never the template', () => {
    const lead = { company: '<script>alert("x")</script> & co' };
    expect(renderTemplate('<b>{{company}}</b>', lead, escapeHtml)).toBe('<b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co</b>');
    expect(renderTemplate('*{{company}}*', { company: '<!channel> & <@U123>' }, escapeSlack)).toBe('*&lt;!channel&gt; &amp; &lt;@U123&gt;*');
  });

  it('gives the same result from the cache as the first time', () => {
    const t = 'Lead {{firstName}}';
    expect(renderTemplate(t, { firstName: 'A' })).toBe('Lead A');
    expect(renderTemplate(t, { firstName: 'B' })).toBe('Lead B');
  });
});

import fc from 'fast-check';
import { quote } from './format';

describe('quote', () => {
  it('quotes exactly as JSON.stringify does, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(quote(s)).toBe(JSON.stringify(s));
      }),
      { numRuns: 2000 },
    );
    for (const s of ['', 'plain', 'a"b', 'back\\slash', 'line\nbreak', '\u0000', '\ud800', 'emoji 😀']) expect(quote(s)).toBe(JSON.stringify(s));
  });
});

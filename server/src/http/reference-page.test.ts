import { describe, expect, it } from 'vitest';
import { escapeHtml, groupOperations, renderReferencePage, renderSchema, type OpenApiDocument } from './reference-page';

const doc: OpenApiDocument = {
  openapi: '3.1.0',
  info: { title: 'Test <API>', version: '2', description: 'Uses `code`.' },
  paths: {
    '/api/things/{id}': {
      get: {
        tags: ['things'],
        summary: 'Read a thing',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: { description: 'The thing', content: { 'application/json': { schema: { $ref: '#/components/schemas/Group' } } } }, 404: { description: 'Not found' } },
      },
      delete: { summary: 'Untagged', responses: { 204: { description: 'Gone' } } },
    },
    '/api/hooks': {
      post: {
        tags: ['hooks'],
        parameters: [
          { name: 'X-Signature', in: 'header', required: false, schema: { type: 'string' } },
          { name: 'X-Timestamp', in: 'header', required: false, description: 'Unix seconds', schema: { type: 'string', description: 'Unix seconds' } },
        ],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['kind'],
                properties: {
                  kind: { type: 'string', enum: ['a', 'b'] },
                  count: { type: 'integer', minimum: 1, maximum: 10, default: 3 },
                  note: { type: ['string', 'null'], maxLength: 20, description: 'A <b>note</b>' },
                  node: {
                    oneOf: [
                      { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: ['trigger'] }, source: { type: 'string' } } },
                      { type: 'object', required: ['type'], properties: { type: { type: 'string', enum: ['end'] } } },
                    ],
                  },
                  value: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'null' }] },
                  tags: { type: 'array', items: { type: 'string' }, maxItems: 5 },
                },
              },
            },
          },
        },
        responses: { 202: { description: 'Accepted' } },
      },
    },
  },
  components: {
    schemas: {
      Group: { type: 'object', properties: { match: { type: 'string', enum: ['all', 'any'] }, conditions: { type: 'array', items: { anyOf: [{ type: 'string' }, { $ref: '#/components/schemas/Group' }] } } } },
    },
  },
};

describe('renderReferencePage', () => {
  const html = renderReferencePage(doc);

  it('escapes every text from the document', () => {
    expect(html).toContain('<title>Test &lt;API&gt;: reference</title>');
    expect(html).toContain('A &lt;b&gt;note&lt;/b&gt;');
    expect(html).not.toContain('<b>note</b>');
    expect(html).toContain('Uses <code>code</code>.');
  });

  it('groups operations by tag, untagged last under "other"', () => {
    const tags = [...html.matchAll(/<h2 class="tag" id="tag-([a-z]+)">/g)].map((m) => m[1]);
    expect(tags).toEqual(['hooks', 'things', 'other']);
    expect([...groupOperations(doc).keys()].sort()).toEqual(['hooks', 'other', 'things']);
    expect(html).toContain('<span class="method m-delete">DELETE</span> <span class="path">/api/things/{id}</span>');
  });

  it('writes schemas as nested lists with requiredness, constraints, unions and refs', () => {
    expect(html).toContain('<code>kind</code> <span class="req">required</span> <code>&quot;a&quot;</code> | <code>&quot;b&quot;</code>');
    expect(html).toContain('<code>count</code> <span class="opt">optional</span> <span class="type">integer</span> <span class="constraints">(&gt;= 1, &lt;= 10, default <code>3</code>)</span>');
    expect(html).toContain('<span class="type">string</span> <span class="type">or null</span> <span class="constraints">(0-20 chars)</span>');
    expect(html).toContain('<span class="variant">type = &quot;trigger&quot;</span>');
    expect(html).toContain('<span class="type">string</span> <span class="type">|</span> <span class="type">number</span> <span class="type">| null</span>');
    expect(html).toContain('<span class="type">array of</span> <span class="type">string</span> <span class="constraints">(0-5 items)</span>');
    // A recursive component is written once and linked, not expanded forever.
    expect(html).toContain('<a class="type" href="#schema-Group">Group</a>');
    expect(html).toContain('<section class="op" id="schema-Group"><h3>Group</h3>');
  });

  it('points the HMAC intro at the signature headers it finds', () => {
    expect(html).toContain('Headers: <code>X-Signature</code>, <code>X-Timestamp</code>; see <a href="#op-post-api-hooks">POST /api/hooks</a>.');
    // A description both the parameter and its schema carry is written once.
    expect(html.match(/Unix seconds/g)).toHaveLength(1);
  });

  it('has no scripts', () => {
    expect(html).not.toMatch(/<script/i);
  });
});

describe('renderSchema', () => {
  it('stops at a depth bound on pathological inline nesting', () => {
    let s: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 40; i++) s = { type: 'array', items: s };
    expect(renderSchema(s)).toContain('(nested further)');
  });

  it('renders an empty schema as any', () => {
    expect(renderSchema({})).toBe('<span class="type">any</span>');
    expect(escapeHtml(`<'&">`)).toBe('&lt;&#39;&amp;&quot;&gt;');
  });
});

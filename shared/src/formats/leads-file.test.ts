import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../fields/catalog';
import { normalizeLead } from '../fields/normalize-lead';
import { toCsv } from './csv';
import { detectLeadsFormat, headerToFieldKey, parseLeadsFile } from './leads-file';

const standard = buildCatalog();
const custom = buildCatalog([
  { key: 'arr', label: 'Annual recurring revenue', type: 'number' },
  { key: 'plan_tier', label: 'Plan', type: 'picklist', options: ['Free', 'Pro'] },
]);

describe('headerToFieldKey', () => {
  it('matches keys and labels ignoring case, spaces and punctuation', () => {
    const cases: [string, string][] = [
      ['First Name', 'firstName'],
      ['first_name', 'firstName'],
      ['FIRSTNAME', 'firstName'],
      ['Annual Revenue', 'annualRevenue'],
      ['annual-revenue', 'annualRevenue'],
      ['postal_code', 'postalCode'],
      ['Postal Code', 'postalCode'],
      ['Email', 'email'],
      ['Job Title', 'title'],
      ['State / Region', 'state'],
      ['Company domain', 'domain'],
      ['External id', 'id'],
      [' Employees ', 'employees'],
    ];
    for (const [header, key] of cases) expect(headerToFieldKey(header, standard)).toBe(key);
  });

  it('knows the usual CRM export names for standard fields', () => {
    const cases: [string, string][] = [
      ['Email Address', 'email'],
      ['Zip Code', 'postalCode'],
      ['ZIP', 'postalCode'],
      ['Company Name', 'company'],
      ['Mobile Phone', 'phone'],
      ['Number of Employees', 'employees'],
      ['Website URL', 'website'],
      ['Created Date', 'createdAt'],
    ];
    for (const [header, key] of cases) expect(headerToFieldKey(header, standard)).toBe(key);
  });

  it("matches a workspace's custom fields by key and by label", () => {
    expect(headerToFieldKey('Annual Recurring Revenue', custom)).toBe('arr');
    expect(headerToFieldKey('ARR', custom)).toBe('arr');
    expect(headerToFieldKey('plan tier', custom)).toBe('plan_tier');
    expect(headerToFieldKey('Plan', custom)).toBe('plan_tier');
  });

  it('turns unknown headers into camelCase custom keys', () => {
    const cases: [string, string][] = [
      ['UTM Campaign', 'utmCampaign'],
      ['utm_source', 'utmSource'],
      ['HubSpot ID', 'hubSpotId'],
      ['Lead Score (old)', 'leadScoreOld'],
      ['favouriteColour', 'favouriteColour'],
      ['2024 Budget', 'field2024Budget'],
      ['Größe', 'größe'],
      ['Constructor', 'constructorField'],
      ['__proto__', 'proto'],
      ['', ''],
      ['***', ''],
    ];
    for (const [header, key] of cases) expect(headerToFieldKey(header, standard)).toBe(key);
    expect(headerToFieldKey('word '.repeat(40), standard)).toHaveLength(64);
  });
});

describe('headerToFieldKey: CRM exports', () => {
  it("knows Salesforce's and HubSpot's labels and API names for standard fields", () => {
    const cases: [string, string][] = [
      ['No. of Employees', 'employees'],
      ['NumberOfEmployees', 'employees'],
      ['NUMBEROFEMPLOYEES', 'employees'],
      ['numemployees', 'employees'],
      ['State/Province', 'state'],
      ['State/Region', 'state'],
      ['Zip/Postal Code', 'postalCode'],
      ['Country/Region', 'country'],
      ['LeadSource', 'leadSource'],
      ['Original Source', 'leadSource'],
      ['Lead ID', 'id'],
      ['Record ID', 'id'],
      ['hs_object_id', 'id'],
      ['Create Date', 'createdAt'],
      ['Company / Account', 'company'],
    ];
    for (const [header, key] of cases) expect(headerToFieldKey(header, standard), header).toBe(key);
    // Columns no field holds stay custom fields here (the CLI keeps them); the CRM import ignores them.
    expect(headerToFieldKey('Lead Status', standard)).toBe('leadStatus');
  });
});

describe('detectLeadsFormat', () => {
  it('goes by the file name where it is unambiguous', () => {
    expect(detectLeadsFormat('leads.CSV', '[1]')).toBe('csv');
    expect(detectLeadsFormat('leads.tsv', 'a\tb')).toBe('csv');
    expect(detectLeadsFormat('leads.jsonl', '[]')).toBe('jsonl');
    expect(detectLeadsFormat('leads.ndjson', '{}')).toBe('jsonl');
  });

  it('looks at the content otherwise', () => {
    expect(detectLeadsFormat('leads.json', '  [{"email":"a@b.co"}]')).toBe('json');
    expect(detectLeadsFormat('leads.json', '{\n  "leads": []\n}')).toBe('json');
    expect(detectLeadsFormat('leads.json', '{"leads": []}')).toBe('json');
    expect(detectLeadsFormat('leads.json', '{"a":1}\n{"a":2}\n')).toBe('jsonl');
    expect(detectLeadsFormat('export.txt', '\ufeff{"a":1}\r\n{"a":2}')).toBe('jsonl');
    expect(detectLeadsFormat('export', '[]')).toBe('json');
    expect(detectLeadsFormat('export.txt', 'email,company\na@b.co,Acme')).toBe('csv');
    expect(detectLeadsFormat('broken.json', 'not json')).toBe('json');
    expect(detectLeadsFormat('', '')).toBe('csv');
  });
});

describe('parseLeadsFile: JSON', () => {
  it('reads an array of objects, numbering rows from 1', () => {
    expect(parseLeadsFile('[{"email":"a@b.co"},{"email":"c@d.co"}]', 'json')).toEqual({
      records: [
        { row: 1, data: { email: 'a@b.co' } },
        { row: 2, data: { email: 'c@d.co' } },
      ],
      problems: [],
    });
  });

  it('reads { "leads": [...] } and strips a byte-order mark', () => {
    expect(parseLeadsFile('\ufeff{"leads":[{"id":"L1"}]}', 'json').records).toEqual([{ row: 1, data: { id: 'L1' } }]);
  });

  it('reports items that are not objects and keeps the rest', () => {
    expect(parseLeadsFile('[{"a":1}, 2, null, ["x"], {"a":2}]', 'json')).toEqual({
      records: [
        { row: 1, data: { a: 1 } },
        { row: 5, data: { a: 2 } },
      ],
      problems: [
        { row: 2, message: 'lead 2 is not an object; got a number' },
        { row: 3, message: 'lead 3 is not an object; got null' },
        { row: 4, message: 'lead 4 is not an object; got a list' },
      ],
    });
  });

  it('reports a file that is not JSON or not a list', () => {
    const bad = parseLeadsFile('[{"a":1}', 'json');
    expect(bad.records).toEqual([]);
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0]?.row).toBe(0);
    expect(bad.problems[0]?.message).toMatch(/^the file is not valid JSON: /);
    expect(parseLeadsFile('{"email":"a@b.co"}', 'json').problems).toEqual([
      { row: 0, message: 'the file must hold a list of leads, or an object with a "leads" list' },
    ]);
  });
});

describe('parseLeadsFile: JSONL', () => {
  it('reads one object per line, skips blank lines and reports bad lines by line number', () => {
    const text = '{"id":"a"}\r\n\n  \n{"id":\n[1]\n{"id":"b"}\n';
    const r = parseLeadsFile(text, 'jsonl');
    expect(r.records).toEqual([
      { row: 1, data: { id: 'a' } },
      { row: 6, data: { id: 'b' } },
    ]);
    expect(r.problems.map((p) => p.row)).toEqual([4, 5]);
    expect(r.problems[0]?.message).toMatch(/^line 4 is not valid JSON: /);
    expect(r.problems[1]?.message).toBe('line 5 is not an object; got a list');
  });
});

describe('parseLeadsFile: CSV', () => {
  it('maps headers to field keys and numbers data rows from 1, leaving out empty cells', () => {
    const text = 'First Name,Email Address,Annual Revenue,UTM Campaign\r\nAda,ada@acme.com,"1,200",spring\r\nBob,,,\r\n';
    expect(parseLeadsFile(text, 'csv')).toEqual({
      records: [
        { row: 1, data: { firstName: 'Ada', email: 'ada@acme.com', annualRevenue: '1,200', utmCampaign: 'spring' } },
        { row: 2, data: { firstName: 'Bob' } },
      ],
      problems: [],
    });
  });

  it('uses the catalog it is given', () => {
    const r = parseLeadsFile('ARR,Plan\n100,pro\n', 'csv', { catalog: custom });
    expect(r.records).toEqual([{ row: 1, data: { arr: '100', plan_tier: 'pro' } }]);
  });

  it('skips ragged rows with a problem, keeping the numbering of the others', () => {
    const r = parseLeadsFile('email,company\na@b.co,Acme, Inc.\nc@d.co\ne@f.co,Globex\n', 'csv');
    expect(r.records).toEqual([{ row: 3, data: { email: 'e@f.co', company: 'Globex' } }]);
    expect(r.problems).toEqual([
      { row: 1, message: 'row 1 has 3 values but the header has 2 columns' },
      { row: 2, message: 'row 2 has 1 value but the header has 2 columns' },
    ]);
  });

  it('guesses semicolon and tab delimiters from the header line', () => {
    expect(parseLeadsFile('\ufeffemail;company\na@b.co;"Acme, Inc."\n', 'csv').records).toEqual([
      { row: 1, data: { email: 'a@b.co', company: 'Acme, Inc.' } },
    ]);
    expect(parseLeadsFile('email\tcompany\na@b.co\tAcme\n', 'csv').records).toEqual([
      { row: 1, data: { email: 'a@b.co', company: 'Acme' } },
    ]);
    expect(parseLeadsFile('"a;b",c\n1,2\n', 'csv').records).toEqual([{ row: 1, data: { aB: '1', c: '2' } }]);
    expect(parseLeadsFile('a;b\n1;2\n', 'csv', { delimiter: ',' }).records).toEqual([{ row: 1, data: { aB: '1;2' } }]);
  });

  it('reports two columns that fill the same field and ignores the second', () => {
    const r = parseLeadsFile('Email,E-mail,email_address\na@b.co,x@y.z,p@q.r\n', 'csv');
    expect(r.records).toEqual([{ row: 1, data: { email: 'a@b.co' } }]);
    expect(r.problems).toEqual([
      { row: 0, message: 'columns 1 ("Email") and 2 ("E-mail") both fill email; column 2 is ignored' },
      { row: 0, message: 'columns 1 ("Email") and 3 ("email_address") both fill email; column 3 is ignored' },
    ]);
  });

  it('names columns without a header by position', () => {
    expect(parseLeadsFile('email,\na@b.co,x\n', 'csv').records).toEqual([{ row: 1, data: { email: 'a@b.co', column2: 'x' } }]);
  });

  it('reports an empty file', () => {
    expect(parseLeadsFile('', 'csv')).toEqual({
      records: [],
      problems: [{ row: 0, message: 'the file is empty; a CSV file needs a header row naming its columns' }],
    });
  });

  it('gives records normalizeLead accepts with coerceStrings', () => {
    const text = toCsv([
      ['Email', 'Employees', 'Created At', 'Website', 'Score', 'Notes'],
      ['ada@gmail.com', '1,200', '2024-05-01', 'https://www.acme.com', '99', 'hot'],
    ]);
    const [record] = parseLeadsFile(text, 'csv').records;
    const r = normalizeLead(record?.data, standard, { coerceStrings: true });
    expect(r).toEqual({
      ok: true,
      lead: {
        email: 'ada@gmail.com',
        employees: 1200,
        createdAt: '2024-05-01',
        website: 'https://www.acme.com',
        notes: 'hot',
        domain: 'acme.com',
      },
      custom: ['notes'],
    });
  });

  it('never throws and numbers every record and problem within the file', () => {
    const text = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'E', ',', ';', '"', '\n', '\r', '{', '}', '[', ']', ':', ' '), maxLength: 60 }),
      fc.string({ maxLength: 60 }),
    );
    fc.assert(
      fc.property(text, fc.constantFrom('csv', 'json', 'jsonl') as fc.Arbitrary<'csv' | 'json' | 'jsonl'>, (t, format) => {
        const r = parseLeadsFile(t, format);
        const lines = t.split(/\r\n|\n|\r/).length;
        for (const x of [...r.records, ...r.problems]) {
          expect(x.row).toBeGreaterThanOrEqual(0);
          expect(x.row).toBeLessThanOrEqual(Math.max(lines, t.length));
        }
        const rows = r.records.map((x) => x.row);
        expect(new Set(rows).size).toBe(rows.length);
      }),
      { numRuns: 500 },
    );
  });
});

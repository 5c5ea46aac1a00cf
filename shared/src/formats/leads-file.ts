import { buildCatalog, type FieldCatalog } from '../fields/catalog';
import { CRM_FIELD_NAMES } from '../fields/crm-names';
import { parseCsv } from './csv';

/** The file formats leads can be uploaded in. */
export type LeadsFormat = 'csv' | 'json' | 'jsonl';

/** One lead read from a file: its 1-based data row (JSONL: its line) and the raw data, not yet validated. */
export interface LeadRecord {
  row: number;
  data: unknown;
}

/** Something wrong in a leads file; `row` as in LeadRecord, 0 for the file as a whole or the CSV header. */
export interface LeadsFileProblem {
  row: number;
  message: string;
}

/** What parseLeadsFile read: the records it could, and a problem for each part it could not. */
export interface ParsedLeadsFile {
  records: LeadRecord[];
  problems: LeadsFileProblem[];
}

/** Options of parseLeadsFile. */
export interface ParseLeadsFileOptions {
  /** The catalog CSV headers are matched against; the standard fields when absent. */
  catalog?: FieldCatalog;
  /** The CSV delimiter; guessed from the header line (comma, semicolon or tab) when absent. */
  delimiter?: string;
}

/**
 * Guesses a leads file's format: .csv/.tsv and .jsonl/.ndjson by name; otherwise by content (`[` is JSON,
 * one object per line is JSONL, another `{` is JSON), then .json by name, then CSV.
 */
export function detectLeadsFormat(fileName: string, text: string): LeadsFormat {
  const ext = /\.([a-z0-9]+)$/i.exec(fileName.trim())?.[1]?.toLowerCase();
  if (ext === 'csv' || ext === 'tsv') return 'csv';
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl';
  const body = stripBom(text).trimStart();
  if (body.startsWith('[')) return 'json';
  if (body.startsWith('{')) return looksLikeJsonl(body) ? 'jsonl' : 'json';
  return ext === 'json' ? 'json' : 'csv';
}

// JSONL when the first line is a complete object by itself and more content follows it.
function looksLikeJsonl(body: string): boolean {
  const nl = body.indexOf('\n');
  if (nl < 0) return false;
  if (body.slice(nl + 1).trim() === '') return false;
  try {
    const first: unknown = JSON.parse(body.slice(0, nl));
    return typeof first === 'object' && first !== null && !Array.isArray(first);
  } catch {
    return false;
  }
}

/**
 * Reads leads from a file's text. JSON: an array of objects or `{ "leads": [...] }`. JSONL: one object per
 * line, blank lines skipped. CSV: a header row whose names are matched to field keys (headerToFieldKey),
 * empty cells left out, every value a string (normalise with `coerceStrings`). Whatever cannot be read is a
 * problem and the rest is still read. Callers use `row` as the lead id of records that have no `id`.
 */
export function parseLeadsFile(text: string, format: LeadsFormat, options?: ParseLeadsFileOptions): ParsedLeadsFile {
  const body = stripBom(text);
  switch (format) {
    case 'json':
      return parseJson(body);
    case 'jsonl':
      return parseJsonl(body);
    case 'csv':
      return parseCsvLeads(body, options?.catalog ?? buildCatalog(), options?.delimiter);
  }
}

function parseJson(text: string): ParsedLeadsFile {
  const records: LeadRecord[] = [];
  const problems: LeadsFileProblem[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    problems.push({ row: 0, message: `the file is not valid JSON: ${errorText(e)}` });
    return { records, problems };
  }
  const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.leads) ? doc.leads : undefined;
  if (list === undefined) {
    problems.push({ row: 0, message: 'the file must hold a list of leads, or an object with a "leads" list' });
    return { records, problems };
  }
  list.forEach((item: unknown, i: number) => {
    if (isObject(item)) records.push({ row: i + 1, data: item });
    else problems.push({ row: i + 1, message: `lead ${i + 1} is not an object; got ${kind(item)}` });
  });
  return { records, problems };
}

function parseJsonl(text: string): ParsedLeadsFile {
  const records: LeadRecord[] = [];
  const problems: LeadsFileProblem[] = [];
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const row = i + 1;
    let item: unknown;
    try {
      item = JSON.parse(line);
    } catch (e) {
      problems.push({ row, message: `line ${row} is not valid JSON: ${errorText(e)}` });
      return;
    }
    if (isObject(item)) records.push({ row, data: item });
    else problems.push({ row, message: `line ${row} is not an object; got ${kind(item)}` });
  });
  return { records, problems };
}

function parseCsvLeads(text: string, catalog: FieldCatalog, delimiter: string | undefined): ParsedLeadsFile {
  const records: LeadRecord[] = [];
  const csv = parseCsv(text, { delimiter: delimiter ?? guessDelimiter(text) });
  const problems: LeadsFileProblem[] = [...csv.problems];
  if (csv.header.length === 0) {
    problems.push({ row: 0, message: 'the file is empty; a CSV file needs a header row naming its columns' });
    return { records, problems };
  }
  // Which column fills which key; a column that repeats an earlier column's key is left out.
  const keys: (string | undefined)[] = [];
  const seen = new Map<string, number>();
  csv.header.forEach((name, c) => {
    const key = headerToFieldKey(name, catalog) || `column${c + 1}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({
        row: 0,
        message: `columns ${first + 1} (${JSON.stringify(csv.header[first])}) and ${c + 1} (${JSON.stringify(name)}) both fill ${key}; column ${c + 1} is ignored`,
      });
      keys.push(undefined);
      return;
    }
    seen.set(key, c);
    keys.push(key);
  });
  csv.rows.forEach((cells, i) => {
    // A row with too few or too many cells has its values in the wrong columns: reported by parseCsv, not guessed at.
    if (cells.length !== keys.length) return;
    const data: Record<string, string> = {};
    cells.forEach((value, c) => {
      const key = keys[c];
      if (key !== undefined && value !== '') data[key] = value;
    });
    records.push({ row: i + 1, data });
  });
  problems.sort((a, b) => a.row - b.row);
  return { records, problems };
}

/** The delimiter that occurs most often, outside quotes, on the header line: comma, semicolon (Excel in many locales) or tab; comma when none does. */
export function guessDelimiter(text: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && counts.has(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > (counts.get(best) ?? 0)) best = d;
  return best;
}

// Names CRM exports use for standard fields that are neither the field's key nor its label.
const HEADER_ALIASES: ReadonlyMap<string, string> = new Map([
  ['emailaddress', 'email'],
  ['workemail', 'email'],
  ['businessemail', 'email'],
  ['first', 'firstName'],
  ['givenname', 'firstName'],
  ['last', 'lastName'],
  ['surname', 'lastName'],
  ['familyname', 'lastName'],
  ['phonenumber', 'phone'],
  ['mobile', 'phone'],
  ['mobilephone', 'phone'],
  ['jobtitle', 'title'],
  ['companyname', 'company'],
  ['organization', 'company'],
  ['organisation', 'company'],
  ['url', 'website'],
  ['websiteurl', 'website'],
  ['companywebsite', 'website'],
  ['province', 'state'],
  ['region', 'state'],
  ['zip', 'postalCode'],
  ['zipcode', 'postalCode'],
  ['postcode', 'postalCode'],
  ['numberofemployees', 'employees'],
  ['employeecount', 'employees'],
  ['revenue', 'annualRevenue'],
  ['source', 'leadSource'],
  ['createddate', 'createdAt'],
]);

// Per catalog: squashed key, label, alias or CRM column name -> key. Catalogs are immutable once built, so this is safe to cache.
const lookups = new WeakMap<FieldCatalog, Map<string, string>>();

function lookupFor(catalog: FieldCatalog): Map<string, string> {
  let lookup = lookups.get(catalog);
  if (lookup) return lookup;
  lookup = new Map();
  // Keys win over labels, labels over aliases: a workspace's own names come before our guesses.
  for (const def of catalog.fields.values()) lookup.set(squash(def.key), def.key);
  for (const def of catalog.fields.values()) if (!lookup.has(squash(def.label))) lookup.set(squash(def.label), def.key);
  for (const [alias, key] of HEADER_ALIASES) if (!lookup.has(alias) && catalog.fields.has(key)) lookup.set(alias, key);
  // Then Salesforce's and HubSpot's labels and API names ("No. of Employees", NumberOfEmployees, numemployees).
  for (const [name, key] of CRM_FIELD_NAMES) if (!lookup.has(name) && catalog.fields.has(key)) lookup.set(name, key);
  lookups.set(catalog, lookup);
  return lookup;
}

function squash(s: string): string {
  return s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * The field key a CSV column fills: a catalog field whose key or label matches ignoring case, spaces and
 * punctuation ("First Name" -> firstName, "postal_code" -> postalCode), else the header in camelCase as a
 * custom key ("UTM Campaign" -> utmCampaign). '' when the header has no letters or digits.
 */
export function headerToFieldKey(header: string, catalog: FieldCatalog): string {
  const known = lookupFor(catalog).get(squash(header));
  if (known !== undefined) return known;
  return camelCase(header);
}

function camelCase(header: string): string {
  const words = header.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
  let key = words
    .map((w, i) => {
      // An all-capitals word is an acronym: "UTM" reads as "Utm" inside a key, "utm" at its start.
      const word = w === w.toUpperCase() ? w.toLowerCase() : w;
      const head = i === 0 ? (word[0] ?? '').toLowerCase() : (word[0] ?? '').toUpperCase();
      return head + word.slice(1);
    })
    .join('');
  if (key === '') return '';
  // Field keys start with a letter; "2024 budget" becomes field2024Budget.
  if (!/^\p{L}/u.test(key)) key = `field${key[0]?.toUpperCase() ?? ''}${key.slice(1)}`;
  // Cut by code point, so an emoji at the limit is not split into a lone surrogate.
  key = Array.from(key).slice(0, 64).join('');
  // normalizeLead refuses these names; a column called "Constructor" should not sink every row.
  if (key === 'constructor' || key === 'prototype') key = `${key}Field`;
  return key;
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return 'text';
  return `a ${typeof v}`;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

import { hostOf, parseCsv } from '@lead-router/shared';
import { eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Principal } from '../auth/principal';
import type { Db, Tx } from '@lead-router/db/client';
import { accounts, companies, reps } from '@lead-router/db/schema';
import { DomainError } from '../errors/domain-error';
import { audit } from './audit.service';
import { companyColumns } from '@lead-router/db/directory-rows';
import { upsertCompanyRows } from './directory-companies.service';
import { AccountBodySchema, CompanyBodySchema, normalizeDomains } from './directory-inputs';
import { DIRECTORY_LIMITS, assertRepsExist, assertWithinLimit, lockKind, type RepRef } from './directory-entity';

// CSV imports of accounts and of the firmographics table. All or nothing: every row is checked first, and
// one bad row means nothing is written and every problem of every row is answered at once, so a RevOps
// person fixes the file in one go instead of one error per upload.

/** The largest CSV body an import takes. */
export const IMPORT_MAX_BYTES = 5 * 1024 * 1024;

/** How many problems a failed import lists; the message still counts them all. */
export const IMPORT_MAX_PROBLEMS = 1000;

/** One problem of an import: the data row (1-based; the header is row 0), the column as the file names it, what is wrong. */
export interface ImportProblem {
  row: number;
  column: string | null;
  message: string;
  /** `rows.<row>.<column>`, in the shape every other error detail has. */
  path: string;
}

/** What an import wrote. */
export interface ImportResult {
  created: number;
  updated: number;
}

interface ColumnSpec {
  /** The column's name in messages and the key the row's value is read by. */
  name: string;
  required: boolean;
  /** Other names a spreadsheet may give it. */
  aliases?: string[];
}

// Header cells match whatever the case, spaces, dashes or underscores: "Annual Revenue" is annualRevenue.
const squash = (s: string) => s.trim().toLowerCase().replace(/[^a-z0-9]/g, '');

class Problems {
  readonly list: ImportProblem[] = [];
  add(row: number, column: string | null, message: string): void {
    this.list.push({ row, column, message, path: column === null ? `rows.${row}` : `rows.${row}.${column}` });
  }
  /** The `invalid_import` error answering every problem (the first IMPORT_MAX_PROBLEMS of them), sorted by row. */
  fail(what: string): never {
    const all = [...this.list].sort((a, b) => a.row - b.row);
    const rows = new Set(all.map((p) => p.row)).size;
    const header = all.some((p) => p.row === 0);
    throw new DomainError(
      'invalid_import',
      `The ${what} file has ${all.length} ${all.length === 1 ? 'problem' : 'problems'}${header ? '' : ` in ${rows} ${rows === 1 ? 'row' : 'rows'}`}; nothing was imported. ` +
        `Rows are counted from 1 at the first line after the header.${all.length > IMPORT_MAX_PROBLEMS ? ` The first ${IMPORT_MAX_PROBLEMS} are listed.` : ''}`,
      all.slice(0, IMPORT_MAX_PROBLEMS),
    );
  }
}

interface Table {
  /** Each data row's cells by column name ('' for an absent optional column), with its 1-based row number. */
  rows: Array<{ row: number; cell: (name: string) => string }>;
  /** The file's own header text of a column, for messages. */
  headerOf: (name: string) => string;
  delimiter: string;
}

/**
 * The delimiter the header line uses: a comma unless the line has none but has semicolons or tabs (what
 * spreadsheets in many European locales, or a tab-separated export, write).
 */
function sniffDelimiter(text: string): string {
  const end = text.search(/[\r\n]/);
  const header = end < 0 ? text : text.slice(0, end);
  if (header.includes(',')) return ',';
  if (header.includes(';')) return ';';
  if (header.includes('\t')) return '\t';
  return ',';
}

/** Reads a CSV text against the expected columns; header problems stop here, as rows cannot be read without them. */
function readTable(text: string, columns: readonly ColumnSpec[], problems: Problems, maxRows: number): Table | null {
  const delimiter = sniffDelimiter(text);
  const parsed = parseCsv(text, { delimiter });
  const expected = columns.map((c) => c.name).join(', ');
  if (parsed.header.length === 0 || parsed.header.every((h) => h.trim() === '')) {
    problems.add(0, null, `the file is empty; its first line must name the columns (${expected})`);
    return null;
  }
  const byName = new Map<string, ColumnSpec>();
  for (const c of columns) for (const n of [c.name, ...(c.aliases ?? [])]) byName.set(squash(n), c);
  const index = new Map<string, number>();
  const header = new Map<string, string>();
  parsed.header.forEach((h, i) => {
    const spec = byName.get(squash(h));
    if (!spec) problems.add(0, h, `unknown column "${h}"; the columns are ${expected}`);
    else if (index.has(spec.name)) problems.add(0, h, `the column ${spec.name} appears twice`);
    else {
      index.set(spec.name, i);
      header.set(spec.name, h);
    }
  });
  for (const c of columns) if (c.required && !index.has(c.name)) problems.add(0, c.name, `the column ${c.name} is missing`);
  if (parsed.rows.length > maxRows) problems.add(0, null, `the file has ${parsed.rows.length} rows; at most ${maxRows} can be imported`);
  if (problems.list.length > 0) return null;
  for (const p of parsed.problems) problems.add(p.row, null, p.message);
  return {
    rows: parsed.rows.map((cells, i) => ({
      row: i + 1,
      cell: (name: string) => {
        const at = index.get(name);
        return at === undefined ? '' : (cells[at] ?? '').trim();
      },
    })),
    headerOf: (name) => header.get(name) ?? name,
    delimiter,
  };
}

/** Adds each zod issue of a row, under the column its first path segment belongs to. */
function addIssues(problems: Problems, row: number, error: z.ZodError, columnOf: (key: string) => string): void {
  for (const issue of error.issues) {
    const key = issue.path[0] === undefined ? null : String(issue.path[0]);
    const rest = issue.path.slice(1);
    const where = rest.length > 0 && typeof rest[0] === 'number' ? `item ${rest[0] + 1}: ` : '';
    problems.add(row, key === null ? null : columnOf(key), `${where}${issue.message}`);
  }
}

const splitList = (s: string, separators: RegExp) => (s === '' ? [] : s.split(separators).filter((x) => x !== ''));

/** Flags a key already seen on an earlier row. */
function checkUnique(seen: Map<string, number>, key: string, row: number, column: string, what: string, problems: Problems): void {
  const first = seen.get(key);
  if (first !== undefined) problems.add(row, column, `${what} "${key}" is already on row ${first}`);
  else seen.set(key, row);
}

// ---- Accounts --------------------------------------------------------------------------------------------

const ACCOUNT_COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', required: true, aliases: ['account id'] },
  { name: 'name', required: true, aliases: ['account name'] },
  { name: 'domains', required: false, aliases: ['domain'] },
  { name: 'owner', required: false, aliases: ['owner id', 'owner email', 'ownerId'] },
];

/**
 * Imports accounts from CSV (columns id, name, domains separated by `;` or spaces, owner as a rep id or
 * email). Every row is validated first; any problem is an `invalid_import` listing them all and nothing is written.
 * Otherwise all rows are upserted by id in one transaction.
 */
export async function importAccountsCsv(db: Db, p: Principal, text: string): Promise<ImportResult> {
  const ws = p.workspaceId;
  return db.transaction(async (tx) => {
    await lockKind(tx, ws, 'account');
    const problems = new Problems();
    const table = readTable(text, ACCOUNT_COLUMNS, problems, DIRECTORY_LIMITS.account);
    if (!table) return problems.fail('accounts');
    const repRows = await tx.select({ id: reps.id, email: reps.email }).from(reps).where(eq(reps.workspaceId, ws));
    const repIds = new Set(repRows.map((r) => r.id));
    const byEmail = new Map<string, string[]>();
    for (const r of repRows) {
      const key = r.email.trim().toLowerCase();
      byEmail.set(key, [...(byEmail.get(key) ?? []), r.id]);
    }
    const columnOf = (key: string) => table.headerOf(key === 'ownerId' ? 'owner' : key);
    const seen = new Map<string, number>();
    const rows: Array<{ id: string; name: string; domains: string[]; ownerId: string | null }> = [];
    const ownerRefs: RepRef[] = [];
    for (const { row, cell } of table.rows) {
      let ownerId: string | null = null;
      const owner = cell('owner');
      if (owner !== '') {
        const matches = repIds.has(owner) ? [owner] : (byEmail.get(owner.toLowerCase()) ?? []);
        if (matches.length === 1) ownerId = matches[0] as string;
        else if (matches.length > 1) problems.add(row, columnOf('owner'), `${matches.length} reps have the email ${owner} (${matches.join(', ')}); give the rep id instead`);
        else problems.add(row, columnOf('owner'), `"${owner}" is neither the id nor the email of a rep in this workspace`);
      }
      const parsed = AccountBodySchema.safeParse({ id: cell('id'), name: cell('name'), domains: splitList(cell('domains'), /[;,\s]+/), ownerId });
      if (!parsed.success) {
        addIssues(problems, row, parsed.error, columnOf);
        continue;
      }
      checkUnique(seen, parsed.data.id, row, columnOf('id'), 'the id', problems);
      if (ownerId !== null) ownerRefs.push({ path: `rows.${row}.owner`, repId: ownerId });
      rows.push({ id: parsed.data.id, name: parsed.data.name, domains: normalizeDomains(parsed.data.domains), ownerId });
    }
    if (problems.list.length > 0) return problems.fail('accounts');
    const result = await upsertAccountRows(tx, ws, rows);
    // Locks the owners (after the accounts: entries before reps, the order every writer keeps), so none is
    // deleted before this transaction commits.
    await assertRepsExist(tx, ws, ownerRefs);
    await assertWithinLimit(tx, ws, 'account', await tx.$count(accounts, eq(accounts.workspaceId, ws)));
    await audit(tx, p, ws, 'account.import', { type: 'account' }, { ...result, rows: rows.length });
    return result;
  });
}

async function upsertAccountRows(tx: Tx, workspaceId: string, rows: ReadonlyArray<{ id: string; name: string; domains: string[]; ownerId: string | null }>): Promise<ImportResult> {
  let created = 0;
  for (let i = 0; i < rows.length; i += 1000) {
    const result = await tx
      .insert(accounts)
      .values(rows.slice(i, i + 1000).map((r) => ({ workspaceId, ...r })))
      .onConflictDoUpdate({
        target: [accounts.workspaceId, accounts.id],
        set: { name: sql`excluded.name`, domains: sql`excluded.domains`, ownerId: sql`excluded.owner_id` },
      })
      // xmax is 0 on a row this statement inserted and set on one it updated.
      .returning({ created: sql<boolean>`(xmax = 0)` });
    created += result.filter((r) => r.created).length;
  }
  return { created, updated: rows.length - created };
}

// ---- Companies -------------------------------------------------------------------------------------------

const COMPANY_COLUMNS: readonly ColumnSpec[] = [
  { name: 'domain', required: true },
  { name: 'name', required: false, aliases: ['company name', 'company'] },
  { name: 'employees', required: false, aliases: ['employee count', 'number of employees'] },
  { name: 'annualRevenue', required: false, aliases: ['revenue'] },
  { name: 'industry', required: false },
  { name: 'country', required: false },
  { name: 'technologies', required: false, aliases: ['tech', 'tech stack'] },
];

/**
 * A number cell: '' is unknown; thousands separators are allowed ("1,200"); anything else not a number is a
 * problem. In a semicolon-separated file (a European spreadsheet's export) the comma is the decimal mark
 * and dots separate thousands ("1.200,5").
 */
function numberCell(s: string, row: number, column: string, problems: Problems, decimalComma: boolean): number | undefined {
  if (s === '') return undefined;
  const cleaned = decimalComma ? s.replace(/[._\s]/g, '').replace(',', '.') : s.replace(/[,_\s]/g, '');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(cleaned)) {
    problems.add(row, column, `"${s}" is not a number`);
    return undefined;
  }
  return Number(cleaned);
}

/**
 * Imports the firmographics table from CSV (domain, name, employees, annualRevenue, industry, country,
 * technologies separated by `;` or `,`). All or nothing, as for accounts; a row replaces the stored row of
 * its domain whole (an empty cell is unknown).
 */
export async function importCompaniesCsv(db: Db, p: Principal, text: string): Promise<ImportResult> {
  const ws = p.workspaceId;
  return db.transaction(async (tx) => {
    await lockKind(tx, ws, 'company');
    const problems = new Problems();
    const table = readTable(text, COMPANY_COLUMNS, problems, DIRECTORY_LIMITS.company);
    if (!table) return problems.fail('companies');
    const seen = new Map<string, number>();
    const rows: Array<{ domain: string } & ReturnType<typeof companyColumns>> = [];
    for (const { row, cell } of table.rows) {
      const before = problems.list.length;
      const rawDomain = cell('domain');
      const domain = hostOf(rawDomain);
      if (rawDomain === '') problems.add(row, table.headerOf('domain'), 'the domain is missing');
      else if (domain === undefined) problems.add(row, table.headerOf('domain'), `"${rawDomain}" is not a domain name such as acme.com`);
      else checkUnique(seen, domain, row, table.headerOf('domain'), 'the domain', problems);
      const body = {
        name: cell('name') || undefined,
        employees: numberCell(cell('employees'), row, table.headerOf('employees'), problems, table.delimiter === ';'),
        annualRevenue: numberCell(cell('annualRevenue'), row, table.headerOf('annualRevenue'), problems, table.delimiter === ';'),
        industry: cell('industry') || undefined,
        country: cell('country') || undefined,
        technologies: cell('technologies') === '' ? undefined : splitList(cell('technologies'), /\s*[;,]\s*/),
      };
      const parsed = CompanyBodySchema.safeParse(body);
      if (!parsed.success) addIssues(problems, row, parsed.error, (key) => table.headerOf(key));
      else if (domain !== undefined && problems.list.length === before) rows.push({ domain, ...companyColumns(parsed.data) });
    }
    if (problems.list.length > 0) return problems.fail('companies');
    const result = await upsertCompanyRows(tx, ws, rows);
    await assertWithinLimit(tx, ws, 'company', await tx.$count(companies, eq(companies.workspaceId, ws)));
    await audit(tx, p, ws, 'company.import', { type: 'company' }, { ...result, rows: rows.length });
    return result;
  });
}

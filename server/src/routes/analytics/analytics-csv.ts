import { toCsv, type CsvCell } from '@lead-router/shared';
import type { z } from '@hono/zod-openapi';
import { invalidInput } from '../../errors/domain-error';

// A cell someone opens in a spreadsheet must never run as a formula: text starting with = + - @ (or a tab or
// carriage return) gets a leading apostrophe. Numbers are ours and stay numbers (a negative deviation is -3.5).
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(v: unknown): CsvCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  // A figure's leads: the lead list's query string, ready for GET /api/leads?...
  const text = typeof v === 'object' ? new URLSearchParams(Object.entries(v as Record<string, string>)).toString() : String(v);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One table of a section as CSV: the columns of its row schema (so an empty table still has its header), in
 * order; a lead filter becomes the lead list's query string. Unknown table names are refused, naming the field.
 */
export function sectionCsv(tables: Record<string, z.ZodObject>, answer: Record<string, unknown>, table: string | undefined): { name: string; csv: string } {
  const names = Object.keys(tables);
  const name = table ?? names[0]!;
  const schema = tables[name];
  if (!schema) throw invalidInput([{ path: 'table', message: `must be one of ${names.join(', ')}` }], 'query parameters');
  const columns = Object.keys(schema.shape);
  const rows = (answer[name] as Array<Record<string, unknown>> | undefined) ?? [];
  return { name, csv: toCsv([columns, ...rows.map((r) => columns.map((c) => cell(r[c])))]) };
}

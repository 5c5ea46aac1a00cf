/** A cell value toCsv writes: null as an empty cell, numbers and booleans as their text. */
export type CsvCell = string | number | boolean | null;

/** Something wrong in a CSV text; `row` is the 1-based data row (the header is row 0). */
export interface CsvProblem {
  row: number;
  message: string;
}

/** Something wrong the stream parser found; `record` is 1-based and counts the header record too. */
export interface CsvStreamProblem {
  record: number;
  message: string;
}

/** Options of the CSV reader and writer. */
export interface CsvOptions {
  /** One character other than a quote, CR or LF; default ",". */
  delimiter?: string;
}

/** A whole CSV text, split into its header and data rows. */
export interface ParsedCsv {
  header: string[];
  rows: string[][];
  problems: CsvProblem[];
}

type State = 'start' | 'unquoted' | 'quoted' | 'closing';

/**
 * An incremental RFC 4180 reader, so a browser can read a large file chunk by chunk and show progress.
 * Accepts CRLF, LF and lone CR line ends, quoted fields with "" escapes and embedded line breaks, and a
 * leading byte-order mark; skips empty lines. Lenient where files in the wild are sloppy (a stray quote
 * inside an unquoted field is kept as text) and reports in `problems` what it had to guess.
 */
export class CsvStreamParser {
  /** What the parser had to guess at, so far. */
  readonly problems: CsvStreamProblem[] = [];
  private readonly delimiter: string;
  private state: State = 'start';
  private field = '';
  private fieldQuoted = false;
  private record: string[] = [];
  private emitted = 0;
  private atStart = true;
  private skipLf = false;
  private ended = false;

  constructor(options?: CsvOptions) {
    this.delimiter = checkDelimiter(options?.delimiter);
  }

  /** Feeds the next piece of text; returns the records it completed. */
  push(chunk: string): string[][] {
    if (this.ended) throw new Error('CsvStreamParser: push() after end()');
    const out: string[][] = [];
    const n = chunk.length;
    let i = 0;
    if (n === 0) return out;
    if (this.atStart) {
      this.atStart = false;
      if (chunk.charCodeAt(0) === 0xfeff) i = 1;
    }
    if (this.skipLf) {
      // The previous chunk ended in CR: an LF right here belongs to the same line break.
      this.skipLf = false;
      if (i < n && chunk.charCodeAt(i) === 10) i++;
    }
    const d = this.delimiter;
    while (i < n) {
      switch (this.state) {
        case 'start': {
          if (chunk.charCodeAt(i) === 34) {
            this.state = 'quoted';
            this.fieldQuoted = true;
            i++;
          } else this.state = 'unquoted';
          break;
        }
        case 'unquoted': {
          let j = i;
          while (j < n) {
            const c = chunk[j];
            if (c === d || c === '\n' || c === '\r') break;
            j++;
          }
          this.field += chunk.slice(i, j);
          i = this.afterField(chunk, j, out);
          break;
        }
        case 'quoted': {
          const j = chunk.indexOf('"', i);
          if (j < 0) {
            this.field += chunk.slice(i);
            i = n;
          } else {
            this.field += chunk.slice(i, j);
            this.state = 'closing';
            i = j + 1;
          }
          break;
        }
        case 'closing': {
          const c = chunk[i];
          if (c === '"') {
            this.field += '"';
            this.state = 'quoted';
            i++;
          } else if (c === d || c === '\n' || c === '\r') {
            i = this.afterField(chunk, i, out);
          } else {
            this.problem(`text after a closing quote (${JSON.stringify(c)}); a quote inside a quoted field is written ""`);
            this.state = 'unquoted';
          }
          break;
        }
      }
    }
    return out;
  }

  /** Finishes the text; returns the last record if it had no line break after it. */
  end(): string[][] {
    if (this.ended) return [];
    this.ended = true;
    const out: string[][] = [];
    if (this.state === 'quoted') this.problem('a quoted field is never closed; it runs to the end of the file');
    if (this.state !== 'start' || this.record.length > 0) {
      this.endField();
      this.endRecord(out);
    }
    return out;
  }

  // Ends the field at `j` (a delimiter, a line break, or the chunk's end) and returns where to go on.
  private afterField(chunk: string, j: number, out: string[][]): number {
    if (j >= chunk.length) return j;
    const c = chunk[j];
    this.endField();
    if (c !== '\r' && c !== '\n') return j + 1;
    this.endRecord(out);
    if (c === '\r') {
      if (j + 1 < chunk.length) return chunk.charCodeAt(j + 1) === 10 ? j + 2 : j + 1;
      this.skipLf = true;
    }
    return j + 1;
  }

  private endField(): void {
    this.record.push(this.field);
    this.field = '';
    this.state = 'start';
  }

  private endRecord(out: string[][]): void {
    const record = this.record;
    const quoted = this.fieldQuoted;
    this.record = [];
    this.fieldQuoted = false;
    // An empty line is no record at all; a line holding just "" is a record with one empty cell.
    if (record.length === 1 && record[0] === '' && !quoted) return;
    out.push(record);
    this.emitted++;
  }

  private problem(message: string): void {
    this.problems.push({ record: this.emitted + 1, message });
  }
}

function checkDelimiter(delimiter: string | undefined): string {
  const d = delimiter ?? ',';
  if (d.length !== 1 || d === '"' || d === '\r' || d === '\n') {
    throw new RangeError(`CSV delimiter must be one character other than a quote or line break; got ${JSON.stringify(d)}`);
  }
  return d;
}

/**
 * Parses a whole CSV text: the first record is the header, the rest are data rows. Rows whose number of
 * cells differs from the header's are kept as they are and reported.
 */
export function parseCsv(text: string, options?: CsvOptions): ParsedCsv {
  const parser = new CsvStreamParser(options);
  const records = parser.push(text);
  records.push(...parser.end());
  const header = records[0] ?? [];
  const rows = records.slice(1);
  const problems: CsvProblem[] = parser.problems.map((p) => ({ row: p.record - 1, message: p.message }));
  rows.forEach((r, i) => {
    if (r.length !== header.length) {
      problems.push({
        row: i + 1,
        message: `row ${i + 1} has ${r.length} ${r.length === 1 ? 'value' : 'values'} but the header has ${header.length} ${header.length === 1 ? 'column' : 'columns'}`,
      });
    }
  });
  problems.sort((a, b) => a.row - b.row);
  return { header, rows, problems };
}

/** Options of toCsv. */
export interface ToCsvOptions extends CsvOptions {
  /**
   * Prefix cells that start with = + - @ (or a tab / CR) with an apostrophe, so a spreadsheet shows them
   * as text instead of running them as formulas. Use it for files people open in Excel; it changes the data.
   */
  escapeFormulas?: boolean;
}

/** Writes rows as RFC 4180 CSV with CRLF line ends; parseCsv reads it back cell for cell. */
export function toCsv(rows: readonly (readonly CsvCell[])[], options?: ToCsvOptions): string {
  const d = checkDelimiter(options?.delimiter);
  const formulas = options?.escapeFormulas === true;
  let out = '';
  for (const row of rows) {
    const cells = row.map((cell) => {
      let s = cell === null ? '' : typeof cell === 'number' && !Number.isFinite(cell) ? '' : String(cell);
      if (formulas && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
      // A lone empty cell must be quoted or it reads back as an empty line; a leading BOM would be stripped.
      const quote =
        s.includes(d) || /["\r\n]/.test(s) || s.charCodeAt(0) === 0xfeff || (row.length === 1 && s === '');
      return quote ? `"${s.replace(/"/g, '""')}"` : s;
    });
    out += `${cells.join(d)}\r\n`;
  }
  return out;
}

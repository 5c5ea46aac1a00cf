import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvStreamParser, parseCsv, toCsv } from './csv';

describe('parseCsv', () => {
  it('splits a header and rows', () => {
    expect(parseCsv('name,email\nAda,ada@x.io\nBob,bob@y.io\n')).toEqual({
      header: ['name', 'email'],
      rows: [
        ['Ada', 'ada@x.io'],
        ['Bob', 'bob@y.io'],
      ],
      problems: [],
    });
  });

  it('reads quoted fields with delimiters, escaped quotes and line breaks', () => {
    const text = 'company,note\r\n"Acme, Inc.","He said ""hi""\r\nthen left"\r\n"",plain\r\n';
    expect(parseCsv(text)).toEqual({
      header: ['company', 'note'],
      rows: [
        ['Acme, Inc.', 'He said "hi"\r\nthen left'],
        ['', 'plain'],
      ],
      problems: [],
    });
  });

  it('accepts CRLF, LF and lone CR line ends, mixed', () => {
    expect(parseCsv('a,b\r\n1,2\n3,4\r5,6').rows).toEqual([
      ['1', '2'],
      ['3', '4'],
      ['5', '6'],
    ]);
  });

  it('strips a byte-order mark and reads a last line without a line break', () => {
    expect(parseCsv('\ufeffa,b\n1,2')).toEqual({ header: ['a', 'b'], rows: [['1', '2']], problems: [] });
  });

  it('does not make a row of a trailing line break, and skips empty lines', () => {
    expect(parseCsv('a\n\n1\n\n2\n\n').rows).toEqual([['1'], ['2']]);
  });

  it('keeps a quoted empty line as a row with one empty cell', () => {
    expect(parseCsv('a\n""\n1\n').rows).toEqual([[''], ['1']]);
  });

  it('reads a trailing delimiter as a last empty cell', () => {
    expect(parseCsv('a,b,c\n1,2,\n').rows).toEqual([['1', '2', '']]);
  });

  it('keeps spaces around values, as RFC 4180 says', () => {
    expect(parseCsv('a,b\n 1 , 2 \n').rows).toEqual([[' 1 ', ' 2 ']]);
  });

  it('reports ragged rows with their 1-based data row number and keeps them', () => {
    const r = parseCsv('a,b,c\n1,2,3\n1,2\n1,2,3,4\n1,2,3\n');
    expect(r.rows).toHaveLength(4);
    expect(r.problems).toEqual([
      { row: 2, message: 'row 2 has 2 values but the header has 3 columns' },
      { row: 3, message: 'row 3 has 4 values but the header has 3 columns' },
    ]);
  });

  it('counts data rows past quoted line breaks and skipped empty lines', () => {
    const r = parseCsv('a,b\n"x\ny",1\n\n2\n');
    expect(r.problems).toEqual([{ row: 2, message: 'row 2 has 1 value but the header has 2 columns' }]);
  });

  it('reports an unterminated quote and keeps the rest of the file as the cell', () => {
    const r = parseCsv('a,b\n1,"open\n2,3\n');
    expect(r.rows).toEqual([['1', 'open\n2,3\n']]);
    expect(r.problems).toEqual([{ row: 1, message: 'a quoted field is never closed; it runs to the end of the file' }]);
  });

  it('keeps text after a closing quote, with a problem', () => {
    const r = parseCsv('a,b\n"x"y,2\n');
    expect(r.rows).toEqual([['xy', '2']]);
    expect(r.problems).toEqual([
      { row: 1, message: 'text after a closing quote ("y"); a quote inside a quoted field is written ""' },
    ]);
  });

  it('keeps a stray quote inside an unquoted cell as text', () => {
    expect(parseCsv('a\n5" screen\n').rows).toEqual([['5" screen']]);
  });

  it('reads other delimiters', () => {
    expect(parseCsv('a;b\n"1;2";3\n', { delimiter: ';' }).rows).toEqual([['1;2', '3']]);
    expect(parseCsv('a\tb\n1\t2\n', { delimiter: '\t' }).rows).toEqual([['1', '2']]);
  });

  it('refuses a delimiter it cannot use', () => {
    for (const delimiter of ['', ';;', '"', '\n', '\r']) expect(() => parseCsv('a', { delimiter })).toThrow(RangeError);
  });

  it('reads an empty text as no header and no rows', () => {
    expect(parseCsv('')).toEqual({ header: [], rows: [], problems: [] });
    expect(parseCsv('\ufeff')).toEqual({ header: [], rows: [], problems: [] });
  });
});

describe('CsvStreamParser', () => {
  it('returns records as they complete, across chunk boundaries', () => {
    const p = new CsvStreamParser();
    expect(p.push('a,b\r')).toEqual([['a', 'b']]);
    expect(p.push('\n1,"x')).toEqual([]);
    expect(p.push('""y""')).toEqual([]);
    expect(p.push('",2\r')).toEqual([['1', 'x"y"', '2']]);
    expect(p.push('\n3,4')).toEqual([]);
    expect(p.end()).toEqual([['3', '4']]);
    expect(p.problems).toEqual([]);
  });

  it('treats a CR at the end of one chunk and an LF at the start of the next as one line break', () => {
    const p = new CsvStreamParser();
    const records = [...p.push('a\r'), ...p.push(''), ...p.push('\nb\r'), ...p.push('c\n'), ...p.end()];
    expect(records).toEqual([['a'], ['b'], ['c']]);
  });

  it('strips a byte-order mark only at the very start', () => {
    const p = new CsvStreamParser();
    expect([...p.push(''), ...p.push('\ufeffa\n'), ...p.push('\ufeffb'), ...p.end()]).toEqual([['a'], ['\ufeffb']]);
  });

  it('refuses push after end, and end is safe to call twice', () => {
    const p = new CsvStreamParser();
    p.push('a');
    expect(p.end()).toEqual([['a']]);
    expect(p.end()).toEqual([]);
    expect(() => p.push('b')).toThrow();
  });

  it('numbers problems by record, counting the header', () => {
    const p = new CsvStreamParser();
    p.push('h\n"a"b\n"open');
    p.end();
    expect(p.problems.map((x) => x.record)).toEqual([2, 3]);
  });

  it('gives the same records however the text is cut into chunks', () => {
    fc.assert(
      fc.property(csvText, fc.array(fc.nat(), { maxLength: 8 }), (text, cuts) => {
        const whole = parseCsv(text);
        const p = new CsvStreamParser();
        const records: string[][] = [];
        let at = 0;
        for (const cut of [...cuts.map((c) => c % (text.length + 1))].sort((a, b) => a - b)) {
          records.push(...p.push(text.slice(at, cut)));
          at = cut;
        }
        records.push(...p.push(text.slice(at)), ...p.end());
        expect(records).toEqual(whole.header.length > 0 ? [whole.header, ...whole.rows] : []);
      }),
      { numRuns: 500 },
    );
  });

  it('parses one character at a time like the whole text', () => {
    const text = '\ufeffa,b\r\n"1\r\n2","x""y"\r\n\r\n3,\r4\n';
    const p = new CsvStreamParser();
    const records: string[][] = [];
    for (const ch of text) records.push(...p.push(ch));
    records.push(...p.end());
    const whole = parseCsv(text);
    expect(records).toEqual([whole.header, ...whole.rows]);
  });
});

describe('toCsv', () => {
  it('writes RFC 4180 with CRLF, quoting only where needed', () => {
    expect(
      toCsv([
        ['name', 'note', 'n', 'ok', 'none'],
        ['Acme, Inc.', 'say "hi"\nbye', 1.5, true, null],
      ]),
    ).toBe('name,note,n,ok,none\r\n"Acme, Inc.","say ""hi""\nbye",1.5,true,\r\n');
  });

  it('quotes a lone empty cell so it does not read back as an empty line', () => {
    expect(toCsv([['a'], [''], [null]])).toBe('a\r\n""\r\n""\r\n');
  });

  it('writes non-finite numbers as empty cells', () => {
    expect(toCsv([[Number.NaN, Infinity, 1]])).toBe(',,1\r\n');
  });

  it('escapes formula-looking cells when asked, for files opened in spreadsheets', () => {
    expect(toCsv([['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', 'ok']], { escapeFormulas: true })).toBe(
      `"'=HYPERLINK(""x"")",'+1,'-2,'@SUM(A1),ok\r\n`,
    );
    expect(toCsv([['=1+1']])).toBe('=1+1\r\n');
  });

  it('writes with another delimiter', () => {
    expect(toCsv([['a;b', 'c']], { delimiter: ';' })).toBe('"a;b";c\r\n');
  });
});

// Cells heavy in the characters CSV has to escape, plus any UTF-16 (lone surrogates and a BOM included).
const cell = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', ' ', ',', ';', '\t', '"', '\r', '\n', '\ufeff', 'é'), maxLength: 8 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const rowsArb = fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 6 });
// Texts that are mostly CSV but not always well-formed, for the chunking property.
const csvText = fc.oneof(
  rowsArb.map((rows) => toCsv(rows)),
  fc.string({ unit: fc.constantFrom('a', ',', '"', '\r', '\n', '\ufeff'), maxLength: 40 }),
);

describe('round trip', () => {
  it('parseCsv(toCsv(rows)) gives the rows back, cell for cell', () => {
    fc.assert(
      fc.property(rowsArb, fc.constantFrom(',', ';', '\t'), (rows, delimiter) => {
        const r = parseCsv(toCsv(rows, { delimiter }), { delimiter });
        expect(r.header.length > 0 ? [r.header, ...r.rows] : []).toEqual(rows);
        expect(r.problems.every((p) => p.message.includes('the header has'))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

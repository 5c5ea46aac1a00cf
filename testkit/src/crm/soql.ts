// The small subset of SOQL the contract server understands: what the product's poller and sync send.
//
//   SELECT f1, f2 FROM Object [WHERE cond] [ORDER BY f [ASC|DESC], ...] [LIMIT n]
//   cond := term ((AND | OR) term)*, AND binding tighter than OR; term := ( cond ) | field op literal
//   op := = != <> < <= > >= ; literal := 'text' | datetime (2024-01-01T00:00:00.000Z / +0000) | number | null | true | false
//
// Anything else is MALFORMED_QUERY, as Salesforce answers it.

import { CONTRACT_OBJECTS } from './salesforce-objects';

/** A literal of a condition. */
export type SoqlValue = string | number | boolean | null | { datetime: number };

export type SoqlCondition =
  | { kind: 'cmp'; field: string; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: SoqlValue }
  | { kind: 'and' | 'or'; items: SoqlCondition[] };

export interface SoqlQuery {
  fields: string[];
  object: string;
  where: SoqlCondition | null;
  orderBy: Array<{ field: string; desc: boolean }>;
  limit: number | null;
}

/** A query Salesforce would refuse as MALFORMED_QUERY. */
export class SoqlSyntaxError extends Error {}

const TOKEN = /\s*(?:('(?:[^'\\]|\\.)*')|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2}))|(-?\d+(?:\.\d+)?)|(<=|>=|!=|<>|[=<>(),])|([A-Za-z_][A-Za-z0-9_.]*))/y;

type Token = { kind: 'str' | 'dt' | 'num' | 'op' | 'word'; text: string };

function tokenize(q: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < q.length) {
    if (/^\s*$/.test(q.slice(pos))) break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(q);
    if (!m) throw new SoqlSyntaxError(`unexpected token: '${q.slice(pos).trim().split(/\s+/)[0]}'`);
    pos = TOKEN.lastIndex;
    if (m[1] !== undefined) out.push({ kind: 'str', text: m[1].slice(1, -1).replace(/\\(.)/g, '$1') });
    else if (m[2] !== undefined) out.push({ kind: 'dt', text: m[2] });
    else if (m[3] !== undefined) out.push({ kind: 'num', text: m[3] });
    else if (m[4] !== undefined) out.push({ kind: 'op', text: m[4] });
    else out.push({ kind: 'word', text: m[5]! });
  }
  return out;
}

/** Milliseconds of a SOQL datetime literal or a Salesforce datetime value (`+0000` offsets too). */
export function parseSfDateTime(text: string): number {
  const iso = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new SoqlSyntaxError(`invalid datetime: ${text}`);
  return ms;
}

/** Parses the supported subset; throws SoqlSyntaxError otherwise. */
export function parseSoql(q: string): SoqlQuery {
  const t = tokenize(q);
  let i = 0;
  const peekWord = (w: string) => t[i]?.kind === 'word' && t[i]!.text.toUpperCase() === w;
  const expectWord = (w: string) => {
    if (!peekWord(w)) throw new SoqlSyntaxError(`expecting '${w}', found '${t[i]?.text ?? 'end of query'}'`);
    i++;
  };
  const field = () => {
    const tok = t[i];
    if (tok?.kind !== 'word') throw new SoqlSyntaxError(`expecting a field name, found '${tok?.text ?? 'end of query'}'`);
    i++;
    return tok.text;
  };

  expectWord('SELECT');
  const fields = [field()];
  while (t[i]?.text === ',') {
    i++;
    fields.push(field());
  }
  expectWord('FROM');
  const object = field();

  const literal = (): SoqlValue => {
    const tok = t[i++];
    if (!tok) throw new SoqlSyntaxError('unexpected end of query');
    if (tok.kind === 'str') return tok.text;
    if (tok.kind === 'dt') return { datetime: parseSfDateTime(tok.text) };
    if (tok.kind === 'num') return Number(tok.text);
    if (tok.kind === 'word') {
      const w = tok.text.toLowerCase();
      if (w === 'null') return null;
      if (w === 'true' || w === 'false') return w === 'true';
    }
    throw new SoqlSyntaxError(`unexpected token: '${tok.text}'`);
  };
  const term = (): SoqlCondition => {
    if (t[i]?.text === '(') {
      i++;
      const c = orExpr();
      if (t[i]?.text !== ')') throw new SoqlSyntaxError(`expecting ')', found '${t[i]?.text ?? 'end of query'}'`);
      i++;
      return c;
    }
    const f = field();
    const op = t[i];
    if (op?.kind !== 'op' || !['=', '!=', '<>', '<', '<=', '>', '>='].includes(op.text)) throw new SoqlSyntaxError(`unexpected token: '${op?.text ?? 'end of query'}'`);
    i++;
    return { kind: 'cmp', field: f, op: (op.text === '<>' ? '!=' : op.text) as '=', value: literal() };
  };
  const andExpr = (): SoqlCondition => {
    const items = [term()];
    while (peekWord('AND')) {
      i++;
      items.push(term());
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  const orExpr = (): SoqlCondition => {
    const items = [andExpr()];
    while (peekWord('OR')) {
      i++;
      items.push(andExpr());
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };

  let where: SoqlCondition | null = null;
  if (peekWord('WHERE')) {
    i++;
    where = orExpr();
  }
  const orderBy: SoqlQuery['orderBy'] = [];
  if (peekWord('ORDER')) {
    i++;
    expectWord('BY');
    for (;;) {
      const f = field();
      let desc = false;
      if (peekWord('ASC')) i++;
      else if (peekWord('DESC')) {
        i++;
        desc = true;
      }
      orderBy.push({ field: f, desc });
      if (t[i]?.text !== ',') break;
      i++;
    }
  }
  let limit: number | null = null;
  if (peekWord('LIMIT')) {
    i++;
    const n = t[i++];
    if (n?.kind !== 'num' || !/^\d+$/.test(n.text)) throw new SoqlSyntaxError(`expecting a number after LIMIT, found '${n?.text ?? 'end of query'}'`);
    limit = Number(n.text);
  }
  if (i < t.length) throw new SoqlSyntaxError(`unexpected token: '${t[i]!.text}'`);
  return { fields, object, where, orderBy, limit };
}

/** Every field a query names (to check they exist on the object). */
export function fieldsOf(q: SoqlQuery): string[] {
  const out = new Set<string>([...q.fields, ...q.orderBy.map((o) => o.field)]);
  const walk = (c: SoqlCondition | null) => {
    if (!c) return;
    if (c.kind === 'cmp') out.add(c.field);
    else c.items.forEach(walk);
  };
  walk(q.where);
  return [...out];
}

/** A record's value as a comparable: datetimes (strings that parse as one) to ms. */
function comparable(v: unknown, like: SoqlValue): unknown {
  if (like !== null && typeof like === 'object' && typeof v === 'string') return parseSfDateTime(v);
  return v;
}

/** Whether a record matches a condition (field names case-insensitive, as in SOQL). */
export function matches(record: Record<string, unknown>, c: SoqlCondition | null, get: (r: Record<string, unknown>, f: string) => unknown): boolean {
  if (!c) return true;
  if (c.kind !== 'cmp') return c.kind === 'and' ? c.items.every((x) => matches(record, x, get)) : c.items.some((x) => matches(record, x, get));
  const left = comparable(get(record, c.field), c.value);
  const right = c.value !== null && typeof c.value === 'object' ? c.value.datetime : c.value;
  if (c.op === '=') return left === right || (left == null && right == null);
  if (c.op === '!=') return !(left === right || (left == null && right == null));
  if (left == null || right == null) return false;
  const l = left as string | number;
  const r = right as string | number;
  switch (c.op) {
    case '<':
      return l < r;
    case '<=':
      return l <= r;
    case '>':
      return l > r;
    default:
      return l >= r;
  }
}

/**
 * Runs a query over an object's records: MALFORMED_QUERY, INVALID_TYPE or INVALID_FIELD as Salesforce
 * words them, else the matching rows (filtered, ordered, limited) and the selected fields' API names.
 */
export function runQuery(q: string, recordsOf: (object: string) => Array<Record<string, unknown>>): { error: { errorCode: string; message: string } } | { object: string; fields: string[]; rows: Array<Record<string, unknown>> } {
  let parsed: SoqlQuery;
  try {
    parsed = parseSoql(q);
  } catch (e) {
    if (e instanceof SoqlSyntaxError) return { error: { errorCode: 'MALFORMED_QUERY', message: e.message } };
    throw e;
  }
  const spec = CONTRACT_OBJECTS[parsed.object];
  if (!spec) return { error: { errorCode: 'INVALID_TYPE', message: `sObject type '${parsed.object}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name.` } };
  const field = (name: string) => spec.fields.find((x) => x.name.toLowerCase() === name.toLowerCase());
  const bad = fieldsOf(parsed).find((x) => !field(x));
  if (bad) return { error: { errorCode: 'INVALID_FIELD', message: `No such column '${bad}' on entity '${parsed.object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.` } };
  const get = (r: Record<string, unknown>, name: string) => r[field(name)!.name];
  let rows = recordsOf(parsed.object).filter((r) => matches(r, parsed.where, get));
  if (parsed.orderBy.length > 0) {
    const cmp = (a: unknown, b: unknown) => (a === b ? 0 : a == null ? -1 : b == null ? 1 : (a as string) < (b as string) ? -1 : 1);
    rows.sort((a, b) => {
      for (const o of parsed.orderBy) {
        const c = cmp(get(a, o.field), get(b, o.field));
        if (c !== 0) return o.desc ? -c : c;
      }
      return 0;
    });
  }
  if (parsed.limit !== null) rows = rows.slice(0, parsed.limit);
  return { object: parsed.object, fields: parsed.fields.map((x) => field(x)!.name), rows };
}

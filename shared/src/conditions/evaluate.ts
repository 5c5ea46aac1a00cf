import type { Territory } from '../directory/schema';
import { FIELD_TYPES, type FieldType } from '../fields/catalog';
import { isMissing, type Lead } from '../fields/lead';
import { MAX_CONDITION_DEPTH, OPERATOR_SPECS, type Clause, type ConditionGroup, type Operator } from './ast';
import { compilePattern } from './pattern';
import { formatLocation, inTerritory, leadLocation } from './territory';
import { parseIsoDate, toBoolean, toNumber, type IsoDate } from './values';
import { quote } from '../util/format';

/*
 * Runtime evaluation of conditions. This is the interpreter's hot path (100,000 leads/s through a 50-node
 * graph, with full traces), so: operands are prepared once per clause and cached, no regex is built per
 * call, no zod, plain loops. It must also never throw: a malformed clause or an odd lead value is `false`
 * with a note in the explanation, because a routing step that crashes loses the lead.
 */

/** What evaluation needs from the plan: field types (unknown fields count as text) and the territories conditions name. */
export interface ConditionContext {
  fieldTypes: Readonly<Record<string, FieldType>>;
  territories: Readonly<Record<string, Territory>>;
}

/** The result of a condition group and one explanation line per clause and nested group, in order. */
export interface ConditionOutcome {
  result: boolean;
  lines: string[];
}

/** Groups with more items than this stop at the first deciding item; smaller ones explain every item. */
export const MAX_FULLY_EXPLAINED_ITEMS = 20;

/** How many characters of a value an explanation shows. */
const MAX_SHOWN_CHARS = 80;
/** How many items of a list an explanation shows. */
const MAX_SHOWN_ITEMS = 10;

const hasOwn = Object.hasOwn;
const EMPTY_LEAD: Lead = {};
const INDENTS: string[] = [];
for (let d = 0; d <= MAX_CONDITION_DEPTH + 3; d++) INDENTS.push('  '.repeat(d));

/** How a clause compares: decided by the operator and, for equality and lists, by the field's type. */
type Domain = 'text' | 'number' | 'boolean' | 'date' | 'presence' | 'location_presence' | 'territory';

/** A clause's operand converted once, so each lead costs only the comparison and the explanation line. */
interface Prepared {
  // What the preparation was made from; a mismatch (another context or a replaced value) prepares again.
  field: string;
  operator: unknown;
  value: unknown;
  caseSensitive: unknown;
  fieldType: unknown;

  op: Operator;
  domain: Domain;
  /** Why the clause cannot be evaluated, or null. */
  error: string | null;
  /** The operator and operand as the explanation shows them, e.g. `> 500`, `in [US, CA]`. */
  head: string;
  cs: boolean;
  str: string;
  num: number;
  num2: number;
  date: IsoDate | null;
  date2: IsoDate | null;
  textSet: Set<string> | null;
  numSet: Set<number> | null;
  dates: IsoDate[] | null;
  test: ((s: string) => boolean) | null;
  territoryId: string;
}

// Keyed by the clause object: plans are immutable JSON reused for every lead, so each clause is prepared
// once. A WeakMap keeps no plan alive and is deterministic (unlike WeakRef), so it is safe in the workflow.
const preparedByClause = new WeakMap<object, Prepared>();

/** Evaluates a condition group against a lead, explaining every clause; never throws. */
export function evaluateCondition(group: ConditionGroup, lead: Lead, ctx: ConditionContext): ConditionOutcome {
  const lines: string[] = [];
  const l = isObject(lead) ? lead : EMPTY_LEAD;
  if (!isWellFormedGroup(group)) {
    lines.push('malformed condition group: false');
    return { result: false, lines };
  }
  if (group.conditions.length === 0) {
    // An empty group places no restriction (e.g. a trigger without a filter lets every lead through).
    lines.push('no conditions: true');
    return { result: true, lines };
  }
  const result = evalGroupItems(group, l, ctx, lines, 1, 0);
  return { result, lines };
}

/**
 * Like `evaluateCondition`, but appends the explanation to `lines` indented `indentLevel` levels (two
 * spaces each), so a branch or score step can nest it under its own line without copying it.
 */
export function evaluateConditionInto(group: ConditionGroup, lead: Lead, ctx: ConditionContext, lines: string[], indentLevel: number): boolean {
  const l = isObject(lead) ? lead : EMPTY_LEAD;
  const indent = INDENTS[indentLevel] ?? '';
  if (!isWellFormedGroup(group)) {
    lines.push(`${indent}malformed condition group: false`);
    return false;
  }
  if (group.conditions.length === 0) {
    lines.push(`${indent}no conditions: true`);
    return true;
  }
  return evalGroupItems(group, l, ctx, lines, 1, indentLevel);
}

/** Evaluates one clause against a lead: its result and its explanation line, e.g. `employees 650 > 500: true`. Never throws. */
export function evaluateClause(clause: Clause, lead: Lead, ctx: ConditionContext): { result: boolean; text: string } {
  const lines: string[] = [];
  const result = evalClause(clause, isObject(lead) ? lead : EMPTY_LEAD, ctx, lines, '');
  return { result, text: lines[0] ?? '' };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function isWellFormedGroup(g: unknown): g is ConditionGroup {
  return isObject(g) && (g.match === 'all' || g.match === 'any') && Array.isArray(g.conditions);
}

/** A group-shaped item (even a malformed one) is treated as a group, everything else as a clause. */
function looksLikeGroup(item: unknown): boolean {
  return isObject(item) && ('conditions' in item || 'match' in item) && !('operator' in item);
}

/** Evaluates the items of a well-formed, non-empty group at `depth` (the top group is 1). */
function evalGroupItems(group: ConditionGroup, lead: Lead, ctx: ConditionContext, lines: string[], depth: number, base: number): boolean {
  const items = group.conditions;
  const n = items.length;
  const any = group.match === 'any';
  const indent = INDENTS[depth - 1 + base] ?? '';
  // Small groups are evaluated in full so authors see every clause; big ones stop at the deciding item.
  const shortCircuit = n > MAX_FULLY_EXPLAINED_ITEMS;
  let result = !any;
  for (let i = 0; i < n; i++) {
    const item: unknown = items[i];
    const r = looksLikeGroup(item) ? evalNestedGroup(item, lead, ctx, lines, depth + 1, base) : evalClause(item, lead, ctx, lines, indent);
    if (r === any) {
      result = any;
      if (shortCircuit) {
        const rest = n - i - 1;
        if (rest > 0) lines.push(`${indent}(${rest} more not checked)`);
        break;
      }
    }
  }
  return result;
}

/** A nested group: a header line at the parent's indentation, its items two spaces further in. */
function evalNestedGroup(group: unknown, lead: Lead, ctx: ConditionContext, lines: string[], depth: number, base: number): boolean {
  const indent = INDENTS[depth - 2 + base] ?? '';
  if (!isWellFormedGroup(group)) {
    lines.push(`${indent}malformed condition group: false`);
    return false;
  }
  // The checker refuses deeper nesting; stopping here also keeps a cyclic or hostile object from recursing forever.
  if (depth > MAX_CONDITION_DEPTH) {
    lines.push(`${indent}${group.match} of ${group.conditions.length}: false (conditions are nested more than ${MAX_CONDITION_DEPTH} levels deep)`);
    return false;
  }
  const at = lines.length;
  lines.push('');
  const n = group.conditions.length;
  // An empty group places no restriction, like an empty top-level group.
  const r = n === 0 ? true : evalGroupItems(group, lead, ctx, lines, depth, base);
  lines[at] = `${indent}${group.match} of ${n}: ${r}`;
  return r;
}

// ---------------------------------------------------------------------------------------------------------
// Clauses

/** Evaluates a clause, pushes exactly one explanation line, and returns the result. */
function evalClause(clause: unknown, lead: Lead, ctx: ConditionContext, lines: string[], indent: string): boolean {
  if (!isObject(clause) || typeof clause.field !== 'string' || clause.field === '') {
    lines.push(`${indent}malformed condition: false (a condition needs a field and an operator)`);
    return false;
  }
  const field = clause.field.length > 100 ? clause.field.slice(0, 100) : clause.field;
  const p = prepare(clause as Record<string, unknown> & { field: string }, ctx);
  const raw: unknown = hasOwn(lead, clause.field) ? lead[clause.field] : undefined;

  if (p.error !== null) {
    lines.push(`${indent}${field}${showRaw(raw)} ${p.head}: false (${p.error})`);
    return false;
  }

  switch (p.domain) {
    case 'presence': {
      const set = !isMissing(raw as Lead[string] | undefined);
      const r = p.op === 'is_set' ? set : !set;
      lines.push(`${indent}${field}${set ? showRaw(raw) : ''} ${p.head}: ${r}`);
      return r;
    }
    case 'location_presence': {
      const loc = leadLocation(lead);
      const set = loc.country !== null || loc.state !== null || loc.postalCode !== null;
      const r = p.op === 'is_set' ? set : !set;
      lines.push(`${indent}${field}${set ? ' ' + formatLocation(loc) : ''} ${p.head}: ${r}`);
      return r;
    }
    case 'territory':
      return evalTerritory(p, field, lead, ctx, lines, indent);
    default:
      break;
  }

  if (isMissing(raw as Lead[string] | undefined)) {
    const r = isNegative(p.op);
    lines.push(`${indent}${field} ${p.head}: ${r} (${field} is empty)`);
    return r;
  }
  const kind = typeof raw;
  if (kind !== 'string' && kind !== 'number' && kind !== 'boolean') {
    lines.push(`${indent}${field} ${p.head}: false (${field} holds something other than text, a number or true/false)`);
    return false;
  }
  const value = raw as string | number | boolean;

  switch (p.domain) {
    case 'text':
      return evalText(p, field, value, lines, indent);
    case 'number': {
      const n = toNumber(value);
      if (n === null) {
        lines.push(`${indent}${field} ${showScalar(value)} ${p.head}: false (${field} is not a number)`);
        return false;
      }
      const r = compareNumber(p, n);
      lines.push(`${indent}${field} ${n} ${p.head}: ${r}`);
      return r;
    }
    case 'boolean': {
      const b = toBoolean(value);
      if (b === null) {
        lines.push(`${indent}${field} ${showScalar(value)} ${p.head}: false (${field} is not true or false)`);
        return false;
      }
      const n = b ? 1 : 0;
      const r = compareNumber(p, n);
      lines.push(`${indent}${field} ${b} ${p.head}: ${r}`);
      return r;
    }
    case 'date': {
      const d = parseIsoDate(value);
      if (d === null) {
        lines.push(`${indent}${field} ${showScalar(value)} ${p.head}: false (${field} is not a date)`);
        return false;
      }
      const r = compareDate(p, d);
      lines.push(`${indent}${field} ${clip(String(value).trim())} ${p.head}: ${r}`);
      return r;
    }
    default:
      lines.push(`${indent}${field} ${p.head}: false (the condition is malformed)`);
      return false;
  }
}

/** Operators that hold when the lead lacks the value: "not X" is true of nothing. */
function isNegative(op: Operator): boolean {
  return op === 'not_equals' || op === 'not_in' || op === 'not_contains' || op === 'not_in_territory';
}

function evalText(p: Prepared, field: string, value: string | number | boolean, lines: string[], indent: string): boolean {
  const trimmed = typeof value === 'string' ? value.trim() : String(value);
  let r: boolean;
  if (p.op === 'matches') {
    // The pattern engine handles case itself (RE2's case-insensitive flag), so the value is not lower-cased.
    r = p.test !== null && p.test(trimmed);
  } else {
    const t = p.cs ? trimmed : trimmed.toLowerCase();
    switch (p.op) {
      case 'equals':
        r = t === p.str;
        break;
      case 'not_equals':
        r = t !== p.str;
        break;
      case 'in':
        r = p.textSet !== null && p.textSet.has(t);
        break;
      case 'not_in':
        r = p.textSet === null || !p.textSet.has(t);
        break;
      case 'contains':
        r = t.includes(p.str);
        break;
      case 'not_contains':
        r = !t.includes(p.str);
        break;
      case 'starts_with':
        r = t.startsWith(p.str);
        break;
      case 'ends_with':
        r = t.endsWith(p.str);
        break;
      default:
        r = false;
    }
  }
  lines.push(`${indent}${field} ${showScalar(value)} ${p.head}: ${r}`);
  return r;
}

/** Numbers, and booleans as 1/0. */
function compareNumber(p: Prepared, n: number): boolean {
  switch (p.op) {
    case 'equals':
      return n === p.num;
    case 'not_equals':
      return n !== p.num;
    case 'in':
      return p.numSet !== null && p.numSet.has(n);
    case 'not_in':
      return p.numSet === null || !p.numSet.has(n);
    case 'gt':
      return n > p.num;
    case 'gte':
      return n >= p.num;
    case 'lt':
      return n < p.num;
    case 'lte':
      return n <= p.num;
    case 'between':
      return n >= p.num && n <= p.num2;
    default:
      return false;
  }
}

/** Same calendar day when the operand is a bare date, else the same instant. */
function sameDate(lead: IsoDate, operand: IsoDate): boolean {
  return operand.dateOnly ? lead.day === operand.day : lead.ms === operand.ms;
}

/**
 * A bare date operand means a whole calendar day, compared with the day the lead's value was written in
 * (so "after 2024-05-01" starts on May 2, and "between Jan 1 and Jan 31" includes all of Jan 31);
 * a date-time operand is an instant.
 */
function compareDate(p: Prepared, d: IsoDate): boolean {
  const a = p.date;
  const b = p.date2;
  switch (p.op) {
    case 'equals':
      return a !== null && sameDate(d, a);
    case 'not_equals':
      return a !== null && !sameDate(d, a);
    case 'in':
    case 'not_in': {
      let found = false;
      const list = p.dates;
      if (list !== null) {
        for (let i = 0; i < list.length; i++) {
          const item = list[i];
          if (item !== undefined && sameDate(d, item)) {
            found = true;
            break;
          }
        }
      }
      return p.op === 'in' ? found : !found;
    }
    case 'before':
      return a !== null && (a.dateOnly ? d.day < a.day : d.ms < a.ms);
    case 'after':
      return a !== null && (a.dateOnly ? d.day > a.day : d.ms > a.ms);
    case 'between':
      return a !== null && b !== null && (a.dateOnly ? d.day >= a.day : d.ms >= a.ms) && (b.dateOnly ? d.day <= b.day : d.ms <= b.ms);
    default:
      return false;
  }
}

function evalTerritory(p: Prepared, field: string, lead: Lead, ctx: ConditionContext, lines: string[], indent: string): boolean {
  const loc = leadLocation(lead);
  const shown = loc.country === null && loc.state === null && loc.postalCode === null ? '' : ' ' + formatLocation(loc);
  const id = p.territoryId;
  const territories = ctx.territories;
  const t = isObject(territories) && hasOwn(territories, id) ? territories[id] : undefined;
  if (t === undefined || !isObject(t)) {
    lines.push(`${indent}${field}${shown} ${p.head} ${id}: false (territory ${id} is not defined)`);
    return false;
  }
  const name = typeof t.name === 'string' && t.name !== '' ? t.name : id;
  if (shown === '') {
    const r = p.op === 'not_in_territory';
    lines.push(`${indent}${field} ${p.head} ${name}: ${r} (${field} is empty)`);
    return r;
  }
  let inside: boolean;
  try {
    inside = inTerritory(t, loc);
  } catch {
    // A territory that is not in the directory's shape must not crash routing.
    lines.push(`${indent}${field}${shown} ${p.head} ${name}: false (territory ${name} could not be read)`);
    return false;
  }
  const r = p.op === 'in_territory' ? inside : !inside;
  lines.push(`${indent}${field}${shown} ${p.head} ${name}: ${r}`);
  return r;
}

// ---------------------------------------------------------------------------------------------------------
// Preparing operands

const KNOWN_FIELD_TYPES: ReadonlySet<string> = new Set(FIELD_TYPES);

function prepare(clause: Record<string, unknown> & { field: string }, ctx: ConditionContext): Prepared {
  const types = ctx.fieldTypes;
  const fieldType: unknown = isObject(types) && hasOwn(types, clause.field) ? types[clause.field] : undefined;
  const cached = preparedByClause.get(clause);
  if (
    cached !== undefined &&
    cached.field === clause.field &&
    cached.operator === clause.operator &&
    cached.value === clause.value &&
    cached.caseSensitive === clause.caseSensitive &&
    cached.fieldType === fieldType
  ) {
    return cached;
  }
  const p = build(clause, fieldType);
  preparedByClause.set(clause, p);
  return p;
}

function build(clause: Record<string, unknown> & { field: string }, fieldType: unknown): Prepared {
  const type: FieldType = typeof fieldType === 'string' && KNOWN_FIELD_TYPES.has(fieldType) ? (fieldType as FieldType) : 'text';
  const operator = clause.operator;
  const value = clause.value;
  const p: Prepared = {
    field: clause.field,
    operator,
    value,
    caseSensitive: clause.caseSensitive,
    fieldType,
    op: 'equals',
    domain: 'text',
    error: null,
    head: '',
    cs: clause.caseSensitive === true,
    str: '',
    num: 0,
    num2: 0,
    date: null,
    date2: null,
    textSet: null,
    numSet: null,
    dates: null,
    test: null,
    territoryId: '',
  };
  if (typeof operator !== 'string' || !hasOwn(OPERATOR_SPECS, operator)) {
    p.head = `${typeof operator === 'string' ? clip(operator) : '?'}${value === undefined ? '' : ' ' + showAny(value)}`;
    p.error = `unknown operator ${typeof operator === 'string' ? quote(clip(operator)) : ''}`.trim();
    return p;
  }
  const op = operator as Operator;
  const spec = OPERATOR_SPECS[op];
  p.op = op;
  p.domain = domainFor(op, type, value);
  const symbol = spec.symbol;

  switch (spec.operand) {
    case 'none':
      p.head = symbol;
      return p;
    case 'territory':
      p.head = symbol;
      if (typeof value !== 'string' || value.trim() === '') {
        p.error = 'no territory is chosen';
        return p;
      }
      p.territoryId = value.trim();
      return p;
    case 'pattern': {
      p.head = `${symbol} ${typeof value === 'string' ? quote(clip(value)) : showAny(value)}`;
      if (typeof value !== 'string') {
        p.error = 'the pattern should be text';
        return p;
      }
      const compiled = compilePattern(value, p.cs);
      if (!compiled.ok) p.error = `the pattern is not allowed: ${compiled.reason}`;
      else p.test = compiled.test;
      return p;
    }
    case 'scalar':
      p.head = `${symbol} ${showOperand(value, p.domain)}`;
      prepareScalar(p, value);
      return p;
    case 'list':
      p.head = `${symbol} ${showList(value)}`;
      prepareList(p, value);
      return p;
    case 'range':
      if (Array.isArray(value) && value.length === 2) {
        p.head = `${symbol} ${showOperand(value[0], p.domain)} and ${showOperand(value[1], p.domain)}`;
      } else {
        p.head = `${symbol} ${showAny(value)}`;
      }
      prepareRange(p, value);
      return p;
    default:
      p.error = 'the condition is malformed';
      return p;
  }
}

/** The comparison an operator makes on a field of the given type. */
function domainFor(op: Operator, type: FieldType, value: unknown): Domain {
  switch (op) {
    case 'is_set':
    case 'is_empty':
      return type === 'location' ? 'location_presence' : 'presence';
    case 'in_territory':
    case 'not_in_territory':
      return 'territory';
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      return 'number';
    case 'before':
    case 'after':
      return 'date';
    case 'contains':
    case 'not_contains':
    case 'starts_with':
    case 'ends_with':
    case 'matches':
      return 'text';
    case 'between':
      if (type === 'date') return 'date';
      if (type === 'number') return 'number';
      // A field the plan does not type: numbers if the bounds are numbers, else dates if they are dates.
      if (Array.isArray(value) && value.length === 2 && parseIsoDate(value[0]) !== null && parseIsoDate(value[1]) !== null) return 'date';
      return 'number';
    default:
      return type === 'number' ? 'number' : type === 'boolean' ? 'boolean' : type === 'date' ? 'date' : 'text';
  }
}

function normText(p: Prepared, v: string | number | boolean): string {
  const s = typeof v === 'string' ? v.trim() : String(v);
  return p.cs ? s : s.toLowerCase();
}

function prepareScalar(p: Prepared, value: unknown): void {
  if (value === undefined || value === null || Array.isArray(value) || isObject(value)) {
    p.error = value === undefined || value === null ? 'there is no value to compare with' : 'the value should be a single value, not a list';
    return;
  }
  switch (p.domain) {
    case 'text':
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') p.str = normText(p, value);
      else p.error = 'the value should be text';
      return;
    case 'number': {
      const n = toNumber(value);
      if (n === null) p.error = 'the value should be a number';
      else p.num = n;
      return;
    }
    case 'boolean': {
      const b = toBoolean(value);
      if (b === null) p.error = 'the value should be true or false';
      else p.num = b ? 1 : 0;
      return;
    }
    case 'date': {
      const d = parseIsoDate(value);
      if (d === null) p.error = 'the value should be a date like 2024-05-01';
      else p.date = d;
      return;
    }
    default:
      p.error = 'the condition is malformed';
  }
}

/** List items that do not fit the field's type can never equal a lead value, so they are skipped rather than refused. */
function prepareList(p: Prepared, value: unknown): void {
  if (!Array.isArray(value)) {
    p.error = 'the value should be a list';
    return;
  }
  switch (p.domain) {
    case 'text': {
      const set = new Set<string>();
      for (const v of value) if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') set.add(normText(p, v));
      p.textSet = set;
      return;
    }
    case 'number':
    case 'boolean': {
      const set = new Set<number>();
      for (const v of value) {
        if (p.domain === 'number') {
          const n = toNumber(v);
          if (n !== null) set.add(n);
        } else {
          const b = toBoolean(v);
          if (b !== null) set.add(b ? 1 : 0);
        }
      }
      p.numSet = set;
      return;
    }
    case 'date': {
      const dates: IsoDate[] = [];
      for (const v of value) {
        const d = parseIsoDate(v);
        if (d !== null) dates.push(d);
      }
      p.dates = dates;
      return;
    }
    default:
      p.error = 'the condition is malformed';
  }
}

function prepareRange(p: Prepared, value: unknown): void {
  if (!Array.isArray(value) || value.length !== 2) {
    p.error = 'the value should be a pair [low, high]';
    return;
  }
  if (p.domain === 'date') {
    const lo = parseIsoDate(value[0]);
    const hi = parseIsoDate(value[1]);
    if (lo === null || hi === null) p.error = 'both ends of the range should be dates like 2024-05-01';
    p.date = lo;
    p.date2 = hi;
    return;
  }
  const lo = toNumber(value[0]);
  const hi = toNumber(value[1]);
  if (lo === null || hi === null) {
    p.error = 'both ends of the range should be numbers';
    return;
  }
  p.num = lo;
  p.num2 = hi;
}

// ---------------------------------------------------------------------------------------------------------
// Showing values: text quoted, numbers and booleans bare, dates bare, lists in [..]; long values clipped.

function clip(s: string): string {
  return s.length > MAX_SHOWN_CHARS ? s.slice(0, MAX_SHOWN_CHARS - 1) + '…' : s;
}

function showScalar(v: string | number | boolean): string {
  return typeof v === 'string' ? quote(clip(v.trim())) : String(v);
}

/** The lead's value with a leading space, or nothing when it is missing or cannot be shown. */
function showRaw(raw: unknown): string {
  if (typeof raw === 'string') return raw.trim() === '' ? '' : ' ' + showScalar(raw);
  if (typeof raw === 'number' || typeof raw === 'boolean') return ' ' + String(raw);
  return '';
}

/** An operand as the comparison reads it: dates and numbers bare, text quoted. */
function showOperand(v: unknown, domain: Domain): string {
  if (typeof v === 'string') {
    if (domain === 'date' && parseIsoDate(v) !== null) return v.trim();
    if (domain === 'number' && toNumber(v) !== null) return v.trim();
    return quote(clip(v));
  }
  return showAny(v);
}

function showList(v: unknown): string {
  if (!Array.isArray(v)) return showAny(v);
  let out = '[';
  const n = Math.min(v.length, MAX_SHOWN_ITEMS);
  for (let i = 0; i < n; i++) {
    const item: unknown = v[i];
    if (i > 0) out += ', ';
    // Nested lists are not shown item by item: a list that contains itself must not recurse.
    out += typeof item === 'string' ? clip(item) : Array.isArray(item) ? '[…]' : showAny(item);
  }
  if (v.length > n) out += `, … ${v.length - n} more`;
  return out + ']';
}

/** Anything, for malformed clauses: never throws, whatever the value is. */
function showAny(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return quote(clip(v));
    case 'number':
    case 'boolean':
      return String(v);
    case 'undefined':
      return '(no value)';
    case 'object':
      if (v === null) return '(no value)';
      if (Array.isArray(v)) return showList(v);
      return '{…}';
    default:
      return '?';
  }
}

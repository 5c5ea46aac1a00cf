import type { Territory } from '../directory/schema';
import { FIELD_TYPES, type FieldType } from '../fields/catalog';
import { OPERATOR_SPECS, type Operator } from './ast';
import { compilePattern } from './pattern';
import { clip, showAny, showList } from './show-value';
import { parseIsoDate, toBoolean, toNumber, type IsoDate } from './values';
import { quote } from '../util/format';

// Preparing a clause's operand once per clause (the evaluation's hot path then costs only the comparison):
// the operand converted to the field's type, the comparison's domain, and the head of its explanation line.

const hasOwn = Object.hasOwn;

/** What evaluation needs from the plan: field types (unknown fields count as text) and the territories conditions name. */
export interface ConditionContext {
  fieldTypes: Readonly<Record<string, FieldType>>;
  territories: Readonly<Record<string, Territory>>;
  /** What one lead's evaluation may still spend on patterns (see EvaluationBudget); none: unbounded. */
  budget?: EvaluationBudget;
}

/**
 * One lead's evaluation budget, in pattern work units (a pattern's automaton size times the characters it
 * reads). Each pattern is bounded at compile time, but a graph can hold many: the budget bounds their sum,
 * so no lead can hold a worker (or a test run) for long. Running out throws EvaluationBudgetExceeded,
 * which the interpreter turns into a failed step.
 */
export interface EvaluationBudget {
  remaining: number;
}

/** One lead's conditions used up their budget: the step that ran out fails, with this in its trace. */
export class EvaluationBudgetExceeded extends Error {
  constructor(readonly field: string) {
    super(`The conditions are too costly for one lead: the pattern budget ran out at ${field}`);
  }
}

/** A plain object (a lead, a clause, a group), not an array or null. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** How a clause compares: decided by the operator and, for equality and lists, by the field's type. */
export type Domain = 'text' | 'number' | 'boolean' | 'date' | 'presence' | 'location_presence' | 'territory';

/** A clause's operand converted once, so each lead costs only the comparison and the explanation line. */
export interface Prepared {
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
  /** The pattern's work per character read (0 for other operators). */
  cost: number;
  territoryId: string;
}

// ---------------------------------------------------------------------------------------------------------
// Preparing operands

const KNOWN_FIELD_TYPES: ReadonlySet<string> = new Set(FIELD_TYPES);

// Keyed by the clause object: plans are immutable JSON reused for every lead, so each clause is prepared
// once. A WeakMap keeps no plan alive and is deterministic (unlike WeakRef), so it is safe in the workflow.
const preparedByClause = new WeakMap<object, Prepared>();

/** The clause's prepared operand, cached per clause object. */
export function prepare(clause: Record<string, unknown> & { field: string }, ctx: ConditionContext): Prepared {
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
    cost: 0,
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
      else {
        p.test = compiled.test;
        p.cost = compiled.cost;
      }
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

/** An operand as the comparison reads it: dates and numbers bare, text quoted. */
function showOperand(v: unknown, domain: Domain): string {
  if (typeof v === 'string') {
    if (domain === 'date' && parseIsoDate(v) !== null) return v.trim();
    if (domain === 'number' && toNumber(v) !== null) return v.trim();
    return quote(clip(v));
  }
  return showAny(v);
}

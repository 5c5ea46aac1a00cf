import { isMissing, type Lead } from '../fields/lead';
import { MAX_CONDITION_DEPTH, type Clause, type ConditionGroup, type Operator } from './ast';
import { MAX_PATTERN_INPUT } from './pattern';
import { EvaluationBudgetExceeded, isObject, prepare, type ConditionContext, type Prepared } from './prepare';
import { clip, showRaw, showScalar } from './show-value';
import { formatLocation, inTerritory, leadLocation } from './territory';
import { parseIsoDate, toBoolean, toNumber, type IsoDate } from './values';

export { EvaluationBudgetExceeded, type ConditionContext, type EvaluationBudget } from './prepare';

/*
 * Runtime evaluation of conditions. This is the interpreter's hot path (100,000 leads/s through a 50-node
 * graph, with full traces), so: operands are prepared once per clause and cached, no regex is built per
 * call, no zod, plain loops. It must also never throw: a malformed clause or an odd lead value is `false`
 * with a note in the explanation, because a routing step that crashes loses the lead. The one exception is
 * EvaluationBudgetExceeded, when the caller gave a pattern budget and it ran out (the interpreter fails
 * that step, explained).
 */

/** The result of a condition group and one explanation line per clause and nested group, in order. */
export interface ConditionOutcome {
  result: boolean;
  lines: string[];
}

/** Groups with more items than this stop at the first deciding item; smaller ones explain every item. */
export const MAX_FULLY_EXPLAINED_ITEMS = 20;

const hasOwn = Object.hasOwn;
const EMPTY_LEAD: Lead = {};
const INDENTS: string[] = [];
for (let d = 0; d <= MAX_CONDITION_DEPTH + 3; d++) INDENTS.push('  '.repeat(d));


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
      return evalText(p, field, value, lines, indent, ctx);
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

function evalText(p: Prepared, field: string, value: string | number | boolean, lines: string[], indent: string, ctx: ConditionContext): boolean {
  const trimmed = typeof value === 'string' ? value.trim() : String(value);
  let r: boolean;
  if (p.op === 'matches') {
    // The pattern engine handles case itself (RE2's case-insensitive flag), so the value is not lower-cased.
    const budget = ctx.budget;
    if (budget !== undefined && p.test !== null) {
      budget.remaining -= p.cost * (trimmed.length < MAX_PATTERN_INPUT ? trimmed.length : MAX_PATTERN_INPUT);
      if (budget.remaining < 0) throw new EvaluationBudgetExceeded(field);
    }
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

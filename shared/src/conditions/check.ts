import { problem, type Problem } from '../errors';
import type { FieldCatalog, FieldDef, FieldType } from '../fields/catalog';
import { MAX_CONDITION_DEPTH, MAX_GROUP_ITEMS, OPERATOR_SPECS, operatorsFor, type ConditionGroup, type Operator } from './ast';
import { compilePattern } from './pattern';
import { parseIsoDate } from './values';

/*
 * Static checking of conditions, for the compiler. It reports every problem at once (an author fixes a
 * whole form, not one error per publish attempt), never throws whatever the input, and words each message
 * for a RevOps person: the field by its label, what is wrong, and what would be right.
 */

/** What checkCondition needs to know about where a condition sits and what it may refer to. */
export interface CheckContext {
  catalog: FieldCatalog;
  /** Ids of the directory's territories; null when no directory was given, which skips reference checks. */
  territoryIds: ReadonlySet<string> | null;
  nodeId: string;
  /** Dotted prefix of the group inside the node, e.g. `config.cases.0.condition`. */
  path: string;
  /** Whether the top-level group may be empty. */
  allowEmpty: boolean;
}

/** Every problem in a condition group, each with the node id and the dotted path of the exact item; never throws. */
export function checkCondition(group: ConditionGroup, ctx: CheckContext): Problem[] {
  const out: Problem[] = [];
  checkGroup(group, ctx, ctx.path, 1, out);
  return out;
}

/** The unique field keys a condition reads, in first-use order; a location clause reads country, state and postalCode. */
export function conditionFields(group: ConditionGroup): string[] {
  const seen = new Set<string>();
  collectFields(group, seen, 1);
  return [...seen];
}

/** The lead fields the virtual `location` field stands for. */
const LOCATION_PARTS = ['country', 'state', 'postalCode'] as const;

function collectFields(group: unknown, seen: Set<string>, depth: number): void {
  // The depth bound keeps a malformed or cyclic object from recursing forever.
  if (!isObject(group) || !Array.isArray(group.conditions) || depth > MAX_CONDITION_DEPTH * 4) return;
  for (const item of group.conditions as unknown[]) {
    if (!isObject(item)) continue;
    if (looksLikeGroup(item)) {
      collectFields(item, seen, depth + 1);
      continue;
    }
    if (typeof item.field !== 'string' || item.field === '') continue;
    if (item.field === 'location' || item.operator === 'in_territory' || item.operator === 'not_in_territory') {
      for (const k of LOCATION_PARTS) seen.add(k);
    } else {
      seen.add(item.field);
    }
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

/** The same rule as the evaluator: a group-shaped item is a group, anything else a clause. */
function looksLikeGroup(item: Record<string, unknown>): boolean {
  return ('conditions' in item || 'match' in item) && !('operator' in item);
}

function join(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}

function checkGroup(group: unknown, ctx: CheckContext, path: string, depth: number, out: Problem[]): void {
  const where = (p: string) => ({ nodeId: ctx.nodeId, path: p });
  if (!isObject(group)) {
    out.push(problem('invalid_value', 'This condition group is not in the expected shape: it needs "all" or "any" and a list of conditions.', where(path)));
    return;
  }
  if (depth > MAX_CONDITION_DEPTH) {
    out.push(
      problem(
        'condition_too_deep',
        `Conditions are nested ${depth} groups deep; at most ${MAX_CONDITION_DEPTH} are allowed. Move some conditions up into the group above.`,
        where(path),
      ),
    );
    return;
  }
  if (group.match !== 'all' && group.match !== 'any') {
    out.push(problem('invalid_value', 'A condition group must match "all" or "any" of its conditions.', where(join(path, 'match'))));
  }
  const items = group.conditions;
  if (!Array.isArray(items)) {
    out.push(problem('invalid_value', 'A condition group needs a list of conditions.', where(join(path, 'conditions'))));
    return;
  }
  if (items.length === 0) {
    if (depth > 1) {
      out.push(problem('empty_condition_group', 'This group has no conditions. Add a condition to it or remove the group.', where(join(path, 'conditions'))));
    } else if (!ctx.allowEmpty) {
      out.push(problem('empty_condition_group', 'Add at least one condition.', where(join(path, 'conditions'))));
    }
    return;
  }
  if (items.length > MAX_GROUP_ITEMS) {
    out.push(
      problem(
        'invalid_value',
        `This group has ${items.length} conditions; a group may hold at most ${MAX_GROUP_ITEMS}. Split it into smaller groups, or use "is one of" with a list.`,
        where(join(path, 'conditions')),
      ),
    );
  }
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    const itemPath = join(path, `conditions.${i}`);
    if (isObject(item) && looksLikeGroup(item)) checkGroup(item, ctx, itemPath, depth + 1, out);
    else checkClause(item, ctx, itemPath, out);
  }
}

const TYPE_WORDS: Record<FieldType, string> = {
  text: 'a text field',
  number: 'a number field',
  boolean: 'a true/false field',
  date: 'a date field',
  picklist: 'a picklist field',
  location: 'a location field',
};

const quote = (s: string): string => `"${s}"`;

function operatorLabels(type: FieldType): string {
  return operatorsFor(type)
    .map((op) => OPERATOR_SPECS[op].label)
    .join(', ');
}

function checkClause(clause: unknown, ctx: CheckContext, path: string, out: Problem[]): void {
  const where = (p: string) => ({ nodeId: ctx.nodeId, path: p });
  if (!isObject(clause)) {
    out.push(problem('invalid_value', 'This condition is not in the expected shape: it needs a field, an operator and a value.', where(path)));
    return;
  }
  const field = clause.field;
  const operator = clause.operator;
  const validOp = typeof operator === 'string' && Object.hasOwn(OPERATOR_SPECS, operator);
  if (typeof field !== 'string' || field.trim() === '') {
    out.push(problem('unknown_field', 'Choose the field this condition looks at.', where(join(path, 'field'))));
    return;
  }
  const def = ctx.catalog.fields.get(field);

  if (!def) {
    const near = closest(field, [...ctx.catalog.fields.values()].flatMap((f) => [{ key: f.key, text: f.key }, { key: f.key, text: f.label }]));
    out.push(
      problem(
        'unknown_field',
        `There is no field ${quote(field)} in this workspace.${near ? ` Did you mean ${near}?` : ' Add it as a custom field, or choose another field.'}`,
        where(join(path, 'field')),
      ),
    );
  }
  if (!validOp) {
    const shown = typeof operator === 'string' && operator !== '' ? `${quote(operator)} is not an operator this product knows.` : 'Choose an operator.';
    const hint = def ? ` For ${quote(def.label)} use one of: ${operatorLabels(def.type)}.` : '';
    out.push(problem('operator_type_mismatch', shown + hint, where(join(path, 'operator'))));
    return;
  }
  const op = operator as Operator;
  const spec = OPERATOR_SPECS[op];

  if (clause.caseSensitive !== undefined && typeof clause.caseSensitive !== 'boolean') {
    out.push(problem('invalid_value', 'Case sensitivity must be on or off (true or false).', where(join(path, 'caseSensitive'))));
  }

  if (!def) {
    // The field's type is unknown, so only what does not depend on it is checked (patterns, territories).
    if (spec.operand === 'pattern') checkPattern(clause, field, ctx, path, out);
    if (spec.operand === 'territory') checkTerritory(clause.value, ctx, path, out);
    return;
  }
  if (!spec.types.includes(def.type)) {
    out.push(
      problem(
        'operator_type_mismatch',
        `${quote(def.label)} is ${TYPE_WORDS[def.type]}, so ${quote(spec.label)} cannot be used. Use one of: ${operatorLabels(def.type)}.`,
        where(join(path, 'operator')),
      ),
    );
    return;
  }

  const valuePath = join(path, 'value');
  const value = clause.value;
  switch (spec.operand) {
    case 'none':
      // "is set" and "is empty" take no value; a leftover value from a previous operator is ignored.
      return;
    case 'scalar':
      if (value === undefined || value === null) {
        out.push(problem('invalid_value', `Enter a value to compare ${quote(def.label)} with.`, where(valuePath)));
      } else if (Array.isArray(value)) {
        out.push(
          problem(
            'invalid_value',
            `${quote(spec.label)} compares ${quote(def.label)} with a single value, not a list.${def.type === 'text' || def.type === 'picklist' || def.type === 'number' ? ' To check several values use "is one of".' : ''}`,
            where(valuePath),
          ),
        );
      } else {
        checkScalar(value, def, op, clause.caseSensitive === true, valuePath, ctx, out);
      }
      return;
    case 'list':
      if (!Array.isArray(value)) {
        out.push(problem('invalid_value', `${quote(spec.label)} needs a list of values for ${quote(def.label)}.`, where(valuePath)));
      } else if (value.length === 0) {
        out.push(problem('invalid_value', `Add at least one value to the list for ${quote(def.label)}.`, where(valuePath)));
      } else {
        for (let i = 0; i < value.length; i++) checkScalar(value[i], def, op, clause.caseSensitive === true, join(valuePath, i), ctx, out);
      }
      return;
    case 'range':
      checkRange(value, def, valuePath, ctx, out);
      return;
    case 'pattern':
      checkPattern(clause, def.label, ctx, path, out);
      return;
    case 'territory':
      checkTerritory(value, ctx, path, out);
      return;
  }
}

const EXAMPLES: Record<FieldType, string> = {
  text: 'text, like "Acme"',
  picklist: 'one of its options',
  number: 'a number, like 500',
  boolean: 'true or false',
  date: 'a date like 2024-05-01 or a date and time like 2024-05-01T09:00:00Z',
  location: 'a location',
};

function checkScalar(value: unknown, def: FieldDef, op: Operator, caseSensitive: boolean, path: string, ctx: CheckContext, out: Problem[]): void {
  const where = { nodeId: ctx.nodeId, path };
  const wrong = (got: string) =>
    out.push(problem('invalid_value', `${quote(def.label)} is ${TYPE_WORDS[def.type]}, so the value must be ${EXAMPLES[def.type]}${got}.`, where));
  switch (def.type) {
    case 'text':
    case 'picklist': {
      if (typeof value !== 'string') {
        wrong(` (got ${describe(value)})`);
        return;
      }
      if (value.trim() === '') {
        out.push(problem('invalid_value', `The value for ${quote(def.label)} is blank. Enter the text to compare with, or use "is empty" / "is set".`, where));
        return;
      }
      const options = def.options;
      const exact = op === 'equals' || op === 'not_equals' || op === 'in' || op === 'not_in';
      if (def.type === 'picklist' && exact && options !== undefined && options.length > 0) {
        const v = caseSensitive ? value.trim() : value.trim().toLowerCase();
        if (!options.some((o) => (caseSensitive ? o.trim() : o.trim().toLowerCase()) === v)) {
          const near = closest(value, options.map((o) => ({ key: o, text: o })));
          const shown = options.length > 20 ? `${options.slice(0, 20).join(', ')}, …` : options.join(', ');
          out.push(
            problem(
              'invalid_value',
              `${quote(def.label)} has no option ${quote(value)}.${near ? ` Did you mean ${near}?` : ''} Choose one of: ${shown}.`,
              where,
            ),
          );
        }
      }
      return;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) wrong(` (got ${describe(value)})`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') wrong(` (got ${describe(value)})`);
      return;
    case 'date':
      if (parseIsoDate(value) === null) wrong(` (got ${describe(value)})`);
      return;
    case 'location':
      wrong('');
      return;
  }
}

function checkRange(value: unknown, def: FieldDef, path: string, ctx: CheckContext, out: Problem[]): void {
  const where = (p: string) => ({ nodeId: ctx.nodeId, path: p });
  const example = def.type === 'date' ? 'like [2024-01-01, 2024-03-31]' : 'like [10, 500]';
  if (!Array.isArray(value) || value.length !== 2) {
    out.push(problem('invalid_value', `"is between" needs two values for ${quote(def.label)}, the low end and the high end, ${example}.`, where(path)));
    return;
  }
  if (def.type === 'number') {
    const [lo, hi] = value as unknown[];
    let ok = true;
    for (const [i, v] of [lo, hi].entries()) {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        ok = false;
        out.push(problem('invalid_value', `${quote(def.label)} is a number field, so the ${i === 0 ? 'low' : 'high'} end must be a number (got ${describe(v)}).`, where(join(path, i))));
      }
    }
    if (ok && (lo as number) > (hi as number)) {
      out.push(problem('invalid_value', `The low end (${String(lo)}) is greater than the high end (${String(hi)}). Swap them.`, where(path)));
    }
    return;
  }
  // Dates: a bare date bound covers its whole day, so [2024-01-01T10:00Z, 2024-01-01] is a valid range.
  const lo = parseIsoDate(value[0]);
  const hi = parseIsoDate(value[1]);
  if (lo === null) out.push(problem('invalid_value', `${quote(def.label)} is a date field, so the low end must be a date like 2024-05-01 (got ${describe(value[0])}).`, where(join(path, 0))));
  if (hi === null) out.push(problem('invalid_value', `${quote(def.label)} is a date field, so the high end must be a date like 2024-05-01 (got ${describe(value[1])}).`, where(join(path, 1))));
  if (lo !== null && hi !== null && lo.ms > (hi.dateOnly ? hi.ms + 86_399_999 : hi.ms)) {
    out.push(problem('invalid_value', `The start (${String(value[0])}) is after the end (${String(value[1])}). Swap them.`, where(path)));
  }
}

function checkPattern(clause: Record<string, unknown>, label: string, ctx: CheckContext, path: string, out: Problem[]): void {
  const where = { nodeId: ctx.nodeId, path: join(path, 'value') };
  const value = clause.value;
  if (typeof value !== 'string' || value === '') {
    out.push(problem('invalid_value', `Enter the pattern ${quote(label)} should match.`, where));
    return;
  }
  const compiled = compilePattern(value, clause.caseSensitive === true);
  if (!compiled.ok) out.push(problem('pattern_rejected', `The pattern for ${quote(label)} cannot be used: ${compiled.reason}.`, where));
}

function checkTerritory(value: unknown, ctx: CheckContext, path: string, out: Problem[]): void {
  const where = { nodeId: ctx.nodeId, path: join(path, 'value') };
  if (typeof value !== 'string' || value.trim() === '') {
    out.push(problem('invalid_value', 'Choose a territory.', where));
    return;
  }
  const ids = ctx.territoryIds;
  if (ids !== null && !ids.has(value)) {
    const near = closest(value, [...ids].map((id) => ({ key: id, text: id })));
    out.push(problem('unknown_territory', `There is no territory ${quote(value)} in the directory.${near ? ` Did you mean ${near}?` : ''}`, where));
  }
}

/** A value in words, for "got ..." in messages. */
function describe(v: unknown): string {
  if (v === undefined || v === null) return 'nothing';
  if (typeof v === 'string') return v.trim() === '' ? 'blank text' : `the text ${quote(v.length > 40 ? v.slice(0, 39) + '…' : v)}`;
  if (typeof v === 'number') return Number.isFinite(v) ? `the number ${v}` : 'a number that is not finite';
  if (typeof v === 'boolean') return `${v}`;
  if (Array.isArray(v)) return 'a list';
  return 'something else';
}

/**
 * The candidate key whose text is nearest to `input` (edit distance, ignoring case and spaces), when it is
 * near enough to be a likely typo; ties go to the first candidate, so the suggestion is stable.
 */
function closest(input: string, candidates: ReadonlyArray<{ key: string; text: string }>): string | null {
  const a = input.toLowerCase().replace(/\s+/g, '');
  if (a === '' || a.length > 100) return null;
  const limit = Math.max(1, Math.floor(a.length / 3));
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const b = c.text.toLowerCase().replace(/\s+/g, '');
    if (b.length > 100 || Math.abs(b.length - a.length) >= bestDistance) continue;
    const d = editDistance(a, b, bestDistance);
    if (d < bestDistance) {
      bestDistance = d;
      best = c.key;
    }
  }
  return best;
}

/** Levenshtein distance, giving up (returning `cap`) once every path costs at least `cap`. */
function editDistance(a: string, b: string, cap: number): number {
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= cap) return cap;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] ?? cap;
}

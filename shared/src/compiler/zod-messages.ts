import type { z } from 'zod';

/** One zod issue in plain words, with the path it applies to. */
export interface PlainIssue {
  path: Array<string | number>;
  /** e.g. `Case 1 label: must not be empty`. */
  text: string;
}

type Issue = z.core.$ZodIssue;

// Words for the keys of node and edge documents. A key not listed here is shown in quotes (record keys such
// as header names or mapped fields), or split from camelCase when it looks like a property name.
const KEY_WORDS: Record<string, string> = {
  id: 'id',
  type: 'type',
  position: 'position',
  label: 'label',
  config: 'settings',
  source: 'source',
  sourceHandle: 'outcome',
  target: 'target',
  filter: 'filter',
  cases: 'case',
  condition: 'condition',
  conditions: 'condition',
  match: 'match (all / any)',
  field: 'field',
  operator: 'operator',
  value: 'value',
  caseSensitive: 'case sensitive',
  elseLabel: 'Else label',
  variants: 'variant',
  percent: 'percent',
  provider: 'provider',
  fields: 'field',
  overwrite: 'overwrite',
  http: 'HTTP settings',
  urlTemplate: 'URL template',
  headers: 'headers',
  timeoutMs: 'timeout (ms)',
  mapping: 'response mapping',
  by: 'match method',
  rules: 'rule',
  category: 'category',
  points: 'points',
  grades: 'grade',
  grade: 'grade name',
  min: 'minimum score',
  strategy: 'strategy',
  teamId: 'team',
  repId: 'rep',
  queueId: 'queue',
  territoryIds: 'territory',
  eligibility: 'eligibility',
  skills: 'skill',
  skillFromField: 'skill from field',
  respectCapacity: 'respect capacity',
  respectWorkingHours: 'respect working hours',
  respectOutOfOffice: 'respect out-of-office',
  respectAvailability: 'respect online/offline',
  excludePreviousAssignees: 'skip previous assignees',
  channel: 'channel',
  recipient: 'recipient',
  address: 'email address',
  url: 'URL',
  subject: 'subject',
  message: 'message',
  until: 'wait until',
  timeout: 'SLA timeout',
  amount: 'amount',
  unit: 'unit',
  to: 'escalate to',
  outcome: 'outcome name',
  set: 'field update',
};

// Containers whose keys are data (header names, lead fields), not property names.
const RECORD_KEYS = new Set(['headers', 'mapping']);

// Words for the top-level keys of a node or an edge, where `id` alone would be unclear.
const TOP_WORDS: Record<Owner, Record<string, string>> = {
  node: { id: 'step id', type: 'step type', label: 'title', position: 'position', config: 'settings' },
  edge: { id: 'connection id', source: 'from step', sourceHandle: 'outcome', target: 'to step' },
  note: { id: 'note id', x: 'x position', y: 'y position', width: 'width', height: 'height', text: 'text', color: 'colour' },
};

/** What a path is inside of: a node, an edge or a sticky note. */
export type Owner = 'node' | 'edge' | 'note';

/** Names the place a path points to: `config.cases.0.label` -> `Case 1 label`. */
export function describePath(path: ReadonlyArray<PropertyKey>, owner: Owner = 'node'): string {
  const words: string[] = [];
  const segments = path[0] === 'config' && path.length > 1 ? path.slice(1) : path;
  const top = TOP_WORDS[owner];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const prev = i > 0 ? segments[i - 1] : undefined;
    if (typeof seg === 'number') {
      words.push(String(seg + 1));
      continue;
    }
    const key = String(seg);
    if (i === 0 && segments === path && Object.prototype.hasOwnProperty.call(top, key)) {
      words.push(top[key] as string);
      continue;
    }
    // `condition.conditions.2` reads better as `condition 3` than `condition condition 3`.
    if (key === 'conditions' && prev === 'condition') continue;
    if (typeof prev === 'string' && RECORD_KEYS.has(prev)) words.push(`'${key}'`);
    else words.push(Object.prototype.hasOwnProperty.call(KEY_WORDS, key) ? (KEY_WORDS[key] as string) : splitCamel(key));
  }
  const text = words.join(' ');
  return text === '' ? 'This step' : text.charAt(0).toUpperCase() + text.slice(1);
}

function splitCamel(key: string): string {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key)) return `'${key.length > 40 ? `${key.slice(0, 37)}...` : key}'`;
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** Turns zod issues into plain words, one per place; unions are reduced to the alternative that came closest. */
export function plainIssues(issues: readonly Issue[], owner: Owner, input: unknown, base: ReadonlyArray<PropertyKey> = []): PlainIssue[] {
  const out: PlainIssue[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path].map((k) => (typeof k === 'number' ? k : String(k)));
    // zod does not say whether a value was absent or wrong; the input does.
    if (issue.code !== 'custom' && valueAt(input, path) === undefined) {
      out.push({ path, text: `${describePath(path, owner)}: is required` });
      continue;
    }
    if (issue.code === 'invalid_union' && !('discriminator' in issue && issue.discriminator) && issue.errors.length > 0) {
      const expected = unionOfTypes(issue.errors);
      if (expected !== null) {
        out.push({ path, text: `${describePath(path, owner)}: ${expected}` });
        continue;
      }
      out.push(...plainIssues(closestAlternative(issue.errors), owner, input, path));
      continue;
    }
    out.push({ path, text: `${describePath(path, owner)}: ${phrase(issue)}` });
  }
  return firstPerPlace(out);
}

/**
 * The first issue at each place: an empty id breaks both its minimum length and its pattern, and the author
 * needs one message for one field ("must not be empty"), not two.
 */
function firstPerPlace(issues: readonly PlainIssue[]): PlainIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = JSON.stringify(i.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The value at a path inside the input, or undefined when any step of the way is missing. */
function valueAt(input: unknown, path: ReadonlyArray<string | number>): unknown {
  let at: unknown = input;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || !Object.prototype.hasOwnProperty.call(at, key)) return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

/** The branch of a failed union with the fewest issues: most likely what the author meant. */
function closestAlternative(alternatives: ReadonlyArray<readonly Issue[]>): Issue[] {
  let best: readonly Issue[] = alternatives[0] ?? [];
  for (const alt of alternatives) if (countIssues(alt) < countIssues(best)) best = alt;
  return [...best];
}

function countIssues(issues: readonly Issue[]): number {
  let n = 0;
  for (const i of issues) n += i.code === 'invalid_union' && i.errors.length > 0 ? Math.min(...i.errors.map(countIssues)) : 1;
  return n;
}

/** When every alternative of a union failed on the value's own type, say which types would do. */
function unionOfTypes(alternatives: ReadonlyArray<readonly Issue[]>): string | null {
  const types: string[] = [];
  const collect = (alts: ReadonlyArray<readonly Issue[]>): boolean => {
    for (const alt of alts) {
      if (alt.length !== 1) return false;
      const only = alt[0] as Issue;
      if (only.path.length !== 0) return false;
      if (only.code === 'invalid_type') {
        const word = typeWord(only.expected);
        if (!types.includes(word)) types.push(word);
      } else if (only.code === 'invalid_union' && !('discriminator' in only && only.discriminator)) {
        if (!collect(only.errors)) return false;
      } else return false;
    }
    return true;
  };
  if (!collect(alternatives) || types.length === 0) return null;
  return `must be ${orWords(types)}`;
}

function orWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] as string}`;
}

function typeWord(expected: string): string {
  switch (expected) {
    case 'string':
      return 'text';
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'a list';
    case 'object':
      return 'a group of settings';
    case 'null':
      return 'empty';
    default:
      return expected;
  }
}

function valueWords(values: readonly unknown[]): string {
  const shown = values.slice(0, 20).map((v) => (typeof v === 'string' ? `'${v}'` : String(v)));
  return values.length === 1 ? `must be ${shown[0] as string}` : `must be one of ${shown.join(', ')}`;
}

function phrase(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${typeWord(issue.expected)}`;
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? 'must not be empty' : `must be at least ${min} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return min <= 1 ? 'needs at least one item' : `needs at least ${min} items`;
      return issue.inclusive === false ? `must be more than ${min}` : `must be at least ${min}`;
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${max} characters`;
      if (issue.origin === 'array' || issue.origin === 'set') return `can have at most ${max} items`;
      return issue.inclusive === false ? `must be less than ${max}` : `must be at most ${max}`;
    }
    case 'invalid_value':
      return valueWords(issue.values);
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator && 'options' in issue && Array.isArray(issue.options)) {
        return valueWords(issue.options as unknown[]);
      }
      return 'is not valid';
    case 'invalid_format':
      switch (issue.format) {
        case 'email':
          return 'must be an email address';
        case 'url':
          return 'must be a web address starting with http:// or https://';
        case 'datetime':
          return 'must be a date and time such as 2025-01-31T09:00:00Z';
        case 'regex':
          // Our schemas give their patterns a message in words; zod's default one shows the regex instead.
          return /^Invalid/.test(issue.message) ? 'has characters that are not allowed' : issue.message;
        default:
          return `must be a valid ${issue.format}`;
      }
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `has settings this step does not know: ${issue.keys.join(', ')}`;
    case 'invalid_key':
      return 'has a key that is not allowed';
    case 'invalid_element':
      return 'has an item that is not allowed';
    default:
      return issue.message;
  }
}

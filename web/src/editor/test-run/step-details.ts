import { boundedValue, type LeadValue } from '@lead-router/shared';

// What one step of a lead's test run received and produced, from its trace step: the fields it read (as it
// saw them) and the fields earlier steps had changed, then what it changed (the trace's bounded diff), the
// outcome it took, the assignee or account it chose. Pure: run-results.tsx renders it.

/** The most rows one list shows; the rest are counted. */
export const MAX_ROWS = 50;

/** One field as a step saw it. */
export interface ReceivedRow {
  field: string;
  value: string;
  /** True when the step's conditions or settings read this field. */
  read: boolean;
  /** The step that set it earlier in the run, when it no longer is what was posted. */
  setBy?: string;
}

/** One field a step changed. */
export interface ChangedRow {
  field: string;
  before: string;
  after: string;
}

/** A step as the results show it. */
export interface StepDetails {
  received: { rows: ReceivedRow[]; more: number };
  produced: {
    changes: ChangedRow[];
    /** Changed fields beyond those listed (the trace keeps at most 50 a step, the list at most MAX_ROWS). */
    more: number;
    outcome: string | null;
    /** Who the step gave the lead to (assign, escalate), by name. */
    assignee?: string;
    /** The account it matched. */
    account?: string;
  };
}

/** A field value in words: empty for nothing, long text cut at 500 characters with the rest counted. */
export function showValue(v: unknown): string {
  if (v === undefined || v === null || v === '') return 'empty';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(boundedValue(v as LeadValue));
  return String(boundedValue(JSON.stringify(v)));
}

/** An outcome's handle name in words: `no_eligible_rep` -> `no eligible rep`. */
export const outcomeWords = (o: string): string => o.replace(/_/g, ' ');

/** What the details read of a trace step (a simulate answer's `RunStep`, or shared's `TraceStep`). */
export interface DetailedStep {
  label: string;
  nodeType: string;
  input: Readonly<Record<string, unknown>>;
  output: Readonly<Record<string, unknown>>;
  outcome: string | null;
  changes?: { fields: ReadonlyArray<{ field: string; before: unknown; after: unknown }>; omitted: number } | undefined;
}

/**
 * Each step's details, in run order. `setBy` and the fields no step read come from the changes of the steps
 * before it: together with what it read, that is the lead as the step saw it, wherever it differs from the
 * lead as posted.
 */
export function stepDetails(steps: readonly DetailedStep[]): StepDetails[] {
  // Field -> the value earlier steps left it at and the last step that set it.
  const changed = new Map<string, { value: unknown; by: string }>();
  return steps.map((s) => {
    const rows: ReceivedRow[] = [];
    let more = 0;
    const add = (row: ReceivedRow) => {
      if (rows.length < MAX_ROWS) rows.push(row);
      else more++;
    };
    for (const [field, value] of Object.entries(s.input)) {
      const earlier = changed.get(field);
      add({ field, value: showValue(value), read: true, ...(earlier ? { setBy: earlier.by } : {}) });
    }
    for (const [field, c] of changed) if (!Object.hasOwn(s.input, field)) add({ field, value: showValue(c.value), read: false, setBy: c.by });

    const fields = s.changes?.fields ?? [];
    const changes = fields.slice(0, MAX_ROWS).map((c) => ({ field: c.field, before: showValue(c.before), after: showValue(c.after) }));
    for (const c of fields) changed.set(c.field, { value: c.after, by: s.label });
    const produced: StepDetails['produced'] = { changes, more: Math.max(0, fields.length - MAX_ROWS) + (s.changes?.omitted ?? 0), outcome: s.outcome };
    const out = s.output as { assignee?: { name?: unknown } | null; accountName?: unknown };
    if ((s.nodeType === 'assign' || s.nodeType === 'escalate') && out.assignee && typeof out.assignee.name === 'string') produced.assignee = out.assignee.name;
    if (s.nodeType === 'match_account' && typeof out.accountName === 'string') produced.account = out.accountName;
    return { received: { rows, more }, produced };
  });
}

import type { Lead, LeadValue } from '../fields/lead';
import type { FieldChange, StepChanges } from './trace';

// What each step changed on the lead, as a diff against the lead as the previous step left it: a test run
// shows per step what it received and what it produced without a copy of the whole lead per step. Bounded,
// so a step that sets hundreds of long fields cannot blow up a trace: at most MAX_CHANGES_SHOWN fields, and
// each value at most MAX_CHANGE_CHARS characters (the rest counted in the text).

/** The most changed fields a step records; the others are counted in `omitted`. */
export const MAX_CHANGES_SHOWN = 50;
/** The most characters of one text value a change records. */
export const MAX_CHANGE_CHARS = 500;

/** A value as a change records it: absent as null, long text cut at MAX_CHANGE_CHARS with the rest counted. */
export function boundedValue(v: LeadValue | undefined): LeadValue {
  if (v === undefined) return null;
  if (typeof v === 'string' && v.length > MAX_CHANGE_CHARS) return `${v.slice(0, MAX_CHANGE_CHARS)}… (${v.length - MAX_CHANGE_CHARS} more characters)`;
  return v;
}

/**
 * The fields of `lead` that differ from `seen` (absent and null count as the same), in the lead's field
 * order, bounded; `seen` is brought up to date with every change (recorded or omitted). Null when nothing
 * changed. Only the interpreter's own copies are passed in, so updating `seen` in place is safe.
 */
export function takeChanges(seen: Lead, lead: Lead): StepChanges | null {
  let fields: FieldChange[] | null = null;
  let omitted = 0;
  for (const k in lead) {
    const after = lead[k];
    const before = seen[k];
    if (Object.is(before ?? null, after ?? null)) continue;
    seen[k] = after as LeadValue;
    fields ??= [];
    if (fields.length < MAX_CHANGES_SHOWN) fields.push({ field: k, before: boundedValue(before), after: boundedValue(after) });
    else omitted++;
  }
  return fields === null ? null : { fields, omitted };
}

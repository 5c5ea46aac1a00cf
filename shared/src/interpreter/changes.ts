import type { LeadValue } from '../fields/lead';
import type { FieldChange, StepChanges } from './trace';

// What each step changed on the lead: steps write lead fields through `StepRun.write`, which logs each
// change here, so a test run shows per step what it received and produced without a copy of the whole lead
// per step, and without a diff of every field after every step (the simulation hot path). Bounded, so a
// step that sets hundreds of long fields cannot blow up a trace: at most MAX_CHANGES_SHOWN fields, each
// value at most MAX_CHANGE_CHARS characters (the rest counted in the text).

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

/** The same lead value (absent and null count as the same). */
const same = (a: LeadValue | undefined, b: LeadValue | undefined): boolean => Object.is(a ?? null, b ?? null);

/**
 * The changes of the step under way: `record` each write, `take` them when the step ends. A field written
 * twice in one step is one change, from its value before the step to its last value (none if it is back).
 */
export class ChangeLog {
  private fields: FieldChange[] | null = null;
  /** The raw value each listed field had before the step (the listed `before` may be cut). */
  private befores: Array<LeadValue | undefined> = [];
  /** Fields changed beyond the first MAX_CHANGES_SHOWN, by name (so a second write is not counted twice). */
  private extra: Set<string> | null = null;

  /** Notes that `field` went from `before` to `after`; nothing when they are the same. */
  record(field: string, before: LeadValue | undefined, after: LeadValue | undefined): void {
    const fields = this.fields;
    if (fields !== null) {
      for (let i = 0; i < fields.length; i++) {
        const c = fields[i] as FieldChange;
        if (c.field !== field) continue;
        if (same(this.befores[i], after)) {
          fields.splice(i, 1);
          this.befores.splice(i, 1);
        } else c.after = boundedValue(after);
        return;
      }
      if (this.extra?.has(field)) return;
    }
    if (same(before, after)) return;
    if (fields !== null && fields.length >= MAX_CHANGES_SHOWN) {
      (this.extra ??= new Set()).add(field);
      return;
    }
    (this.fields ??= []).push({ field, before: boundedValue(before), after: boundedValue(after) });
    this.befores.push(before);
  }

  /** True when the step under way has changed nothing yet. */
  isEmpty(): boolean {
    return this.fields === null || this.fields.length === 0;
  }

  /** The step's changes (undefined when none), and a clean log for the next step. */
  take(): StepChanges | undefined {
    const fields = this.fields;
    if (fields === null) return undefined;
    const omitted = this.extra?.size ?? 0;
    this.fields = null;
    this.befores = [];
    this.extra = null;
    return fields.length > 0 || omitted > 0 ? { fields, omitted } : undefined;
  }
}

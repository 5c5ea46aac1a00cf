import { findUnstorableText } from '@lead-router/shared';
import { invalidInput, type ErrorDetail } from '../errors/domain-error';

// Request bodies are checked field by field by their schemas (shared `Text`); documents stored whole (a
// graph, a lead, a list of changes) by this walk of the same rule, so no string reaches PostgreSQL that it
// refuses (a NUL character, a lone surrogate) and every refusal names its field.

/** Every string inside `value` (keys too) PostgreSQL cannot store, as details at `at.<path>`. */
export function unstorableText(value: unknown, at: ReadonlyArray<string | number> = []): ErrorDetail[] {
  return findUnstorableText(value).map((f) => ({ path: [...at, ...f.path].map(String).join('.') || '(body)', message: f.message }));
}

/** Refuses (`invalid_request`, naming each path) a value holding text PostgreSQL cannot store. */
export function assertStorable(value: unknown, at: ReadonlyArray<string | number> = []): void {
  const details = unstorableText(value, at);
  if (details.length > 0) throw invalidInput(details);
}

import { DirectorySchema, RepSchema, type DirectoryInput, type Rep, type RepInput } from '../directory/schema';
import type { Eligibility } from '../graph/nodes/assign';
import { indexDirectory, type DirectoryIndex } from './directory-index';

// Builders for the assignment tests. Kept out of *.test.ts files so several test files can share them
// without running each other's tests; pure, so harmless in the package.

/** A rep with schema defaults; `id` doubles as the name unless one is given. */
export function rep(id: string, extra: Partial<RepInput> = {}): Rep {
  return RepSchema.parse({ id, name: extra.name ?? id, email: `${id}@example.com`, timeZone: 'UTC', ...extra });
}

/** An indexed directory from schema input, defaults filled in. */
export function dirOf(input: DirectoryInput): DirectoryIndex {
  return indexDirectory(DirectorySchema.parse(input));
}

/** Eligibility with everything respected and no skills, unless overridden. */
export function elig(extra: Partial<Eligibility> = {}): Eligibility {
  return { skills: [], respectCapacity: true, respectWorkingHours: true, respectOutOfOffice: true, ...extra };
}

/** An instant from an ISO string, for readable tests. */
export const at = (iso: string): number => Date.parse(iso);

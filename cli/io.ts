import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { DirectorySchema, type Directory } from '@lead-router/shared';

/** Input the CLI could not read: exit code 2, with a message naming the file and what is wrong. */
export class InputError extends Error {
  readonly exitCode = 2;
}

/** Reads a file as UTF-8 text, or fails with an InputError naming it. */
export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`Cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message}`);
  }
}

/** Reads and parses a JSON file, or fails with an InputError naming the file and the position. */
export function readJson(path: string, what: string): unknown {
  const text = readText(path, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${what} ${basename(path)} is not valid JSON: ${(e as Error).message}`);
  }
}

/** Reads a directory document, or fails naming every invalid field. */
export function readDirectory(path: string): Directory {
  const raw = readJson(path, 'directory');
  const parsed = DirectorySchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 20).map((i) => `  ${i.path.join('.') || '(document)'}: ${i.message}`);
    const more = parsed.error.issues.length > 20 ? `\n  ...and ${parsed.error.issues.length - 20} more` : '';
    throw new InputError(`directory ${basename(path)} is not valid:\n${lines.join('\n')}${more}`);
  }
  return parsed.data;
}

/** Parses an ISO instant option. */
export function parseInstant(value: string, option: string): number {
  const ok = z.iso.datetime({ offset: true }).safeParse(value);
  if (!ok.success) throw new InputError(`${option} must be an ISO 8601 instant such as 2026-11-23T15:00:00Z; got "${value}"`);
  return Date.parse(value);
}

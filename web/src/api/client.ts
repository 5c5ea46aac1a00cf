import type { AppType } from '@lead-router/server/app';
import { hc } from 'hono/client';

/** The type of the typed client, named: the API is too large for TypeScript to write out its inferred type. */
export type ApiClient = ReturnType<typeof hc<AppType>>;

/** The one typed client of the API: every route's input and output types come from the server's zod schemas. */
export const api: ApiClient = hc<AppType>('/', { init: { credentials: 'same-origin' } });

/** One problem the server listed in an error's details (see server/src/http/errors.ts). */
export interface ApiProblem {
  code?: string;
  message: string;
  nodeId?: string;
  path?: string;
}

/** An error answered by the API, carrying its status and every problem it listed. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: ApiProblem[] = [],
    readonly body: unknown = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The body type of a typed response's success statuses (hono marks them `ok: true`). */
export type SuccessBody<R> = R extends { ok: true; json(): Promise<infer T> } ? T : never;

/**
 * Reads a typed client response: its JSON when ok, an ApiError otherwise.
 * @example const wf = await read(api.api.workflows[':id'].$get({ param: { id } }));
 */
export async function read<R extends { ok: boolean; status: number; json(): Promise<unknown> }>(pending: Promise<R>): Promise<SuccessBody<R>> {
  const res = await pending;
  if (res.ok) {
    // A 204 (a delete) has no body to parse.
    if (res.status === 204) return undefined as SuccessBody<R>;
    return (await res.json()) as SuccessBody<R>;
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = undefined;
  }
  const error = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
  const problems = Array.isArray(error?.details) ? (error.details as ApiProblem[]) : [];
  throw new ApiError(res.status, error?.code ?? `http_${res.status}`, error?.message ?? `The server answered ${res.status}.`, problems, body);
}

import { hostOf, IdSchema } from '@lead-router/shared';
import { z } from 'zod';
import { UUID_PATTERN } from './workflow-access';

// The one cursor codec of the paged listings (leads, audit log, accounts, companies). A cursor is the keys
// of the last row of a page, with the kind of listing first, as base64url JSON. It is opaque to clients and
// checked strictly when it comes back: the kind, the number and shape of the keys, real instants (a
// 2026-02-30 is refused, not handed to PostgreSQL), and that it is exactly what this codec would write. So a
// forged or damaged cursor is a 400 naming `cursor`, never a database error. Services encode the next
// cursor; routes decode the one they are given through `param()`, so services only ever see checked keys.

/** The longest cursor accepted; the ones given out are far shorter. */
const MAX_CURSOR_LENGTH = 512;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** What a refused cursor is told. */
export const INVALID_CURSOR_MESSAGE = 'is not a cursor this API gave out; start again without it';

type Check<T> = (v: unknown) => v is T;

/** The codec of one kind of cursor: its keys, in order, each with its check. */
export class CursorCodec<T extends readonly unknown[]> {
  constructor(
    private readonly kind: string,
    private readonly checks: { readonly [K in keyof T]: Check<T[K]> },
  ) {}

  /** The cursor of a page that ends on a row with these keys. */
  encode(...keys: T): string {
    return Buffer.from(JSON.stringify([this.kind, ...keys]), 'utf8').toString('base64url');
  }

  /** The keys of a cursor this codec wrote, or null for anything else. */
  decode(cursor: string): T | null {
    if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) return null;
    let value: unknown;
    try {
      value = JSON.parse(STRICT_UTF8.decode(Buffer.from(cursor, 'base64url')));
    } catch {
      return null;
    }
    const checks = this.checks as ReadonlyArray<Check<unknown>>;
    if (!Array.isArray(value) || value.length !== checks.length + 1 || value[0] !== this.kind) return null;
    const keys = value.slice(1);
    if (!checks.every((check, i) => check(keys[i]))) return null;
    // Exactly what encode writes: no padding, other JSON spacing or number spelling slips through.
    return this.encode(...(keys as unknown as T)) === cursor ? (keys as unknown as T) : null;
  }

  /** The optional `cursor` query parameter, decoded: a 400 naming `cursor` when it is not one of ours. */
  param(description = "The previous page's nextCursor") {
    return z
      .string()
      .transform((s, ctx) => {
        const keys = this.decode(s);
        if (keys === null) {
          ctx.addIssue({ code: 'custom', message: INVALID_CURSOR_MESSAGE });
          return z.NEVER;
        }
        return keys;
      })
      .optional()
      .openapi({ param: { name: 'cursor', in: 'query' }, description });
  }
}

const MICROS_INSTANT = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** An instant at microsecond precision as PostgreSQL writes it (`2026-01-06T15:00:00.123456Z`), and a real one. */
export function isMicrosInstant(v: unknown): v is string {
  if (typeof v !== 'string') return false;
  const m = MICROS_INSTANT.exec(v);
  if (!m || Number(m[1]) < 1) return false;
  // A round trip through Date refuses what does not exist (February 30th, hour 24, second 60).
  const ms = v.slice(0, 23);
  const d = new Date(`${ms}Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 23) === ms;
}

const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID_PATTERN.test(v);
const isBigserial = (v: unknown): v is string => typeof v === 'string' && /^[1-9]\d{0,17}$/.test(v);
const isDirectoryId = (v: unknown): v is string => IdSchema.safeParse(v).success;
// Companies are stored under their normalised host, so a cursor's domain is one already.
const isDomain = (v: unknown): v is string => typeof v === 'string' && v.length <= 253 && hostOf(v) === v;

/** `GET /api/leads`: newest first, on (received at, lead id). */
export const leadCursor = new CursorCodec<readonly [receivedAt: string, leadId: string]>('leads', [isMicrosInstant, isUuid]);
/** `GET /api/audit`: newest first, on the entry id. */
export const auditCursor = new CursorCodec<readonly [id: string]>('audit', [isBigserial]);
/** `GET /api/accounts`: by id. */
export const accountCursor = new CursorCodec<readonly [id: string]>('accounts', [isDirectoryId]);
/** `GET /api/companies`: by domain. */
export const companyCursor = new CursorCodec<readonly [domain: string]>('companies', [isDomain]);
/** `GET /api/queues/{id}/leads`: by queued-at (oldest or newest first), then lead id. */
export const queueLeadCursor = new CursorCodec<readonly [sort: 'oldest' | 'newest', queuedAt: string, leadId: string]>('queue-leads', [
  (v): v is 'oldest' | 'newest' => v === 'oldest' || v === 'newest',
  isMicrosInstant,
  isUuid,
]);

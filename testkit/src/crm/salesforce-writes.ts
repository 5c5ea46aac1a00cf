import { CONTRACT_OBJECTS } from './salesforce-objects';

// What the contract server checks of a write (sObject PATCH, Composite sObject Collections), with the
// error codes Salesforce answers.

/** One refused field of a write, as Salesforce reports it. */
export interface WriteProblem {
  message: string;
  errorCode: string;
  fields: string[];
}

const fieldOf = (object: string, name: string) => CONTRACT_OBJECTS[object]?.fields.find((x) => x.name.toLowerCase() === name.toLowerCase());

/** The first problem of writing `body` to a record of `object`, or null. */
export function checkWrite(object: string, body: Record<string, unknown>, exists: (id: string) => boolean): WriteProblem | null {
  for (const [k, v] of Object.entries(body)) {
    if (k === 'attributes' || k === 'id') continue;
    const fd = fieldOf(object, k);
    if (!fd) return { message: `No such column '${k}' on sobject of type ${object}`, errorCode: 'INVALID_FIELD', fields: [k] };
    if (fd.updateable === false) return { message: `Unable to create/update fields: ${fd.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: [fd.name] };
    if (fd.type === 'reference' && v !== null && (typeof v !== 'string' || !/^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/.test(v))) {
      return { message: `${fd.label}: id value of incorrect type: ${String(v)}`, errorCode: 'MALFORMED_ID', fields: [fd.name] };
    }
    // A well-formed id of no record (a deleted user, another org's id): Salesforce's cross-reference error.
    if (fd.type === 'reference' && v !== null && !exists(v as string)) {
      return { message: `${fd.label}: invalid cross reference id`, errorCode: 'INVALID_CROSS_REFERENCE_KEY', fields: [fd.name] };
    }
    if (['int', 'double', 'currency', 'percent'].includes(fd.type) && v !== null && typeof v !== 'number') {
      return { message: `${fd.label}: value not of required type: ${String(v)}`, errorCode: 'INVALID_TYPE_ON_FIELD_IN_RECORD', fields: [fd.name] };
    }
  }
  return null;
}

type ItemError = { statusCode: string; message: string; fields: string[] };

/**
 * PATCH /composite/sobjects: at most 200 records; each checked; with allOrNone one failure rolls back all
 * (the others answer ALL_OR_NONE_OPERATION_ROLLED_BACK). Returns the updates to apply and the answer.
 */
export function collectionsUpdate(
  body: unknown,
  store: { has: (type: string, id: string) => boolean; exists: (id: string) => boolean },
): { error: { errorCode: string; message: string } } | { apply: Array<{ type: string; id: string; fields: Record<string, unknown> }>; answer: unknown[] } {
  const b = body as { allOrNone?: boolean; records?: Array<Record<string, unknown>> } | null;
  if (!b || !Array.isArray(b.records)) return { error: { errorCode: 'JSON_PARSER_ERROR', message: 'Expected a body with records' } };
  if (b.records.length > 200) return { error: { errorCode: 'EXCEEDED_ID_LIMIT', message: 'record limit reached. cannot submit more than 200 records into this call' } };
  const results = b.records.map((r) => {
    const type = (r.attributes as { type?: string } | undefined)?.type ?? '';
    const id = typeof r.id === 'string' ? r.id : '';
    const fail = (error: ItemError) => ({ id, ok: false as const, error });
    if (!CONTRACT_OBJECTS[type]) return fail({ statusCode: 'INVALID_TYPE', message: `sObject type '${type}' is not supported.`, fields: [] });
    if (!store.has(type, id)) return fail({ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] });
    const p = checkWrite(type, r, store.exists);
    if (p) return fail({ statusCode: p.errorCode, message: p.message, fields: p.fields });
    const { attributes: _a, id: _i, ...fields } = r;
    return { id, ok: true as const, type, fields };
  });
  if (b.allOrNone && results.some((r) => !r.ok)) {
    const rolledBack: ItemError = { statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] };
    return { apply: [], answer: results.map((r) => ({ id: r.id, success: false, errors: [r.ok ? rolledBack : r.error] })) };
  }
  return {
    apply: results.flatMap((r) => (r.ok ? [{ type: r.type, id: r.id, fields: r.fields }] : [])),
    answer: results.map((r) => (r.ok ? { id: r.id, success: true, errors: [] } : { id: r.id, success: false, errors: [r.error] })),
  };
}

/**
 * POST /composite/sobjects: at most 200 new records, each checked (without allOrNone, a refused one leaves
 * the others). Returns the records to create and a function that answers once they have ids.
 */
export function collectionsCreate(
  body: unknown,
  exists: (id: string) => boolean,
): { error: { errorCode: string; message: string } } | { create: Array<{ index: number; type: string; fields: Record<string, unknown> }>; answer: (ids: Map<number, string>) => unknown[] } {
  const b = body as { allOrNone?: boolean; records?: Array<Record<string, unknown>> } | null;
  if (!b || !Array.isArray(b.records)) return { error: { errorCode: 'JSON_PARSER_ERROR', message: 'Expected a body with records' } };
  if (b.records.length > 200) return { error: { errorCode: 'EXCEEDED_ID_LIMIT', message: 'record limit reached. cannot submit more than 200 records into this call' } };
  const checked = b.records.map((r, index) => {
    const type = (r.attributes as { type?: string } | undefined)?.type ?? '';
    if (!CONTRACT_OBJECTS[type]) return { index, error: { statusCode: 'INVALID_TYPE', message: `sObject type '${type}' is not supported.`, fields: [] } as ItemError };
    const p = checkWrite(type, r, exists);
    if (p) return { index, error: { statusCode: p.errorCode, message: p.message, fields: p.fields } };
    const { attributes: _a, ...fields } = r;
    return { index, type, fields };
  });
  const failed = checked.some((c) => 'error' in c);
  const create = b.allOrNone && failed ? [] : checked.flatMap((c) => ('error' in c ? [] : [{ index: c.index, type: c.type, fields: c.fields }]));
  return {
    create,
    answer: (ids) => checked.map((c) => (ids.has(c.index) ? { id: ids.get(c.index), success: true, errors: [] } : { success: false, errors: ['error' in c ? c.error : { statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back because not all records were valid and the request was using AllOrNone header', fields: [] }] })),
  };
}

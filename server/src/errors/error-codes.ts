/**
 * The registry of API error codes: every `error.code` the API answers with, the HTTP status it is answered
 * with, and the message it has when whoever raised it gave none. Services raise these codes (as
 * DomainErrors) and never choose a status; the HTTP layer (http/on-error.ts) looks the status up here.
 * A client's mistake is never a 5xx: only `internal_error` is.
 */
export const API_ERROR_CODES = [
  // 400: the request itself is wrong
  'invalid_request',
  'malformed_json',
  // 401: who is calling is unknown
  'unauthorized',
  'invalid_credentials',
  'invalid_signature',
  // 403: the caller may not do this
  'forbidden',
  'cross_origin_request',
  // 404
  'not_found',
  // 409: conflicts with what is stored
  'archived',
  'not_published',
  'stale_revision',
  'not_waiting',
  'not_failed',
  'still_routing',
  'already_closed',
  'duplicate_id',
  'duplicate_key',
  'webhook_replayed',
  'standard_field',
  'in_use',
  'email_taken',
  'cannot_demote_self',
  'last_admin',
  'not_in_queue',
  'job_ended',
  // 413, 415: the body cannot be taken
  'payload_too_large',
  'unsupported_media_type',
  // 422: well-formed, but names something wrong
  'invalid_graph',
  'golden_failed',
  'too_many_golden_leads',
  'unknown_reference',
  'invalid_reference',
  'unknown_rep',
  'limit_reached',
  'too_many_leads',
  'invalid_import',
  'too_much_work',
  'response_too_large',
  'time_budget_exceeded',
  'memory_budget_exceeded',
  'idempotency_key_reused',
  'cap_reached',
  // 429, 503: try again later (with Retry-After)
  'too_many_attempts',
  'unavailable',
  // Refused by the HTTP framework itself, with a status of its own
  'http_error',
  // 500: a bug on our side
  'internal_error',
] as const;

/** An error code from the registry. */
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** The statuses API errors are answered with. */
export type ApiErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

/** How one error code is answered. */
export interface ApiErrorSpec {
  status: ApiErrorStatus;
  /** What the error says when whoever raised it gave no message of its own. */
  message: string;
  /** Sent as Retry-After (seconds) unless the error carries its own. */
  retryAfterSeconds?: number;
}

/** Each code's status and default message; the `satisfies` makes a code without an entry a type error. */
export const API_ERRORS = {
  invalid_request: { status: 400, message: 'The request is not valid; `details` lists each problem with its field path.' },
  malformed_json: { status: 400, message: 'The request body is not valid JSON.' },
  unauthorized: { status: 401, message: 'Sign in, or send an API key as "Authorization: Bearer <key>".' },
  invalid_credentials: { status: 401, message: 'Wrong email or password.' },
  invalid_signature: { status: 401, message: "The signature does not match the body signed with this workflow's webhook secret." },
  forbidden: { status: 403, message: 'Your role cannot do this.' },
  cross_origin_request: { status: 403, message: 'This request came from a page outside this app, so its session cookie is not accepted.' },
  not_found: { status: 404, message: 'Not found in this workspace.' },
  archived: { status: 409, message: 'The workflow is archived; restore it first.' },
  not_published: { status: 409, message: 'Publish a version of this workflow first.' },
  stale_revision: { status: 409, message: 'Someone saved this draft after you loaded it. Reload it to see their changes, then make yours again.' },
  not_waiting: { status: 409, message: 'This lead is not waiting for an answer.' },
  not_failed: { status: 409, message: "Only a lead whose run failed can be retried; this one's run has not failed." },
  still_routing: { status: 409, message: 'This lead is still being routed; close it once its route has ended.' },
  already_closed: { status: 409, message: 'This lead is already closed.' },
  duplicate_id: { status: 409, message: 'The id is already taken.' },
  duplicate_key: { status: 409, message: 'The key is already taken.' },
  webhook_replayed: { status: 409, message: 'This signed request was already received; sign each delivery again with a fresh timestamp (and an Idempotency-Key to make retries safe).' },
  standard_field: { status: 409, message: 'That is a standard field; only custom fields can be declared or removed.' },
  in_use: { status: 409, message: 'It is still in use; remove the references first.' },
  email_taken: { status: 409, message: 'A user with this email already exists.' },
  cannot_demote_self: { status: 409, message: 'You cannot disable or demote yourself; ask another admin to do it.' },
  last_admin: { status: 409, message: "This is the workspace's last active admin; make someone else an admin first." },
  job_ended: { status: 409, message: 'This backfill has already ended (completed or cancelled).' },
  not_in_queue: { status: 409, message: 'The lead is no longer in this queue: someone else took it first, or it moved on.' },
  payload_too_large: { status: 413, message: 'The request body is too large; nothing was stored.' },
  unsupported_media_type: { status: 415, message: 'The body is not of a type this route takes.' },
  invalid_graph: { status: 422, message: 'The graph does not compile; `details` lists every problem with its node and field path.' },
  golden_failed: { status: 422, message: 'Golden leads would not route as expected. Fix the draft, or publish anyway with force.' },
  too_many_golden_leads: { status: 422, message: 'The workflow already keeps the most golden leads allowed; delete some first.' },
  unknown_reference: { status: 422, message: 'It names something that is not in this workspace.' },
  invalid_reference: { status: 422, message: 'It names something it may not (a rep managing themselves, a loop of managers).' },
  unknown_rep: { status: 422, message: "There is no such rep in this workspace's directory." },
  too_many_leads: { status: 422, message: 'The filter matches more leads than one backfill may take; narrow it.' },
  limit_reached: { status: 422, message: 'The workspace holds the most entries of this kind it may; delete some first.' },
  invalid_import: { status: 422, message: 'The file has problems; nothing was imported. `details` lists each one.' },
  too_much_work: { status: 422, message: 'This test run is too big (leads × steps of the graph over the limit per call); send fewer leads.' },
  response_too_large: { status: 422, message: 'The answer would be too large; ask for detail "path" or send fewer leads.' },
  time_budget_exceeded: { status: 422, message: 'The test run did not finish within its time budget and was stopped; send fewer leads.' },
  memory_budget_exceeded: { status: 422, message: 'The test run needed more memory than its budget and was stopped; ask for detail "path" or send fewer leads.' },
  idempotency_key_reused: { status: 422, message: 'The idempotency key was used for another request (another body); nothing was stored. Use a new key for a new lead.' },
  cap_reached: { status: 422, message: "Taking this lead would break the rep's cap; a manager may override it with a reason." },
  too_many_attempts: { status: 429, message: 'Too many attempts; try again later.' },
  unavailable: { status: 503, message: 'A service the API needs is unavailable; nothing was saved. Retry in a few seconds.', retryAfterSeconds: 5 },
  // The framework's own refusal keeps the status it chose (on-error.ts); 400 is what it is when it gives none.
  http_error: { status: 400, message: 'Request refused.' },
  internal_error: { status: 500, message: 'Something went wrong on our side; it has been logged.' },
} satisfies Record<ApiErrorCode, ApiErrorSpec>;

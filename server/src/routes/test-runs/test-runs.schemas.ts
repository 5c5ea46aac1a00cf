import { z } from '@hono/zod-openapi';
import { LeadRecordSchema, LeadSchema, MAX_NODES, SimulationSummarySchema, Text, TraceStepSchema } from '@lead-router/shared';
import { MAX_WINDOW_DAYS } from '../../services/backtest.service';
import { MAX_RESPONSE_BYTES, MAX_WORK_PER_CALL } from '../../services/simulation/limits';

/** The largest request body a simulation accepts: 10,000 leads of a few hundred bytes each, with room to spare. */
export const SIMULATE_BODY_LIMIT = 20 * 1024 * 1024;
/** A golden lead is one lead: a lead holds at most 200 fields of 10,000 characters. */
export const GOLDEN_BODY_LIMIT = 4 * 1024 * 1024;
/** Bodies that carry no leads. */
export const SMALL_BODY_LIMIT = 64 * 1024;
/** The most leads one simulation or backtest runs. */
export const MAX_BATCH_LEADS = 10_000;

const n = (x: number) => x.toLocaleString('en-US');
/** The bounds of one simulate or backtest call, in words, as the route descriptions state them. */
export const WORK_LIMITS_TEXT =
  `At most ${n(MAX_BATCH_LEADS)} leads per call, and at most ${n(MAX_WORK_PER_CALL)} lead-steps: leads × the steps of the graph ` +
  `(a graph has at most ${n(MAX_NODES)} steps, so ${n(MAX_WORK_PER_CALL / MAX_NODES)} leads through the largest one); more is refused before ` +
  `anything runs (422 \`too_much_work\`). The answer may take at most ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB as JSON (422 \`response_too_large\`). ` +
  'The run computes off the API\'s event loop with a time and a memory budget; one over either is stopped (422 `time_budget_exceeded`, ' +
  '`memory_budget_exceeded`). Every thread busy and the queue full: 503 `unavailable` with Retry-After.';

const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const err = (description: string) => json(ErrorSchema, description);

/** The error responses every route here may give. */
export const errors = {
  400: err('The request is not valid (malformed JSON, or fields listed with their paths)'),
  401: err('No credentials'),
  403: err('The role is too low'),
  404: err('No such workflow, version or golden lead in this workspace'),
} as const;
/** A test run's 422s: the graph, or one of the bounds of its work. */
export const testRunRefusedResponse = err(
  '`invalid_graph`: the draft does not compile, every problem in details with its node and field path. ' +
    `\`too_much_work\`: leads × steps of the graph over ${n(MAX_WORK_PER_CALL)}. \`response_too_large\`: the answer over ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB. ` +
    '`time_budget_exceeded`, `memory_budget_exceeded`: the run was stopped. Each message names the limit and the figures.',
);
export const tooLargeResponse = err('The body is too large (`payload_too_large`): 20 MiB for simulations, 4 MiB for a golden lead, 64 KiB for a backtest');
export const tooManyGoldenResponse = err('The workflow already keeps the most golden leads allowed (`too_many_golden_leads`)');
export { json };

export const WorkflowIdParams = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '0f8fad5b-d9cb-469f-a165-70867728950e' }) });
export const GoldenIdParams = WorkflowIdParams.extend({ goldenId: z.string().openapi({ param: { name: 'goldenId', in: 'path' } }) });

const IsoInstant = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 instant such as 2026-01-06T15:00:00Z' });
// Versions are int4 in the database: a larger number is a client mistake (400), never a database error.
const Source = z
  .union([z.literal('draft'), z.number().int().min(1).max(2_147_483_647)])
  .openapi({ description: '`draft` (default) or a published version number' });

/**
 * A lead as posted: any JSON object whose field names ingestion would take (`__proto__`, `constructor` and
 * `prototype` are refused here as ingest refuses them, naming the field); its values are checked against
 * the catalog per lead, not here.
 */
const RawLead = LeadRecordSchema.openapi({ type: 'object', description: 'A lead: field -> value' });

const WaitChoice = z.strictObject({
  outcome: z.enum(['accepted', 'timed_out', 'rejected']),
  afterMinutes: z
    .number()
    .min(0)
    .max(90 * 24 * 60)
    .optional(),
});
const WaitSpec = z.union([WaitChoice, z.array(WaitChoice).min(1).max(50)]);
/** How simulated waits resolve: a default, and per lead id; a list applies to a lead's successive waits. */
export const WaitPlanSchema = z
  .strictObject({
    default: WaitSpec.optional(),
    byLead: z
      .record(z.string(), WaitSpec)
      .refine((r) => Object.keys(r).length <= MAX_BATCH_LEADS, `at most ${MAX_BATCH_LEADS} leads`)
      .optional(),
  })
  .openapi({ description: 'Without any choice a wait is accepted at once.' });

export const SimulateBody = z.object({
  leads: z.array(RawLead).min(1, 'give at least one lead').max(MAX_BATCH_LEADS, `at most ${MAX_BATCH_LEADS} leads per call`),
  source: Source.default('draft'),
  waits: WaitPlanSchema.optional(),
  at: IsoInstant.optional().openapi({ description: 'The virtual instant each lead starts at (default now)' }),
  detail: z
    .enum(['full', 'path'])
    .default('full')
    .openapi({
      description: `\`full\` (default): every step of every lead. \`path\`: only the path; use it for big batches, whose full traces run to tens of MB (an answer over ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB is refused).`,
    }),
});

const SummarySchema = SimulationSummarySchema.openapi({ description: 'Counts over every lead given, invalid ones included (outcome `invalid`, unassigned).' });

export const SimulationResponseSchema = z
  .object({
    results: z.array(
      z.object({
        leadId: z.string().openapi({ description: "The lead's `id` field, else its 1-based position" }),
        outcome: z.string().openapi({ description: 'The end outcome; `invalid` for a lead that could not run' }),
        assignee: z.string().nullable(),
        assigneeType: z.enum(['rep', 'queue']).nullable(),
        path: z.array(z.string()),
        steps: z.array(TraceStepSchema).optional().openapi({ description: 'Only with detail `full`' }),
        problems: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
      }),
    ),
    summary: SummarySchema,
  })
  .openapi({
    description:
      "Each lead's result in input order and a summary: the shape of the CLI's `simulate --json`. Ask for detail `path` for batches of thousands of leads: " +
      `full traces take a few hundred bytes per lead-step, and an answer over ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB is refused (\`response_too_large\`).`,
  });

export const BacktestBody = z.object({
  since: IsoInstant.openapi({ description: `The window's start (inclusive). The window may span at most ${MAX_WINDOW_DAYS} days.` }),
  until: IsoInstant.optional().openapi({ description: 'The window\'s end (exclusive); default now' }),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_BATCH_LEADS)
    .default(1000)
    .openapi({
      description: `The most leads of the window to replay (oldest first); leads × the steps of the active version and of the tested graph at most ${n(MAX_WORK_PER_CALL)}`,
    }),
  source: Source.default('draft').openapi({ description: 'What to test against the active version: `draft` (default) or a published version number' }),
});

const ReplaySchema = z.object({
  assignee: z.string().nullable(),
  assigneeType: z.enum(['rep', 'queue']).nullable(),
  path: z.array(z.string()),
  outcome: z.string().openapi({ description: "The end's outcome; `invalid` for a lead that no longer fits the fields, `waiting` for one stopped at a wait still open in reality" }),
});
const RunStatusSchema = z.enum(['queued', 'running', 'waiting', 'completed', 'failed']);

const BacktestLeadSchema = z.object({
  leadId: z.string(),
  label: z.string().openapi({ description: "The lead's name, else its email or company, else its id" }),
  receivedAt: z.string(),
  actual: z.object({ assignee: z.string().nullable(), path: z.array(z.string()), status: RunStatusSchema.nullable().openapi({ description: 'null: no run yet' }) }),
  active: ReplaySchema.nullable().openapi({ description: "The active version's replay; null when no version is active" }),
  candidate: ReplaySchema.openapi({ description: "The tested source's replay (the draft by default)" }),
  moved: z.boolean().openapi({ description: "The candidate's assignee differs from the active replay's (from the real one when no version is active)" }),
  reproduced: z.boolean().nullable().openapi({ description: "The active replay's assignee is the real one; null without an active version or for a lead not routed yet" }),
});

const AssigneeCountsSchema = z.object({
  id: z.string().nullable().openapi({ description: 'A rep or queue id; null for leads that end with nobody' }),
  type: z.enum(['rep', 'queue']).nullable(),
  actual: z.number().openapi({ description: 'Leads it really has' }),
  active: z.number().openapi({ description: "Leads it gets in the active version's replay" }),
  candidate: z.number().openapi({ description: "Leads it gets in the candidate's replay" }),
});

export const BacktestResponseSchema = z
  .object({
    window: z.object({
      since: z.string(),
      until: z.string(),
      total: z.number().openapi({ description: "The window's leads" }),
      replayed: z.number().openapi({ description: 'The first `limit` of them, replayed' }),
      limit: z.number(),
    }),
    active: z.object({ version: z.number() }).nullable().openapi({ description: 'The version replayed as the baseline; null when none is active' }),
    candidate: z.object({ source: z.union([z.literal('draft'), z.number()]) }),
    summary: z.object({
      leads: z.number(),
      moved: z.number().openapi({ description: "Leads whose candidate assignee differs from the active replay's" }),
      assignees: z.array(AssigneeCountsSchema).openapi({ description: 'Per assignee, each column adding up to `leads`: shares of the window are counts / leads' }),
    }),
    fidelity: z
      .object({
        compared: z.number().openapi({ description: 'Leads already routed in reality' }),
        matched: z.number().openapi({ description: 'Of those, the leads whose active replay ends with their real assignee' }),
        notRouted: z.number(),
      })
      .nullable()
      .openapi({ description: "How well the active version's replay reproduces what really happened; null when no version is active" }),
    assumptions: z.array(z.object({ id: z.string(), text: z.string() })).openapi({ description: 'What the replays assume, in words' }),
    leads: z.array(BacktestLeadSchema),
  })
  .openapi({
    description:
      "The window's leads replayed twice, through the active version and through the tested source, from the same routing state (that of the window's start, rebuilt " +
      'from the history), in real time order, with waits ending as they really did. An unchanged draft moves no lead. `fidelity` holds the active replay against reality.',
  });

const ExpectFields = {
  assignee: Text(64).min(1).optional().openapi({ description: 'The rep or queue id the lead must end with' }),
  team: Text(64).min(1).optional().openapi({ description: 'A team the final assignee must be a member of' }),
  node: Text(64).min(1).optional().openapi({ description: 'A node the path must visit' }),
  outcome: Text(64).min(1).optional().openapi({ description: 'The end outcome the lead must reach' }),
};

export const CreateGoldenBody = z.object({
  name: Text(200).trim().min(1, 'must not be empty'),
  lead: RawLead,
  expect: z
    .object({ ...ExpectFields, at: IsoInstant.optional().openapi({ description: 'The virtual instant it runs at (default 2026-01-06T15:00:00Z)' }) })
    .refine((e) => e.assignee !== undefined || e.team !== undefined || e.node !== undefined || e.outcome !== undefined, {
      message: 'give at least one expectation: assignee, team, node or outcome',
    }),
});

const GoldenResultSchema = z.object({
  id: z.string(),
  name: z.string(),
  passed: z.boolean(),
  expected: z.object(ExpectFields),
  actual: z.object({ assignee: z.string().nullable(), outcome: z.string(), path: z.array(z.string()) }),
  message: z.string(),
});

const GoldenLeadSchema = z.object({
  id: z.string(),
  name: z.string(),
  lead: LeadSchema,
  expect: z.object({ ...ExpectFields, at: z.string().optional() }),
  createdAt: z.string(),
  result: GoldenResultSchema.nullable().openapi({ description: 'The verdict against the current draft; null when the draft does not compile' }),
});

const DetailSchema = z.object({ path: z.string(), message: z.string(), code: z.string().optional(), nodeId: z.string().optional(), edgeId: z.string().optional() });

export const GoldenSuiteSchema = z.object({
  goldenLeads: z.array(GoldenLeadSchema),
  draftRevision: z.number().nullable(),
  passed: z.number().nullable(),
  failed: z.number().nullable(),
  omitted: z
    .object({ reason: z.string(), problems: z.array(DetailSchema) })
    .nullable()
    .openapi({ description: 'Why there are no results: the draft does not compile (its problems) or there is no draft' }),
});

export const GoldenCreatedSchema = z.object({
  goldenLead: GoldenLeadSchema,
  omitted: z.string().nullable().openapi({ description: 'Why `result` is null, if it is' }),
});

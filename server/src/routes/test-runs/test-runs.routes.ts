import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { requireRole } from '../../auth/principal';
import type { AppEnv } from '../../http/context';
import { DomainError } from '../../errors/domain-error';
import { jsonText } from '../../http/json-text';
import { validationHook } from '../../http/validation';
import { backtestWorkflow, MAX_WINDOW_DAYS } from '../../services/backtest.service';
import { createGoldenLead, deleteGoldenLead, getGoldenSuite } from '../../services/golden.service';
import { simulateWorkflow } from '../../services/simulation.service';
import { testLeadsImportRoutes } from './test-leads-import.routes';
import {
  BacktestBody,
  BacktestResponseSchema,
  CreateGoldenBody,
  errors,
  GoldenCreatedSchema,
  GoldenIdParams,
  GoldenSuiteSchema,
  json,
  GOLDEN_BODY_LIMIT,
  SIMULATE_BODY_LIMIT,
  SMALL_BODY_LIMIT,
  SimulateBody,
  SimulationResponseSchema,
  testRunRefusedResponse,
  tooLargeResponse,
  tooManyGoldenResponse,
  WorkflowIdParams,
  MAX_BATCH_LEADS,
  WORK_LIMITS_TEXT,
} from './test-runs.schemas';

const body = <T>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });

/** Refuses a body over `maxSize` bytes with 413 before it is read in full. */
const limitBody = (maxSize: number, hint: string) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new DomainError('payload_too_large', `The request body is larger than ${formatBytes(maxSize)}; ${hint}.`);
    },
  });

const formatBytes = (n: number) => (n >= 1024 * 1024 ? `${n / 1024 / 1024} MiB` : `${n / 1024} KiB`);

// The most leads a call takes must fit.
const simulateBodyLimit = limitBody(SIMULATE_BODY_LIMIT, `send at most ${MAX_BATCH_LEADS.toLocaleString('en-US')} leads per call`);
const goldenBodyLimit = limitBody(GOLDEN_BODY_LIMIT, 'a golden lead is one lead');
const backtestBodyLimit = limitBody(SMALL_BODY_LIMIT, 'a backtest takes a window, not leads');

const simulateRoute = createRoute({
  method: 'post',
  path: '/{id}/simulate',
  tags: ['test runs'],
  summary: 'Run test leads through the draft or a version on simulated effects (nothing is sent or written)',
  description: WORK_LIMITS_TEXT,
  middleware: [simulateBodyLimit] as const,
  request: { params: WorkflowIdParams, body: body(SimulateBody) },
  responses: {
    200: json(SimulationResponseSchema, "Each lead's result and a summary"),
    ...errors,
    413: tooLargeResponse,
    422: testRunRefusedResponse,
  },
});

const backtestRoute = createRoute({
  method: 'post',
  path: '/{id}/backtest',
  tags: ['test runs'],
  summary: 'Replay a window of real leads through the active version and the draft from the same starting state, and hold the active replay against reality (nothing is written)',
  description: WORK_LIMITS_TEXT.replace('leads per call', 'leads per call (`limit`)'),
  middleware: [backtestBodyLimit] as const,
  request: { params: WorkflowIdParams, body: body(BacktestBody) },
  responses: {
    200: json(BacktestResponseSchema, 'Each lead as routed and in both replays, the counts per assignee, the fidelity and the assumptions'),
    ...errors,
    413: tooLargeResponse,
    422: testRunRefusedResponse,
  },
});

const listGoldenRoute = createRoute({
  method: 'get',
  path: '/{id}/golden',
  tags: ['test runs'],
  summary: 'The golden leads of a workflow and their verdicts against the current draft',
  request: { params: WorkflowIdParams },
  responses: { 200: json(GoldenSuiteSchema, 'The golden leads, with results unless the draft does not compile'), 401: errors[401], 403: errors[403], 404: errors[404] },
});

const createGoldenRoute = createRoute({
  method: 'post',
  path: '/{id}/golden',
  tags: ['test runs'],
  summary: 'Save a golden lead: a lead and what it must get, checked on every draft save and publish',
  middleware: [goldenBodyLimit] as const,
  request: { params: WorkflowIdParams, body: body(CreateGoldenBody) },
  responses: {
    201: json(GoldenCreatedSchema, 'Saved, with its verdict against the current draft'),
    ...errors,
    413: tooLargeResponse,
    422: tooManyGoldenResponse,
  },
});

const deleteGoldenRoute = createRoute({
  method: 'delete',
  path: '/{id}/golden/{goldenId}',
  tags: ['test runs'],
  summary: 'Delete a golden lead',
  request: { params: GoldenIdParams },
  responses: { 204: { description: 'Deleted' }, 401: errors[401], 403: errors[403], 404: errors[404] },
});

/** Test runs under `/api/workflows`: simulate, backtest, golden leads and test leads read from a CRM export. */
export function testRunsRoutes() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(simulateRoute, async (c) => {
      const p = requireRole(c, 'editor');
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const { db, now, simulations } = c.get('deps');
      const result = await simulateWorkflow(db, simulations, p.workspaceId, id, {
        leads: input.leads,
        source: input.source,
        startTime: input.at !== undefined ? Date.parse(input.at) : now().getTime(),
        detail: input.detail,
        ...(input.waits ? { waits: input.waits } : {}),
      });
      return jsonText(c, result, 200);
    })
    .openapi(backtestRoute, async (c) => {
      const p = requireRole(c, 'editor');
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const { db, now, simulations } = c.get('deps');
      const since = new Date(input.since);
      const until = input.until !== undefined ? new Date(input.until) : now();
      const path = input.until !== undefined ? 'until' : 'since';
      if (since.getTime() >= until.getTime()) {
        throw new DomainError('invalid_request', `${path}: the window is empty; since must be before until (default now)`, [{ path, message: 'since must be before until (default now)' }]);
      }
      if (until.getTime() - since.getTime() > MAX_WINDOW_DAYS * 86_400_000) {
        throw new DomainError('invalid_request', `${path}: the window is longer than ${MAX_WINDOW_DAYS} days, the most one backtest replays`, [
          { path, message: `at most ${MAX_WINDOW_DAYS} days after since` },
        ]);
      }
      const result = await backtestWorkflow(db, simulations, p.workspaceId, id, { since, until, limit: input.limit, source: input.source });
      return jsonText(c, result, 200);
    })
    .openapi(listGoldenRoute, async (c) => {
      const p = requireRole(c, 'viewer');
      const { id } = c.req.valid('param');
      const { db, simulations } = c.get('deps');
      return c.json(await getGoldenSuite(db, simulations, p.workspaceId, id), 200);
    })
    .openapi(createGoldenRoute, async (c) => {
      const p = requireRole(c, 'editor');
      const { id } = c.req.valid('param');
      const input = c.req.valid('json');
      const { db, simulations } = c.get('deps');
      return c.json(await createGoldenLead(db, simulations, p, id, input), 201);
    })
    .openapi(deleteGoldenRoute, async (c) => {
      const p = requireRole(c, 'editor');
      const { id, goldenId } = c.req.valid('param');
      await deleteGoldenLead(c.get('deps').db, p, id, goldenId);
      return c.body(null, 204);
    })
    .route('/', testLeadsImportRoutes());
}

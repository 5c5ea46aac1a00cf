import { createRoute, z } from '@hono/zod-openapi';
import { QueueSchema } from '@lead-router/shared';
import { requireRole } from '../../auth/principal';
import { QueueBodySchema, QueuePatchSchema, QueueReplaceSchema } from '../../services/directory-inputs';
import { deleteQueue, listQueues, queueService } from '../../services/directory.service';
import { IdParams, directoryRouter, errors, json, jsonBody } from './common';

const Queue = QueueSchema;

/** `/queues`: list and create; `/queues/{id}`: read, replace, patch, delete. */
export function queuesRoutes() {
  return directoryRouter()
    .openapi(
      createRoute({
        method: 'get',
        path: '/queues',
        tags: ['directory'],
        summary: 'The queues of the workspace, in directory order',
        responses: { 200: json(z.object({ items: z.array(Queue) }), 'The queues'), ...errors(401, 403) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        return c.json({ items: await listQueues(c.get('deps').db, p.workspaceId) }, 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post',
        path: '/queues',
        tags: ['directory'],
        summary: 'Create a queue',
        request: jsonBody(QueueBodySchema),
        responses: { 201: json(Queue, 'The queue as stored'), ...errors(400, 401, 403, 409, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await queueService.create(c.get('deps').db, p, c.req.valid('json')), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get',
        path: '/queues/{id}',
        tags: ['directory'],
        summary: 'One queue',
        request: { params: IdParams },
        responses: { 200: json(Queue, 'The queue'), ...errors(401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        return c.json(await queueService.get(c.get('deps').db, p.workspaceId, c.req.valid('param').id), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put',
        path: '/queues/{id}',
        tags: ['directory'],
        summary: 'Replace a queue',
        request: { params: IdParams, ...jsonBody(QueueReplaceSchema) },
        responses: { 200: json(Queue, 'The queue as stored'), ...errors(400, 401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await queueService.replace(c.get('deps').db, p, c.req.valid('param').id, c.req.valid('json')), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'patch',
        path: '/queues/{id}',
        tags: ['directory'],
        summary: 'Change some fields of a queue',
        request: { params: IdParams, ...jsonBody(QueuePatchSchema) },
        responses: { 200: json(Queue, 'The queue as stored'), ...errors(400, 401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json(await queueService.patch(c.get('deps').db, p, c.req.valid('param').id, c.req.valid('json')), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'delete',
        path: '/queues/{id}',
        tags: ['directory'],
        summary: 'Delete a queue',
        request: { params: IdParams },
        responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        await deleteQueue(c.get('deps').db, p, c.req.valid('param').id);
        return c.body(null, 204);
      },
    );
}

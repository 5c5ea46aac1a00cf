import { createRoute, z } from '@hono/zod-openapi';
import { requireRole } from '../../auth/principal';
import type { EntityService, Replacement } from '../../services/directory-entity';
import type { AppDeps } from '../../http/context';
import { IdParams, directoryRouter, errors, json, jsonBody } from './common';

/** What the routes of one kind of directory entry are made from. */
export interface EntityRoutesSpec<
  M extends { id: string },
  Path extends `/${string}`,
  E extends z.ZodType,
  C extends z.ZodType,
  R extends z.ZodType,
  P extends z.ZodType,
> {
  /** The collection, e.g. `/teams`; an entry is `<path>/{id}`. */
  path: Path;
  /** How summaries name one entry and several: `a team`, `teams`. */
  one: { article: 'a' | 'an'; noun: string };
  many: string;
  /** The entry as stored and answered. */
  entity: E;
  /** The request bodies of create (POST), replace (PUT) and patch (PATCH). */
  bodies: { create: C; replace: R; patch: P };
  /** The summaries of PUT and PATCH, when they say more than "Replace a team" / "Change some fields of a team". */
  summaries?: { replace?: string; patch?: string };
  /** Whether an entry names reps: then a write naming an unknown one is a 422 (`unknown_reference`). */
  namesReps: boolean;
  service: EntityService<M> & {
    list?(db: AppDeps['db'], workspaceId: string): Promise<M[]>;
    remove?(db: AppDeps['db'], p: Parameters<EntityService<M>['create']>[1], id: string): Promise<void>;
  };
}

// The handlers below are generic over the entry's schemas, which TypeScript cannot follow through the
// validator's and the response's types; what reaches the typed client are the routes' schemas, instantiated
// with each kind's. So a handler reads its validated input through `input` and casts its answer to `Loose`.
type Loose = never;

/** A request's validated input (the route's validator has run), where the route's types are generic. */
function input<T>(c: { req: object }, target: 'json' | 'param'): T {
  return (c.req as { valid(target: string): T }).valid(target);
}

/**
 * The routes of one kind of directory entry over its entity service: `list` (GET the collection, when the
 * service lists), `create` (POST), `item` (GET, PUT and PATCH an entry) and `remove` (DELETE, when the service
 * removes). Viewers read, admins write. Each part is a router of its own, so a kind with routes of its own
 * (a paged list, an import, a guarded delete) mounts the parts it shares in the order its document lists them.
 */
export function entityRoutes<M extends { id: string }, Path extends `/${string}`, E extends z.ZodType, C extends z.ZodType, R extends z.ZodType, P extends z.ZodType>(
  spec: EntityRoutesSpec<M, Path, E, C, R, P>,
) {
  const { path, entity, bodies, service } = spec;
  const one = `${spec.one.article} ${spec.one.noun}`;
  const itemPath = `${path}/{id}` as const;
  const writeErrors = spec.namesReps ? errors(400, 401, 403, 404, 422) : errors(400, 401, 403, 404);
  const need = <T>(what: string, fn: T | undefined): T => {
    if (!fn) throw new Error(`The ${spec.one.noun} service cannot ${what}`);
    return fn;
  };

  const list = () => {
    const listAll = need('list', service.list);
    return directoryRouter().openapi(
      createRoute({
        method: 'get',
        path,
        tags: ['directory'],
        summary: `The ${spec.many} of the workspace, in directory order`,
        responses: { 200: json(z.object({ items: z.array(entity) }), `The ${spec.many}`), ...errors(401, 403) },
      }),
      async (c) => {
        const p = requireRole(c, 'viewer');
        return c.json({ items: (await listAll(c.get('deps').db, p.workspaceId)) as Loose }, 200);
      },
    );
  };

  const create = () =>
    directoryRouter().openapi(
      createRoute({
        method: 'post',
        path,
        tags: ['directory'],
        summary: `Create ${one}`,
        request: jsonBody(bodies.create),
        responses: { 201: json(entity, `The ${spec.one.noun} as stored`), ...errors(400, 401, 403, 409, 422) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        return c.json((await service.create(c.get('deps').db, p, input<M>(c, 'json'))) as Loose, 201);
      },
    );

  const item = () =>
    directoryRouter()
      .openapi(
        createRoute({
          method: 'get',
          path: itemPath,
          tags: ['directory'],
          summary: `One ${spec.one.noun}`,
          request: { params: IdParams },
          responses: { 200: json(entity, `The ${spec.one.noun}`), ...errors(401, 403, 404) },
        }),
        async (c) => {
          const p = requireRole(c, 'viewer');
          return c.json((await service.get(c.get('deps').db, p.workspaceId, c.req.valid('param').id)) as Loose, 200);
        },
      )
      .openapi(
        createRoute({
          method: 'put',
          path: itemPath,
          tags: ['directory'],
          summary: spec.summaries?.replace ?? `Replace ${one}`,
          request: { params: IdParams, ...jsonBody(bodies.replace) },
          responses: { 200: json(entity, `The ${spec.one.noun} as stored`), ...writeErrors },
        }),
        async (c) => {
          const p = requireRole(c, 'admin');
          return c.json((await service.replace(c.get('deps').db, p, input<{ id: string }>(c, 'param').id, input<Replacement<M>>(c, 'json'))) as Loose, 200);
        },
      )
      .openapi(
        createRoute({
          method: 'patch',
          path: itemPath,
          tags: ['directory'],
          summary: spec.summaries?.patch ?? `Change some fields of ${one}`,
          request: { params: IdParams, ...jsonBody(bodies.patch) },
          responses: { 200: json(entity, `The ${spec.one.noun} as stored`), ...writeErrors },
        }),
        async (c) => {
          const p = requireRole(c, 'admin');
          return c.json((await service.patch(c.get('deps').db, p, input<{ id: string }>(c, 'param').id, input<Partial<M>>(c, 'json'))) as Loose, 200);
        },
      );

  const remove = () => {
    const removeOne = need('remove', service.remove);
    return directoryRouter().openapi(
      createRoute({
        method: 'delete',
        path: itemPath,
        tags: ['directory'],
        summary: `Delete ${one}`,
        request: { params: IdParams },
        responses: { 204: { description: 'Deleted' }, ...errors(401, 403, 404) },
      }),
      async (c) => {
        const p = requireRole(c, 'admin');
        await removeOne(c.get('deps').db, p, c.req.valid('param').id);
        return c.body(null, 204);
      },
    );
  };

  return { list, create, item, remove };
}

/** Every route of a kind whose service lists and removes its entries as they are (teams, territories, queues). */
export function entityRouter<M extends { id: string }, Path extends `/${string}`, E extends z.ZodType, C extends z.ZodType, R extends z.ZodType, P extends z.ZodType>(
  spec: EntityRoutesSpec<M, Path, E, C, R, P>,
) {
  const parts = entityRoutes(spec);
  return directoryRouter().route('/', parts.list()).route('/', parts.create()).route('/', parts.item()).route('/', parts.remove());
}

import { queryOptions } from '@tanstack/react-query';
import type { InferRequestType, InferResponseType } from 'hono/client';
import { api, read } from '../../api/client';

/** Query factories of the directory admin; every mutation invalidates ['directory']. */
export const repsQuery = queryOptions({ queryKey: ['directory', 'reps'], queryFn: () => read(api.api.reps.$get({ query: {} })) });
export const teamsQuery = queryOptions({ queryKey: ['directory', 'teams'], queryFn: () => read(api.api.teams.$get()) });
export const territoriesQuery = queryOptions({ queryKey: ['directory', 'territories'], queryFn: () => read(api.api.territories.$get()) });
export const queuesQuery = queryOptions({ queryKey: ['directory', 'queues'], queryFn: () => read(api.api.queues.$get()) });
export const fieldsQuery = queryOptions({ queryKey: ['directory', 'fields'], queryFn: () => read(api.api.fields.$get()) });
export const accountsQuery = (cursor?: string) =>
  queryOptions({ queryKey: ['directory', 'accounts', cursor ?? null], queryFn: () => read(api.api.accounts.$get({ query: cursor ? { cursor } : {} })) });
export const keysQuery = queryOptions({ queryKey: ['directory', 'keys'], queryFn: () => read(api.api.keys.$get()) });
export const usersQuery = queryOptions({ queryKey: ['directory', 'users'], queryFn: () => read(api.api.users.$get()) });

type Items<Q extends { queryFn?: unknown }> = NonNullable<Q['queryFn']> extends (...a: never[]) => infer R ? (Awaited<R> extends { items: (infer T)[] } ? T : never) : never;
export type Rep = Items<typeof repsQuery>;
export type Team = Items<typeof teamsQuery>;
export type Territory = Items<typeof territoriesQuery>;
export type Queue = Items<typeof queuesQuery>;
export type ApiKey = Items<typeof keysQuery>;
export type User = Items<typeof usersQuery>;
export type Account = Items<ReturnType<typeof accountsQuery>>;
/** One field of the catalog (the fields route lists them under `fields`, not `items`). */
export type CatalogField = NonNullable<Awaited<ReturnType<NonNullable<(typeof fieldsQuery)['queryFn']>>>>['fields'][number];

/** What the rep form sends: the body of `POST /api/reps` (the server's route types, not a copy). */
export type RepInput = InferRequestType<typeof api.api.reps.$post>['json'];
/** What the team form sends: the body of `POST /api/teams`. */
export type TeamInput = InferRequestType<typeof api.api.teams.$post>['json'];
/** What the territory form sends: the body of `POST /api/territories`. */
export type TerritoryInput = InferRequestType<typeof api.api.territories.$post>['json'];
/** A change to a user: the body of `PATCH /api/users/{id}`. */
export type UserPatch = InferRequestType<(typeof api.api.users)[':id']['$patch']>['json'];
/** The roles a user can have. */
export type UserRole = InferRequestType<typeof api.api.users.$post>['json']['role'];
/** The roles an API key can have (`ingest` too). */
export type KeyRole = InferRequestType<typeof api.api.keys.$post>['json']['role'];
/** A key just created, with its secret: the answer of `POST /api/keys`, shown once. */
export type IssuedKey = InferResponseType<typeof api.api.keys.$post, 201>;

/** "a, b , c" -> ["a", "b", "c"]: list inputs are typed as comma-separated text. */
export function parseList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

import { z } from '@hono/zod-openapi';
import { Text } from '@lead-router/shared';
import { ROLES } from '../../auth/principal';
import { auditCursor } from '../../services/cursor';
import { MIN_PASSWORD_LENGTH } from '../../services/users.service';
import { KEY_ROLES } from '../../services/keys.service';

/** The one error body, as the OpenAPI document shows it. */
export const ErrorSchema = z.object({
  error: z.object({
    code: z.string().openapi({ example: 'invalid_request' }),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

const ERROR_TEXT = {
  400: 'The request is not valid (every invalid field is listed in details)',
  401: 'No valid credentials',
  403: 'The role is too low',
  404: 'Not found in this workspace',
  409: 'Conflicts with the current state',
  422: 'Refers to something that does not exist',
  429: 'Too many attempts; see Retry-After',
} as const;
type ErrorStatus = keyof typeof ERROR_TEXT;

/** The declared error responses of a route, each with the error body. */
export function errorResponses<const S extends readonly ErrorStatus[]>(...statuses: S) {
  return Object.fromEntries(statuses.map((s) => [s, { description: ERROR_TEXT[s], content: { 'application/json': { schema: ErrorSchema } } }])) as {
    [K in S[number]]: { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } };
  };
}

/** A JSON body of a route (request or response). */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

export const RoleSchema = z.enum(ROLES).openapi({ description: 'viewer < editor < publisher < admin' });
export const KeyRoleSchema = z.enum(KEY_ROLES).openapi({ description: 'ingest (post leads only) < viewer < editor < publisher < admin' });

export const IdParamSchema = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' }, example: '0b7c2f1e-6a43-4d8e-9a57-3f0f4c1d2e9a' }) });

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  workspaceId: z.string(),
  repId: z.string().nullable().openapi({ description: 'The rep this user is, for the inbox' }),
  disabled: z.boolean(),
  createdAt: z.string().openapi({ format: 'date-time' }),
});

const Email = Text(320).trim().min(3).pipe(z.email({ message: 'Not a valid email address.' }));
const Name = Text(200).trim().min(1);
const Password = Text(1000).min(MIN_PASSWORD_LENGTH, `At least ${MIN_PASSWORD_LENGTH} characters.`);
const RepId = Text(64).min(1);

export const NewUserSchema = z.object({ email: Email, name: Name, role: RoleSchema, password: Password, repId: RepId.nullable().optional() });

export const UserPatchSchema = z
  .strictObject({ name: Name.optional(), role: RoleSchema.optional(), repId: RepId.nullable().optional(), disabled: z.boolean().optional(), password: Password.optional() })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'Give at least one field to change: name, role, repId, disabled or password.' });

export const KeySchema = z.object({
  id: z.string(),
  name: z.string(),
  role: KeyRoleSchema,
  prefix: z.string().openapi({ description: 'The first characters of the key, to tell keys apart' }),
  createdAt: z.string().openapi({ format: 'date-time' }),
  lastUsedAt: z.string().nullable().openapi({ format: 'date-time' }),
  revokedAt: z.string().nullable().openapi({ format: 'date-time' }),
});

export const NewKeySchema = z.object({ name: Name, role: KeyRoleSchema });

export const IssuedKeySchema = KeySchema.extend({
  key: z.string().openapi({ description: 'The key itself: shown in this answer only, never again' }),
  note: z.string(),
});

export const AuditEntrySchema = z.object({
  id: z.string(),
  actorType: z.enum(['user', 'key', 'system']),
  actorId: z.string().nullable(),
  actorName: z.string(),
  action: z.string().openapi({ example: 'user.created' }),
  entityType: z.string(),
  entityId: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
  createdAt: z.string().openapi({ format: 'date-time' }),
});

export const AuditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ param: { name: 'limit', in: 'query' }, description: 'Entries per page (1-200, default 50)' }),
  cursor: auditCursor.param('nextCursor of the previous page'),
  entityType: Text(64).min(1).optional().openapi({ param: { name: 'entityType', in: 'query' }, example: 'user' }),
  entityId: Text(200).min(1).optional().openapi({ param: { name: 'entityId', in: 'query' } }),
});

import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { checkProperties, HUBSPOT_PROPERTIES, matches, MODIFIED_PROPERTY, sortRecords, type HsOwner, type HsRecord, type SearchFilter } from './hubspot-objects';

export { HUBSPOT_PROPERTIES, type HsOwner, type HsRecord };
export { deliverWebhook, signV3, webhookEvent, type HubSpotWebhookEvent } from './hubspot-webhooks';

// A HubSpot contract server on loopback: the documented subset of the CRM v3 API the product uses, with
// HubSpot's shapes and error bodies, so the real client library (@hubspot/api-client, its basePath pointed
// here) runs against it unchanged. Tests drive it through the controls (create/update records, add owners,
// expire tokens, throttle, go down) and read what it was asked (`requests`).
//
// Subset (CRM v3 reference, OAuth, Webhooks v3, API usage guidelines):
// - objects contacts / companies / tasks: GET page, GET one, POST create (tasks with associations), PATCH one,
//   batch/read, batch/update (207 with `errors` for ids that do not exist; 400 VALIDATION_ERROR for bad values),
//   search (filterGroups OR'd, filters AND'd, one sort, `after` paging, limit <= 200, 10,000 results at most)
// - owners: GET /crm/v3/owners (email filter, paging); properties: GET /crm/v3/properties/{objectType}
// - account: GET /account-info/v3/details (portalId); OAuth: GET /oauth/authorize (approved at once),
//   POST /oauth/v1/token (authorization_code and refresh_token grants)
// - errors `{ status: "error", message, correlationId, category, ... }`; 401 INVALID_AUTHENTICATION /
//   EXPIRED_AUTHENTICATION; 429 RATE_LIMIT with X-HubSpot-RateLimit-* headers and Retry-After.

interface Token {
  kind: 'private_app' | 'oauth';
  expiresAt: number;
}

interface App {
  clientId: string;
  clientSecret: string;
}

export interface ContractRequest {
  method: string;
  path: string;
  status: number;
  at: number;
  body?: unknown;
}

export interface HubSpotContractOptions {
  /** The account (hub) id. */
  portalId?: number;
  /** Calls allowed per `burstIntervalMs` per token (HubSpot's burst limit; private apps 190 per 10 s on Pro). */
  burstLimit?: number;
  burstIntervalMs?: number;
  /** The seconds a 429 tells the client to wait (Retry-After). */
  retryAfterSeconds?: number;
  /** Seconds an OAuth access token lives (HubSpot: 1800). */
  accessTokenTtlSeconds?: number;
}

const err = (category: string, message: string, extra: Record<string, unknown> = {}) => ({ status: 'error', message, correlationId: randomUUID(), category, ...extra });
const OBJECTS = new Set(['contacts', 'companies', 'tasks']);
/** The association type ids (HUBSPOT_DEFINED) the contract server accepts: task to contact 204, to company 192. */
const TASK_ASSOCIATIONS = new Set([204, 192]);

export class HubSpotContract {
  readonly requests: ContractRequest[] = [];
  readonly portalId: number;
  private readonly apps = new Map<string, App>();
  private readonly tokens = new Map<string, Token>();
  private readonly refreshTokens = new Map<string, { clientId: string; revoked: boolean }>();
  private readonly codes = new Map<string, { clientId: string; redirectUri: string }>();
  /** The scopes the last install asked for. */
  lastScopes: string[] = [];
  private readonly records = new Map<string, Map<string, HsRecord>>();
  private readonly owners = new Map<string, HsOwner>();
  private readonly calls = new Map<string, number[]>();
  private counter = 100;
  private lastStamp = 0;
  private throttled = 0;
  private unavailable: number | null = null;
  private readonly sockets = new Set<Socket>();
  private server: Server;
  private listening = false;
  port = 0;

  private constructor(private readonly options: HubSpotContractOptions) {
    this.portalId = options.portalId ?? 62515;
    for (const o of OBJECTS) this.records.set(o, new Map());
    this.server = this.makeServer();
  }

  static async start(options: HubSpotContractOptions = {}): Promise<HubSpotContract> {
    const c = new HubSpotContract(options);
    await c.listen(0);
    return c;
  }

  /** The API base URL (the client's basePath). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  // ---- controls ----

  /** A private app's access token (does not expire). */
  privateAppToken(): string {
    const t = `pat-na1-${randomUUID()}`;
    this.tokens.set(t, { kind: 'private_app', expiresAt: Number.POSITIVE_INFINITY });
    return t;
  }

  /** A public app (OAuth client id and secret; the secret also signs its webhooks). */
  registerApp(app: App): void {
    this.apps.set(app.clientId, app);
  }

  /** An installation of the app: a refresh token and a first access token, as the code exchange would give. */
  install(clientId: string): { accessToken: string; refreshToken: string } {
    const refreshToken = `${randomUUID()}`;
    this.refreshTokens.set(refreshToken, { clientId, revoked: false });
    return { accessToken: this.issue(), refreshToken };
  }

  /** Makes every OAuth access token issued so far expired. */
  expireAccessTokens(): void {
    for (const t of this.tokens.values()) if (t.kind === 'oauth') t.expiresAt = Date.now() - 1000;
  }

  revokeRefreshToken(refreshToken: string): void {
    const r = this.refreshTokens.get(refreshToken);
    if (r) r.revoked = true;
  }

  addOwner(o: { email: string; firstName?: string; lastName?: string; archived?: boolean }): HsOwner {
    const id = String(this.counter++ * 1000 + 7);
    const now = new Date().toISOString();
    const owner: HsOwner = { id, email: o.email, firstName: o.firstName ?? '', lastName: o.lastName ?? '', userId: Number(id) + 1, createdAt: now, updatedAt: now, archived: o.archived ?? false };
    this.owners.set(id, owner);
    return owner;
  }

  /** Creates a record; its createdate and last-modified stamp are now (milliseconds, increasing). */
  create(object: string, properties: Record<string, string | number | null>): HsRecord {
    const id = String(this.counter++);
    const stamp = this.stamp();
    const props: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(properties)) props[k] = v === null ? null : String(v);
    const rec: HsRecord = { id, properties: { ...props, hs_object_id: id, createdate: stamp, [MODIFIED_PROPERTY[object]!]: stamp }, createdAt: stamp, updatedAt: stamp, archived: false, associations: [] };
    this.records.get(object)!.set(id, rec);
    return rec;
  }

  update(object: string, id: string, properties: Record<string, string | number | null>): HsRecord {
    const rec = this.records.get(object)!.get(id);
    if (!rec) throw new Error(`no ${object} ${id}`);
    for (const [k, v] of Object.entries(properties)) rec.properties[k] = v === null ? null : String(v);
    const stamp = this.stamp();
    rec.properties[MODIFIED_PROPERTY[object]!] = stamp;
    rec.updatedAt = stamp;
    return rec;
  }

  get(object: string, id: string): HsRecord | undefined {
    return this.records.get(object)!.get(id);
  }

  all(object: string): HsRecord[] {
    return [...this.records.get(object)!.values()];
  }

  /** The next `n` API calls answer 429 (the secondly limit). */
  throttle(n: number): void {
    this.throttled = n;
  }

  /** 503 for `ms`, or refuse connections (the server stops listening) until `up()`. */
  async down(mode: 'refuse' | '503', ms = 60_000): Promise<void> {
    if (mode === '503') this.unavailable = Date.now() + ms;
    else await this.stopListening();
  }

  async up(): Promise<void> {
    this.unavailable = null;
    if (!this.listening) await this.listen(this.port);
  }

  async close(): Promise<void> {
    await this.stopListening();
  }

  // ---- server ----

  private stamp(): string {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return new Date(this.lastStamp).toISOString();
  }

  private issue(): string {
    const t = `CJ${randomBytes(24).toString('base64url')}`;
    this.tokens.set(t, { kind: 'oauth', expiresAt: Date.now() + (this.options.accessTokenTtlSeconds ?? 1800) * 1000 });
    return t;
  }

  private async listen(port: number): Promise<void> {
    this.server = this.makeServer();
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    this.listening = true;
  }

  private async stopListening(): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
  }

  private makeServer(): Server {
    const server = createServer((req, res) => {
      void this.handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) this.send(res, 500, err('INTERNAL_ERROR', e instanceof Error ? e.message : String(e)), req);
      });
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    return server;
  }

  private send(res: ServerResponse, status: number, body: unknown, req: IncomingMessage, headers: Record<string, string> = {}, reqBody?: unknown): void {
    const path = (req.url ?? '').split('?')[0] ?? '';
    this.requests.push({ method: req.method ?? 'GET', path, status, at: Date.now(), ...(reqBody !== undefined ? { body: reqBody } : {}) });
    if (body === undefined) {
      res.writeHead(status, headers).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json;charset=utf-8', ...headers }).end(JSON.stringify(body));
  }

  private async readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private async json(req: IncomingMessage): Promise<Record<string, unknown> | null> {
    try {
      const v = JSON.parse(await this.readBody(req)) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (this.unavailable !== null) {
      if (Date.now() < this.unavailable) return this.send(res, 503, err('SERVICE_UNAVAILABLE', 'The service is temporarily unavailable. Please try again later.'), req);
      this.unavailable = null;
    }
    if (path === '/oauth/v1/token' && method === 'POST') return this.token(req, res);
    if (path === '/oauth/authorize' && method === 'GET') return this.authorize(url, req, res);

    const auth = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = auth ? this.tokens.get(auth) : undefined;
    if (!auth || !token) return this.send(res, 401, err('INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview'), req);
    if (token.expiresAt < Date.now()) {
      const ago = Math.round((Date.now() - token.expiresAt) / 1000);
      return this.send(res, 401, err('EXPIRED_AUTHENTICATION', `The OAuth token used to make this call expired ${ago} second(s) ago.`, { context: { 'expire time': [new Date(token.expiresAt).toUTCString()] } }), req);
    }
    const limited = this.rateLimit(auth);
    if (limited) return this.send(res, 429, { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', correlationId: randomUUID(), policyName: 'SECONDLY' }, req, limited);

    if (path === '/account-info/v3/details' && method === 'GET') {
      return this.send(res, 200, { portalId: this.portalId, accountType: 'STANDARD', timeZone: 'US/Eastern', companyCurrency: 'USD', additionalCurrencies: [], utcOffset: '-05:00', utcOffsetMilliseconds: -18_000_000, uiDomain: 'app.hubspot.com', dataHostingLocation: 'na1' }, req);
    }
    if (path === '/crm/v3/owners' || path === '/crm/v3/owners/') return this.listOwners(url, req, res);
    const prop = /^\/crm\/v3\/properties\/([a-z_]+)$/.exec(path);
    if (prop && method === 'GET') {
      const list = HUBSPOT_PROPERTIES[prop[1]!];
      if (!list) return this.send(res, 400, err('VALIDATION_ERROR', `Unable to infer object type from: ${prop[1]}`), req);
      return this.send(res, 200, { results: list.map((x) => ({ ...x, description: '', displayOrder: -1, hidden: false, hasUniqueValue: false, formField: true, calculated: false, externalOptions: false, options: x.options ?? [] })) }, req);
    }
    const obj = /^\/crm\/v3\/objects\/([a-z_]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(path);
    if (!obj || !OBJECTS.has(obj[1]!)) return this.send(res, 404, err('OBJECT_NOT_FOUND', 'resource not found'), req);
    const [, object, a, b] = obj as unknown as [string, string, string | undefined, string | undefined];
    if (!a && method === 'GET') return this.page(object, url, req, res);
    if (!a && method === 'POST') return this.createOne(object, req, res);
    if (a === 'search' && !b && method === 'POST') return this.search(object, req, res);
    if (a === 'batch' && b === 'read' && method === 'POST') return this.batchRead(object, req, res);
    if (a === 'batch' && b === 'update' && method === 'POST') return this.batchUpdate(object, req, res);
    if (a && !b && (method === 'GET' || method === 'PATCH')) {
      const rec = this.records.get(object)!.get(a);
      if (!rec) return this.send(res, 404, err('OBJECT_NOT_FOUND', 'Object not found.  objectId are usually numeric.'), req);
      if (method === 'GET') return this.send(res, 200, this.shape(object, rec, this.askedProperties(url)), req);
      const body = await this.json(req);
      const props = body?.properties;
      if (!props || typeof props !== 'object') return this.send(res, 400, err('VALIDATION_ERROR', 'Invalid input JSON on line 1, column 1: properties is required'), req);
      const problems = checkProperties(object, props as Record<string, unknown>, this.ownerIds());
      if (problems.length > 0) return this.send(res, 400, err('VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(problems)}`), req, {}, body);
      this.update(object, a, props as Record<string, string>);
      return this.send(res, 200, this.shape(object, rec, null), req, {}, body);
    }
    this.send(res, 404, err('OBJECT_NOT_FOUND', 'resource not found'), req);
  }

  /** The burst limit per token, and forced throttling: the 429 headers, or null when the call may go. */
  private rateLimit(token: string): Record<string, string> | null {
    const max = this.options.burstLimit ?? 190;
    const interval = this.options.burstIntervalMs ?? 10_000;
    const now = Date.now();
    const recent = (this.calls.get(token) ?? []).filter((t) => t > now - interval);
    const headers = { 'X-HubSpot-RateLimit-Max': String(max), 'X-HubSpot-RateLimit-Interval-Milliseconds': String(interval), 'X-HubSpot-RateLimit-Daily': '250000' };
    if (this.throttled > 0 || recent.length >= max) {
      if (this.throttled > 0) this.throttled--;
      this.calls.set(token, recent);
      return { ...headers, 'X-HubSpot-RateLimit-Remaining': '0', 'X-HubSpot-RateLimit-Secondly': String(Math.ceil(max / (interval / 1000))), 'X-HubSpot-RateLimit-Secondly-Remaining': '0', 'Retry-After': String(this.options.retryAfterSeconds ?? 1) };
    }
    recent.push(now);
    this.calls.set(token, recent);
    return null;
  }

  private ownerIds(): Set<string> {
    return new Set([...this.owners.values()].filter((o) => !o.archived).map((o) => o.id));
  }

  private askedProperties(url: URL): string[] | null {
    const all = url.searchParams.getAll('properties').flatMap((x) => x.split(',')).filter(Boolean);
    return all.length > 0 ? all : null;
  }

  /** A record as the API answers it: the asked properties (unknown ones left out), else the defaults. */
  private shape(object: string, rec: HsRecord, asked: string[] | null): Record<string, unknown> {
    const base = ['hs_object_id', 'createdate', MODIFIED_PROPERTY[object]!];
    const defaults = object === 'contacts' ? ['email', 'firstname', 'lastname'] : object === 'companies' ? ['name', 'domain'] : ['hs_task_subject'];
    const names = new Set([...base, ...(asked ?? defaults)]);
    const properties: Record<string, string | null> = {};
    for (const n of names) if (HUBSPOT_PROPERTIES[object]!.some((x) => x.name === n)) properties[n] = rec.properties[n] ?? null;
    return { id: rec.id, properties, createdAt: rec.createdAt, updatedAt: rec.updatedAt, archived: rec.archived };
  }

  private listOwners(url: URL, req: IncomingMessage, res: ServerResponse): void {
    const email = url.searchParams.get('email');
    const archived = url.searchParams.get('archived') === 'true';
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 100), 500);
    const after = Number(url.searchParams.get('after') ?? 0);
    const all = [...this.owners.values()].filter((o) => o.archived === archived && (!email || o.email.toLowerCase() === email.toLowerCase()));
    const page = all.slice(after, after + limit);
    const next = after + limit < all.length ? { paging: { next: { after: String(after + limit), link: `${this.url}/crm/v3/owners?after=${after + limit}` } } } : {};
    this.send(res, 200, { results: page.map((o) => ({ ...o, teams: [] })), ...next }, req);
  }

  private page(object: string, url: URL, req: IncomingMessage, res: ServerResponse): void {
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 10), 100);
    const after = url.searchParams.get('after');
    const rows = sortRecords(object, this.all(object), null).filter((r) => !after || Number(r.id) > Number(after));
    const page = rows.slice(0, limit);
    const next = rows.length > limit ? { paging: { next: { after: page.at(-1)!.id, link: `${this.url}/crm/v3/objects/${object}?after=${page.at(-1)!.id}` } } } : {};
    this.send(res, 200, { results: page.map((r) => this.shape(object, r, this.askedProperties(url))), ...next }, req);
  }

  private async createOne(object: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await this.json(req);
    const props = (body?.properties ?? {}) as Record<string, string>;
    const problems = checkProperties(object, props, this.ownerIds());
    if (problems.length > 0) return this.send(res, 400, err('VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(problems)}`), req, {}, body);
    const assoc = (body?.associations ?? []) as Array<{ to?: { id?: string }; types?: Array<{ associationCategory?: string; associationTypeId?: number }> }>;
    for (const a of assoc) {
      const type = a.types?.[0];
      const target = a.to?.id ? this.get('contacts', String(a.to.id)) : undefined;
      if (!type || type.associationCategory !== 'HUBSPOT_DEFINED' || !TASK_ASSOCIATIONS.has(Number(type.associationTypeId))) return this.send(res, 400, err('VALIDATION_ERROR', `Invalid association type: ${JSON.stringify(type)}`), req, {}, body);
      if (!target) return this.send(res, 400, err('VALIDATION_ERROR', `One or more associations are invalid: ${a.to?.id} is not a valid object id`), req, {}, body);
    }
    const rec = this.create(object, props);
    rec.associations = assoc.map((a) => ({ toObjectId: String(a.to!.id), associationTypeId: Number(a.types![0]!.associationTypeId) }));
    this.send(res, 201, this.shape(object, rec, Object.keys(props)), req, {}, body);
  }

  private async search(object: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await this.json(req);
    if (!body) return this.send(res, 400, err('VALIDATION_ERROR', 'Invalid input JSON on line 1, column 1'), req);
    const groups = (body.filterGroups ?? []) as Array<{ filters?: SearchFilter[] }>;
    if (groups.length > 5 || groups.some((g) => (g.filters ?? []).length > 6)) return this.send(res, 400, err('VALIDATION_ERROR', 'There was a problem with the request: too many filter groups or filters.'), req);
    const limit = Number(body.limit ?? 10);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) return this.send(res, 400, err('VALIDATION_ERROR', 'limit must be between 1 and 200'), req);
    const after = Number(body.after ?? 0);
    if (after + limit > 10_000) return this.send(res, 400, err('VALIDATION_ERROR', 'The search API returns at most 10,000 results: narrow the filters.'), req);
    const sorts = (body.sorts ?? []) as Array<string | { propertyName: string; direction?: 'ASCENDING' | 'DESCENDING' }>;
    const first = sorts[0];
    const sort = first === undefined ? null : typeof first === 'string' ? { propertyName: first.replace(/^-/, ''), direction: first.startsWith('-') ? ('DESCENDING' as const) : ('ASCENDING' as const) } : { propertyName: first.propertyName, direction: first.direction ?? 'ASCENDING' };
    const hits = this.all(object).filter((r) => !r.archived && (groups.length === 0 || groups.some((g) => (g.filters ?? []).every((f) => matches(object, r, f)))));
    const ordered = sortRecords(object, hits, sort);
    const page = ordered.slice(after, after + limit);
    const next = after + limit < ordered.length ? { paging: { next: { after: String(after + limit) } } } : {};
    this.send(res, 200, { total: ordered.length, results: page.map((r) => this.shape(object, r, (body.properties as string[] | undefined) ?? null)), ...next }, req, {}, body);
  }

  private async batchRead(object: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await this.json(req);
    const inputs = (body?.inputs ?? []) as Array<{ id: string }>;
    if (inputs.length > 100) return this.send(res, 400, err('VALIDATION_ERROR', 'Batch size exceeds the limit of 100'), req);
    const startedAt = new Date().toISOString();
    const found = inputs.map((i) => this.get(object, String(i.id))).filter((r): r is HsRecord => r !== undefined);
    const missing = inputs.map((i) => String(i.id)).filter((id) => !this.get(object, id));
    const results = found.map((r) => this.shape(object, r, (body?.properties as string[] | undefined) ?? null));
    if (missing.length === 0) return this.send(res, 200, { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() }, req, {}, body);
    this.send(res, 207, { status: 'COMPLETE', results, numErrors: 1, errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: `Could not get some ${object.toUpperCase().replace(/S$/, '')} objects, they may be deleted or not exist. Check that ids are valid.`, context: { ids: missing } }], startedAt, completedAt: new Date().toISOString() }, req, {}, body);
  }

  private async batchUpdate(object: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await this.json(req);
    const inputs = (body?.inputs ?? []) as Array<{ id: string; properties: Record<string, string> }>;
    if (inputs.length > 100) return this.send(res, 400, err('VALIDATION_ERROR', 'Batch size exceeds the limit of 100'), req, {}, body);
    // Bad values refuse the whole batch (nothing written); ids that do not exist are reported, the rest written.
    const problems = inputs.flatMap((i) => checkProperties(object, i.properties ?? {}, this.ownerIds()));
    if (problems.length > 0) return this.send(res, 400, err('VALIDATION_ERROR', `Property values were not valid: ${JSON.stringify(problems)}`), req, {}, body);
    const startedAt = new Date().toISOString();
    const missing = inputs.map((i) => String(i.id)).filter((id) => !this.get(object, id));
    const results = inputs.filter((i) => this.get(object, String(i.id))).map((i) => this.shape(object, this.update(object, String(i.id), i.properties), Object.keys(i.properties)));
    if (missing.length === 0) return this.send(res, 200, { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() }, req, {}, body);
    this.send(res, 207, { status: 'COMPLETE', results, numErrors: missing.length, errors: missing.map((id) => ({ status: 'error', category: 'OBJECT_NOT_FOUND', message: `Object not found.  objectId are usually numeric.`, context: { ids: [id] } })), startedAt, completedAt: new Date().toISOString() }, req, {}, body);
  }

  /** The install page, approved at once by the account's admin: back to redirect_uri with a code and the state. */
  private authorize(url: URL, req: IncomingMessage, res: ServerResponse): void {
    const app = this.apps.get(url.searchParams.get('client_id') ?? '');
    const redirectUri = url.searchParams.get('redirect_uri') ?? '';
    if (!app || !redirectUri) return this.send(res, 400, err('VALIDATION_ERROR', 'Invalid client_id or redirect_uri'), req);
    this.lastScopes = (url.searchParams.get('scope') ?? '').split(' ').filter(Boolean);
    const code = randomUUID();
    this.codes.set(code, { clientId: app.clientId, redirectUri });
    const back = new URL(redirectUri);
    back.searchParams.set('code', code);
    const state = url.searchParams.get('state');
    if (state) back.searchParams.set('state', state);
    this.send(res, 302, undefined, req, { location: back.toString() });
  }

  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams(await this.readBody(req));
    const bad = (status: string, message: string) => this.send(res, 400, { status, message, correlationId: randomUUID() }, req);
    const grant = form.get('grant_type');
    if (grant !== 'refresh_token' && grant !== 'authorization_code') return bad('BAD_GRANT_TYPE', 'grant_type must be one of: authorization_code, refresh_token');
    const app = this.apps.get(form.get('client_id') ?? '');
    if (!app) return bad('BAD_CLIENT_ID', 'missing or invalid client_id');
    if (app.clientSecret !== form.get('client_secret')) return bad('BAD_CLIENT_SECRET', 'missing or invalid client secret');
    if (grant === 'authorization_code') {
      const c = this.codes.get(form.get('code') ?? '');
      this.codes.delete(form.get('code') ?? '');
      if (!c || c.clientId !== app.clientId) return bad('BAD_AUTH_CODE', 'missing or unknown auth code');
      if (c.redirectUri !== form.get('redirect_uri')) return bad('BAD_REDIRECT_URI', 'redirect_uri does not match the one the code was issued for');
      const { accessToken, refreshToken } = this.install(app.clientId);
      return this.send(res, 200, { token_type: 'bearer', refresh_token: refreshToken, access_token: accessToken, expires_in: this.options.accessTokenTtlSeconds ?? 1800 }, req);
    }
    const rt = this.refreshTokens.get(form.get('refresh_token') ?? '');
    if (!rt || rt.revoked || rt.clientId !== app.clientId) return bad('BAD_REFRESH_TOKEN', 'missing or unknown refresh token');
    this.send(res, 200, { token_type: 'bearer', refresh_token: form.get('refresh_token'), access_token: this.issue(), expires_in: this.options.accessTokenTtlSeconds ?? 1800 }, req);
  }
}

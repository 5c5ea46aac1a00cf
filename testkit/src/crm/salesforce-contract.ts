import { createHash, createPublicKey, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { CONTRACT_OBJECTS, type ContractField } from './salesforce-objects';
import { authorizeRequest, verifyJwtAssertion, type PendingCode } from './salesforce-oauth';
import { checkWrite, collectionsCreate, collectionsUpdate } from './salesforce-writes';
import { runQuery } from './soql';

export { CONTRACT_OBJECTS, type ContractField };

// A Salesforce contract server on loopback: the documented subset of the REST API and the OAuth 2.0 token
// endpoint the product uses, with Salesforce's shapes and error bodies, so the real client library (jsforce)
// runs against it unchanged. It is both the login URL and the instance URL. Tests drive it through the
// controls (create/update records, expire tokens, go down, exhaust the API allocation) and read what it was
// asked (`requests`).
//
// Documented shapes followed (REST API Developer Guide, OAuth 2.0 flows):
// - errors: `[{ "message", "errorCode", "fields"? }]` with 400/401/403/404; OAuth errors `{ error, error_description }`
// - query: `{ totalSize, done, records, nextRecordsUrl? }`, each record with `attributes: { type, url }`
// - Sforce-Limit-Info: api-usage=N/M on every REST answer; /limits with DailyApiRequests

type SfRecord = Record<string, unknown> & { Id: string; SystemModstamp: string };

interface App {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  publicKey?: KeyObject;
}

interface Token {
  clientId: string;
  userId: string;
  expired: boolean;
}

/** What the contract server was asked, for assertions. */
export interface ContractRequest {
  method: string;
  path: string;
  status: number;
}

export interface SalesforceContractOptions {
  /** The API version path the server answers under (any `vNN.N` is accepted; this one is listed). */
  apiVersion?: string;
  /** Records per query page (Salesforce's default 2000; tests make it small to get several pages). */
  queryBatchSize?: number;
  /** The daily API allocation (DailyApiRequests.Max). */
  dailyApiLimit?: number;
  /** Seconds an access token lives; Salesforce's session timeout (default 2 hours). */
  accessTokenTtlSeconds?: number;
}

const sfDate = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

/** Salesforce's error list body. */
const sfErrors = (errorCode: string, message: string, fields?: string[]) => [{ message, errorCode, ...(fields ? { fields } : {}) }];

/** The Salesforce contract server. Start with `SalesforceContract.start()`, stop with `close()`. */
export class SalesforceContract {
  readonly orgId = `00D${randomBytes(6).toString('hex').toUpperCase().slice(0, 12)}AAA`;
  readonly requests: ContractRequest[] = [];
  /** Every access and refresh token issued, so tests can look for them where they must not be. */
  readonly issuedTokens: string[] = [];
  /** Records per query page; may be changed between queries. */
  queryBatchSize: number;
  apiUsed = 0;
  apiLimit: number;
  readonly apiVersion: string;

  private readonly apps = new Map<string, App>();
  private readonly users = new Map<string, string>(); // username -> user id
  private readonly tokens = new Map<string, Token>();
  private readonly refreshTokens = new Map<string, { clientId: string; userId: string; revoked: boolean }>();
  private readonly codes = new Map<string, PendingCode>();
  private readonly records = new Map<string, Map<string, SfRecord>>();
  private readonly cursors = new Map<string, { object: string; fields: string[]; rows: SfRecord[] }>();
  private counter = 0;
  private lastModstamp = 0;
  private unavailable: { mode: '503'; until: number } | null = null;
  private readonly sockets = new Set<Socket>();
  private server: Server;
  private listening = false;
  port = 0;

  private constructor(private readonly options: SalesforceContractOptions) {
    this.apiVersion = options.apiVersion ?? '62.0';
    this.queryBatchSize = options.queryBatchSize ?? 2000;
    this.apiLimit = options.dailyApiLimit ?? 15_000;
    for (const name of Object.keys(CONTRACT_OBJECTS)) this.records.set(name, new Map());
    this.server = this.makeServer();
  }

  /** Starts a contract server on a random loopback port. */
  static async start(options: SalesforceContractOptions = {}): Promise<SalesforceContract> {
    const c = new SalesforceContract(options);
    await c.listen(0);
    return c;
  }

  /** The base URL: the login URL and the instance URL alike. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Registers a connected app (consumer key and secret, callback URLs, the certificate for the JWT flow: PEM certificate or public key). */
  registerApp(app: { clientId: string; clientSecret: string; redirectUris?: string[]; certificate?: string }): void {
    let publicKey: KeyObject | undefined;
    if (app.certificate) publicKey = app.certificate.includes('BEGIN CERTIFICATE') ? new X509Certificate(app.certificate).publicKey : createPublicKey(app.certificate);
    this.apps.set(app.clientId, { clientId: app.clientId, clientSecret: app.clientSecret, redirectUris: app.redirectUris ?? [], ...(publicKey ? { publicKey } : {}) });
  }

  /** Adds a user (the one who approves the OAuth consent, or the JWT subject); returns its id. */
  registerUser(username: string, fields: Record<string, unknown> = {}): string {
    const existing = this.users.get(username);
    if (existing) return existing;
    const rec = this.create('User', { Username: username, Email: username, LastName: username.split('@')[0], IsActive: true, ...fields });
    this.users.set(username, rec.Id);
    return rec.Id;
  }

  /** Creates a record; its SystemModstamp is now (to the second, as Salesforce stores it). */
  create(object: string, fields: Record<string, unknown>): SfRecord {
    const spec = this.spec(object);
    const id = this.newId(spec.prefix);
    const stamp = this.stamp();
    const rec: SfRecord = { Id: id, IsDeleted: false, CreatedDate: stamp, LastModifiedDate: stamp, SystemModstamp: stamp, ...fields } as SfRecord;
    if (object === 'Lead') {
      rec.IsConverted ??= false;
      rec.Status ??= 'Open - Not Contacted';
      rec.Name = [rec.FirstName, rec.LastName].filter(Boolean).join(' ');
    }
    this.records.get(object)!.set(id, rec);
    return rec;
  }

  /** Updates a record's fields; its SystemModstamp advances. */
  update(object: string, id: string, fields: Record<string, unknown>): SfRecord {
    const rec = this.records.get(object)?.get(id);
    if (!rec) throw new Error(`no ${object} ${id}`);
    Object.assign(rec, fields);
    rec.LastModifiedDate = rec.SystemModstamp = this.stamp();
    return rec;
  }

  /** A record as stored. */
  get = (object: string, id: string): SfRecord | undefined => this.records.get(object)?.get(id);

  /** Every record of an object, in insertion order. */
  all = (object: string): SfRecord[] => [...(this.records.get(object)?.values() ?? [])];

  /** Every access token issued so far answers INVALID_SESSION_ID from now on. */
  expireAccessTokens(): void {
    for (const t of this.tokens.values()) t.expired = true;
  }

  /** Every refresh token issued so far is refused (`invalid_grant`, as after a revoke or an admin's reset). */
  revokeRefreshTokens(): void {
    for (const t of this.refreshTokens.values()) t.revoked = true;
  }

  /**
   * Goes down for `ms` (or until `up()`): `refuse` closes the listening socket (connections refused),
   * `503` answers every request 503 SERVER_UNAVAILABLE.
   */
  async down(mode: 'refuse' | '503', ms = Number.POSITIVE_INFINITY): Promise<void> {
    if (mode === '503') {
      this.unavailable = { mode: '503', until: Date.now() + ms };
      return;
    }
    await this.stopListening();
    if (Number.isFinite(ms)) setTimeout(() => void this.up(), ms).unref();
  }

  /** Back up after `down()`, on the same port. */
  async up(): Promise<void> {
    this.unavailable = null;
    if (!this.listening) await this.listen(this.port);
  }

  /** Sets the API usage so far (e.g. to the limit, to exhaust the allocation). */
  setApiUsage(used: number, limit = this.apiLimit): void {
    this.apiUsed = used;
    this.apiLimit = limit;
  }

  /** Stops the server and closes every open connection. */
  async close(): Promise<void> {
    await this.stopListening();
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
        if (!res.headersSent) this.send(res, 500, sfErrors('UNKNOWN_EXCEPTION', e instanceof Error ? e.message : String(e)), req);
      });
    });
    server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    return server;
  }

  private send(res: ServerResponse, status: number, body: unknown, req: IncomingMessage, headers: Record<string, string> = {}): void {
    const path = (req.url ?? '').split('?')[0] ?? '';
    this.requests.push({ method: req.method ?? 'GET', path, status });
    const h: Record<string, string> = { ...headers };
    if (path.startsWith('/services/data')) h['Sforce-Limit-Info'] = `api-usage=${this.apiUsed}/${this.apiLimit}`;
    if (body === undefined) {
      res.writeHead(status, h).end();
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...h }).end(JSON.stringify(body));
  }

  private async readBody(req: IncomingMessage): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    if (this.unavailable) {
      if (Date.now() < this.unavailable.until) {
        // The login server's maintenance page is HTML; the REST API answers its JSON error list.
        if (path.startsWith('/services/oauth2')) {
          this.requests.push({ method: req.method ?? 'GET', path, status: 503 });
          res.writeHead(503, { 'content-type': 'text/html' }).end('<html><body>Service Unavailable</body></html>');
          return;
        }
        this.send(res, 503, sfErrors('SERVER_UNAVAILABLE', 'The server is temporarily unable to service your request. Please try again later.'), req);
        return;
      }
      this.unavailable = null;
    }
    if (path === '/services/oauth2/token' && req.method === 'POST') return this.token(req, res);
    if (path === '/services/oauth2/authorize' && req.method === 'GET') return this.authorize(url, req, res);
    if (path.startsWith('/id/')) return this.identity(path, req, res);

    const m = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(path);
    if (!m) {
      this.send(res, 404, sfErrors('NOT_FOUND', 'The requested resource does not exist'), req);
      return;
    }
    const token = this.authenticate(req);
    if (!token) {
      this.send(res, 401, sfErrors('INVALID_SESSION_ID', 'Session expired or invalid'), req);
      return;
    }
    if (this.apiUsed >= this.apiLimit) {
      this.send(res, 403, sfErrors('REQUEST_LIMIT_EXCEEDED', `TotalRequests Limit exceeded.`), req);
      return;
    }
    this.apiUsed++;
    const rest = m[2] ?? '/';
    const method = req.method ?? 'GET';

    if (rest === '/limits' && method === 'GET') {
      this.send(res, 200, { DailyApiRequests: { Max: this.apiLimit, Remaining: Math.max(0, this.apiLimit - this.apiUsed) }, DailyBulkApiBatches: { Max: 15000, Remaining: 15000 } }, req);
      return;
    }
    if (rest === '/query' && method === 'GET') return this.query(url.searchParams.get('q') ?? '', req, res);
    const more = /^\/query\/(01g[A-Za-z0-9]+)-(\d+)$/.exec(rest);
    if (more && method === 'GET') return this.queryMore(more[1]!, Number(more[2]), req, res);
    if (rest === '/composite/sobjects' && method === 'PATCH') return this.collectionsUpdate(await this.readBody(req), req, res);
    if (rest === '/composite/sobjects' && method === 'POST') {
      const r = collectionsCreate(this.parseJson(await this.readBody(req)), (id) => this.exists(id));
      if ('error' in r) return this.send(res, 400, sfErrors(r.error.errorCode, r.error.message), req);
      return this.send(res, 200, r.answer(new Map(r.create.map((c) => [c.index, this.create(c.type, c.fields).Id]))), req);
    }
    const desc = /^\/sobjects\/([A-Za-z_]+)\/describe\/?$/.exec(rest);
    if (desc && method === 'GET') {
      const spec = CONTRACT_OBJECTS[desc[1]!];
      if (!spec) return this.send(res, 404, sfErrors('NOT_FOUND', 'The requested resource does not exist'), req);
      this.send(res, 200, { name: desc[1], label: spec.label, keyPrefix: spec.prefix, fields: spec.fields.map((x) => ({ ...x, updateable: x.updateable ?? true, nillable: x.name !== 'Id' })) }, req);
      return;
    }
    const one = /^\/sobjects\/([A-Za-z_]+)\/([A-Za-z0-9]{15,18})$/.exec(rest);
    if (one) {
      const object = one[1]!;
      if (!CONTRACT_OBJECTS[object]) return this.send(res, 404, sfErrors('NOT_FOUND', 'The requested resource does not exist'), req);
      const rec = this.records.get(object)!.get(one[2]!);
      if (!rec) return this.send(res, 404, sfErrors('NOT_FOUND', 'The requested resource does not exist'), req);
      if (method === 'GET') {
        const only = url.searchParams.get('fields');
        const fields = only ? only.split(',').map((x) => x.trim()) : this.spec(object).fields.map((x) => x.name);
        const bad = fields.find((x) => !this.field(object, x));
        if (bad) return this.send(res, 400, sfErrors('INVALID_FIELD', `No such column '${bad}' on sobject of type ${object}`), req);
        this.send(res, 200, this.shape(object, rec, fields), req);
        return;
      }
      if (method === 'PATCH') {
        const body = this.parseJson(await this.readBody(req));
        if (!body || typeof body !== 'object' || Array.isArray(body)) return this.send(res, 400, sfErrors('JSON_PARSER_ERROR', 'The request body is not a JSON object'), req);
        const problem = checkWrite(object, body as Record<string, unknown>, (id) => this.exists(id));
        if (problem) return this.send(res, 400, [problem], req);
        this.update(object, rec.Id, body as Record<string, unknown>);
        this.send(res, 204, undefined, req);
        return;
      }
    }
    this.send(res, 404, sfErrors('NOT_FOUND', 'The requested resource does not exist'), req);
  }

  private oauthError(res: ServerResponse, req: IncomingMessage, status: number, error: string, description: string): void {
    this.send(res, status, { error, error_description: description }, req);
  }

  private issue(res: ServerResponse, req: IncomingMessage, clientId: string, userId: string, withRefresh: boolean): void {
    const access = `${this.orgId}!${randomBytes(24).toString('base64url')}`;
    this.tokens.set(access, { clientId, userId, expired: false });
    this.issuedTokens.push(access);
    const body: Record<string, unknown> = {
      access_token: access,
      signature: randomBytes(32).toString('base64'),
      scope: withRefresh ? 'refresh_token api' : 'api',
      instance_url: this.url,
      id: `${this.url}/id/${this.orgId}/${userId}`,
      token_type: 'Bearer',
      issued_at: String(Date.now()),
    };
    if (withRefresh) {
      const refresh = `5Aep${randomBytes(32).toString('base64url')}`;
      this.refreshTokens.set(refresh, { clientId, userId, revoked: false });
      this.issuedTokens.push(refresh);
      body.refresh_token = refresh;
    }
    this.send(res, 200, body, req);
  }

  private async token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const params = new URLSearchParams(await this.readBody(req));
    const grant = params.get('grant_type');
    const clientId = params.get('client_id') ?? '';
    if (grant === 'urn:ietf:params:oauth:grant-type:jwt-bearer') return this.jwtBearer(params.get('assertion') ?? '', req, res);
    const app = this.apps.get(clientId);
    if (!app) return this.oauthError(res, req, 400, 'invalid_client_id', 'client identifier invalid');
    const secret = params.get('client_secret');
    if (secret !== null && secret !== app.clientSecret) return this.oauthError(res, req, 400, 'invalid_client', 'invalid client credentials');
    if (grant === 'authorization_code') {
      const code = this.codes.get(params.get('code') ?? '');
      this.codes.delete(params.get('code') ?? '');
      if (!code || code.clientId !== clientId) return this.oauthError(res, req, 400, 'invalid_grant', 'invalid authorization code');
      if (code.redirectUri !== params.get('redirect_uri')) return this.oauthError(res, req, 400, 'redirect_uri_mismatch', 'redirect_uri must match configuration');
      if (code.challenge) {
        const verifier = params.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) return this.oauthError(res, req, 400, 'invalid_grant', 'invalid code verifier');
      } else if (secret === null) return this.oauthError(res, req, 400, 'invalid_client', 'invalid client credentials');
      return this.issue(res, req, clientId, code.userId, true);
    }
    if (grant === 'refresh_token') {
      const rt = this.refreshTokens.get(params.get('refresh_token') ?? '');
      if (!rt || rt.revoked || rt.clientId !== clientId) return this.oauthError(res, req, 400, 'invalid_grant', 'expired access/refresh token');
      return this.issue(res, req, clientId, rt.userId, false);
    }
    return this.oauthError(res, req, 400, 'unsupported_grant_type', 'grant type not supported');
  }

  /** The JWT bearer flow: RS256 signed by the connected app's certificate's key; iss, sub, aud, exp checked. */
  private jwtBearer(assertion: string, req: IncomingMessage, res: ServerResponse): void {
    const r = verifyJwtAssertion(assertion, { apps: this.apps, users: this.users, audiences: [this.url, 'https://login.salesforce.com', 'https://test.salesforce.com'], now: Date.now() });
    if ('error' in r) return this.oauthError(res, req, 400, r.error, r.description);
    this.issue(res, req, r.clientId, r.userId, false);
  }

  /** The authorize page, approved at once by the first registered user (or `login_hint`): redirects with a code. */
  private authorize(url: URL, req: IncomingMessage, res: ServerResponse): void {
    const r = authorizeRequest(url.searchParams, { apps: this.apps, users: this.users });
    if (r.code) this.codes.set(r.code.value, r.code.pending);
    this.requests.push({ method: 'GET', path: url.pathname, status: r.status });
    if (r.status === 400) res.writeHead(400, { 'content-type': 'text/plain' }).end(r.text);
    else res.writeHead(302, { location: r.location }).end();
  }

  private identity(path: string, req: IncomingMessage, res: ServerResponse): void {
    const token = this.authenticate(req);
    if (!token) return this.send(res, 403, 'Bad_OAuth_Token', req);
    const [, , orgId, userId] = path.split('/');
    const user = this.records.get('User')!.get(userId ?? '');
    if (orgId !== this.orgId || !user) return this.send(res, 404, sfErrors('NOT_FOUND', 'The requested resource does not exist'), req);
    this.send(res, 200, { id: `${this.url}${path}`, organization_id: this.orgId, user_id: user.Id, username: user.Username, email: user.Email, urls: { rest: `${this.url}/services/data/v{version}/` } }, req);
  }

  private authenticate(req: IncomingMessage): Token | null {
    const h = req.headers.authorization ?? '';
    const m = /^(?:Bearer|OAuth) (.+)$/.exec(h);
    const t = m ? this.tokens.get(m[1]!) : undefined;
    return t && !t.expired ? t : null;
  }

  private query(q: string, req: IncomingMessage, res: ServerResponse): void {
    const r = runQuery(q, (object) => [...(this.records.get(object)?.values() ?? [])]);
    if ('error' in r) return this.send(res, 400, sfErrors(r.error.errorCode, r.error.message), req);
    const locator = `01g${this.newId('').slice(3)}`;
    this.cursors.set(locator, { object: r.object, fields: r.fields, rows: r.rows as SfRecord[] });
    this.page(locator, 0, req, res);
  }

  private queryMore(locator: string, offset: number, req: IncomingMessage, res: ServerResponse): void {
    if (!this.cursors.has(locator)) return this.send(res, 400, sfErrors('INVALID_QUERY_LOCATOR', 'invalid query locator'), req);
    this.page(locator, offset, req, res);
  }

  private page(locator: string, offset: number, req: IncomingMessage, res: ServerResponse): void {
    const cur = this.cursors.get(locator)!;
    const slice = cur.rows.slice(offset, offset + this.queryBatchSize);
    const next = offset + slice.length;
    const done = next >= cur.rows.length;
    if (done) this.cursors.delete(locator);
    this.send(
      res,
      200,
      {
        totalSize: cur.rows.length,
        done,
        ...(done ? {} : { nextRecordsUrl: `/services/data/v${this.apiVersion}/query/${locator}-${next}` }),
        records: slice.map((r) => this.shape(cur.object, r, cur.fields)),
      },
      req,
    );
  }

  private collectionsUpdate(raw: string, req: IncomingMessage, res: ServerResponse): void {
    const r = collectionsUpdate(this.parseJson(raw), { has: (type, id) => this.records.get(type)?.has(id) ?? false, exists: (id) => this.exists(id) });
    if ('error' in r) return this.send(res, 400, sfErrors(r.error.errorCode, r.error.message), req);
    for (const u of r.apply) this.update(u.type, u.id, u.fields);
    this.send(res, 200, r.answer, req);
  }

  private spec(object: string) {
    const spec = CONTRACT_OBJECTS[object];
    if (!spec) throw new Error(`the contract server has no object ${object}`);
    return spec;
  }

  /** A field by name, case-insensitive as in SOQL. */
  private field(object: string, name: string): ContractField | undefined {
    const lower = name.toLowerCase();
    return CONTRACT_OBJECTS[object]?.fields.find((x) => x.name.toLowerCase() === lower);
  }

  private exists(id: string): boolean {
    for (const m of this.records.values()) if (m.has(id)) return true;
    return false;
  }

  private shape(object: string, rec: SfRecord, fields: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = { attributes: { type: object, url: `/services/data/v${this.apiVersion}/sobjects/${object}/${rec.Id}` } };
    for (const name of fields) out[name] = rec[name] ?? null;
    return out;
  }

  private parseJson(raw: string): unknown {
    try {
      return JSON.parse(raw);
    } catch {
      return null;
    }
  }

  /** An 18-character id: the object's key prefix, a counter, a fixed suffix; ids sort in creation order. */
  private newId(prefix: string): string {
    this.counter++;
    return `${prefix.padEnd(3, '0')}5g${String(this.counter).padStart(10, '0')}AAA`;
  }

  /** Now, to the second (Salesforce stores datetimes to the second), never before the last stamp. */
  private stamp(): string {
    const ms = Math.max(Math.floor(Date.now() / 1000) * 1000, this.lastModstamp);
    this.lastModstamp = ms;
    return sfDate(ms);
  }
}

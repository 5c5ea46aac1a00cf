import { generateKeyPairSync } from 'node:crypto';
import { SalesforceContract } from '@lead-router/testkit/crm/salesforce-contract';
import { Connection, OAuth2 } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signJwtAssertion } from './salesforce-auth';

// The contract server, checked with the real client library: what jsforce sends, it answers as Salesforce
// documents. If jsforce cannot talk to it, no other CRM test means anything.

let sf: SalesforceContract;
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

beforeAll(async () => {
  sf = await SalesforceContract.start({ queryBatchSize: 2 });
  sf.registerApp({ clientId: 'app-1', clientSecret: 's3cret', redirectUris: ['http://127.0.0.1/cb'], certificate: publicPem });
  sf.registerUser('admin@acme.example');
});
afterAll(async () => {
  await sf.close();
});

async function webServerLogin(): Promise<Connection> {
  const oauth2 = new OAuth2({ loginUrl: sf.url, clientId: 'app-1', clientSecret: 's3cret', redirectUri: 'http://127.0.0.1/cb' });
  const res = await fetch(oauth2.getAuthorizationUrl({ state: 'xyz' }), { redirect: 'manual' });
  const location = new URL(res.headers.get('location')!);
  expect(location.searchParams.get('state')).toBe('xyz');
  const conn = new Connection({ oauth2, version: '62.0' });
  await conn.authorize(location.searchParams.get('code')!);
  return conn;
}

describe('Salesforce contract server, through jsforce', () => {
  it('web-server flow: code for tokens, identity, limits with Sforce-Limit-Info', async () => {
    const conn = await webServerLogin();
    expect(conn.instanceUrl).toBe(sf.url);
    expect(conn.refreshToken).toBeTruthy();
    expect(conn.userInfo?.organizationId).toBe(sf.orgId);
    const limits = await conn.limits();
    expect(limits.DailyApiRequests?.Max).toBe(15000);
    expect(conn.limitInfo.apiUsage?.limit).toBe(15000);
    expect(conn.limitInfo.apiUsage?.used).toBe(sf.apiUsed);
  });

  it('an expired access token is refreshed by jsforce and the refresh event carries the new one', async () => {
    const conn = await webServerLogin();
    const before = conn.accessToken;
    let refreshed: string | undefined;
    conn.on('refresh', (token: string) => (refreshed = token));
    sf.expireAccessTokens();
    await conn.limits();
    expect(refreshed).toBeTruthy();
    expect(refreshed).not.toBe(before);
    sf.revokeRefreshTokens();
    sf.expireAccessTokens();
    await expect(conn.limits()).rejects.toThrow(/expired access\/refresh token/);
  });

  it('JWT bearer: a signed assertion gets a token; a wrong key, audience or subject is refused', async () => {
    const oauth2 = new OAuth2({ loginUrl: sf.url, clientId: 'app-1' });
    const grant = (assertion: string) => oauth2.requestToken({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });
    const ok = await grant(signJwtAssertion({ clientId: 'app-1', username: 'admin@acme.example', audience: sf.url, privateKey: privatePem }));
    expect(ok.access_token).toBeTruthy();
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await expect(grant(signJwtAssertion({ clientId: 'app-1', username: 'admin@acme.example', audience: sf.url, privateKey: other }))).rejects.toMatchObject({ name: 'invalid_grant' });
    await expect(grant(signJwtAssertion({ clientId: 'app-1', username: 'admin@acme.example', audience: 'https://evil.example', privateKey: privatePem }))).rejects.toMatchObject({ message: 'audience is invalid' });
    await expect(grant(signJwtAssertion({ clientId: 'app-1', username: 'nobody@acme.example', audience: sf.url, privateKey: privatePem }))).rejects.toMatchObject({ name: 'invalid_grant' });
    await expect(grant(signJwtAssertion({ clientId: 'app-1', username: 'admin@acme.example', audience: sf.url, privateKey: privatePem, now: new Date(Date.now() - 3_600_000) }))).rejects.toMatchObject({ name: 'invalid_grant' });
  });

  it('SOQL on a high-water mark, paged through nextRecordsUrl; MALFORMED_QUERY and INVALID_FIELD', async () => {
    const conn = await webServerLogin();
    const ids = [1, 2, 3, 4, 5].map((i) => sf.create('Lead', { LastName: `L${i}`, Company: 'Acme' }).Id);
    const stamp = sf.get('Lead', ids[0]!)!.SystemModstamp;
    const mark = new Date(Date.parse(stamp.replace('+0000', 'Z')) - 1000).toISOString();
    const soql = `SELECT Id, LastName, SystemModstamp FROM Lead WHERE SystemModstamp > ${mark} OR (SystemModstamp = ${mark} AND Id > '000') ORDER BY SystemModstamp, Id LIMIT 200`;
    const first = await conn.query(soql, { autoFetch: false });
    expect(first).toMatchObject({ totalSize: 5, done: false });
    expect(first.records.map((r) => r.Id)).toEqual(ids.slice(0, 2));
    expect(first.records[0]).toMatchObject({ attributes: { type: 'Lead' } });
    const second = await conn.queryMore(first.nextRecordsUrl!);
    expect(second.records.map((r) => r.Id)).toEqual(ids.slice(2, 4));
    const third = await conn.queryMore(second.nextRecordsUrl!);
    expect(third.done).toBe(true);
    expect(third.records.map((r) => r.Id)).toEqual(ids.slice(4));
    // Strictly after the last record's (stamp, id): nothing left.
    const last = third.records[0] as { Id: string; SystemModstamp: string };
    const lastMark = last.SystemModstamp.replace('+0000', 'Z');
    const after = await conn.query(`SELECT Id FROM Lead WHERE SystemModstamp > ${lastMark} OR (SystemModstamp = ${lastMark} AND Id > '${last.Id}') ORDER BY SystemModstamp, Id`);
    expect(after.totalSize).toBe(0);

    await expect(conn.query('SELECT Id FROM Lead WHERE')).rejects.toMatchObject({ errorCode: 'MALFORMED_QUERY' });
    await expect(conn.query('SELECT Nope FROM Lead')).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
  });

  it('sObject GET/PATCH and Composite sObject Collections (allOrNone, 200 at most)', async () => {
    const conn = await webServerLogin();
    const a = sf.create('Lead', { LastName: 'A', Company: 'Acme' });
    const b = sf.create('Lead', { LastName: 'B', Company: 'Acme' });
    const owner = sf.registerUser('rep@acme.example');
    await conn.sobject('Lead').update({ Id: a.Id, OwnerId: owner });
    expect(((await conn.sobject('Lead').retrieve(a.Id)) as { OwnerId: string }).OwnerId).toBe(owner);

    const res = await conn.sobject('Lead').update([{ Id: a.Id, Title: 'CTO' }, { Id: b.Id, OwnerId: 'bogus-id' }], { allOrNone: true });
    expect(res.every((r) => !r.success)).toBe(true);
    expect(sf.get('Lead', a.Id)!.Title).toBeUndefined();
    const partial = await conn.sobject('Lead').update([{ Id: a.Id, Title: 'CTO' }, { Id: b.Id, NumberOfEmployees: 'many' }]);
    expect(partial.map((r) => r.success)).toEqual([true, false]);
    expect(sf.get('Lead', a.Id)!.Title).toBe('CTO');
    expect(sf.requests.some((r) => r.method === 'PATCH' && r.path.endsWith('/composite/sobjects'))).toBe(true);
    const tooMany = await conn.request({ method: 'PATCH', url: '/composite/sobjects', body: JSON.stringify({ records: Array.from({ length: 201 }, () => ({ attributes: { type: 'Lead' }, id: a.Id })) }), headers: { 'content-type': 'application/json' } }).catch((e: unknown) => e);
    expect(tooMany).toMatchObject({ errorCode: 'EXCEEDED_ID_LIMIT' });
  });

  it('REQUEST_LIMIT_EXCEEDED past the allocation; 503 and refused connections while down', async () => {
    const conn = await webServerLogin();
    const saved = sf.apiUsed;
    sf.setApiUsage(15000);
    await expect(conn.limits()).rejects.toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED' });
    sf.setApiUsage(saved);
    // jsforce retries 5xx and refused connections itself (5 times, from 0.5 s doubling): once here.
    const once = { retry: { maxRetries: 1, minTimeout: 10 } };
    await sf.down('503', 60_000);
    await expect(conn.request('/limits', once)).rejects.toMatchObject({ errorCode: 'SERVER_UNAVAILABLE' });
    await sf.up();
    await sf.down('refuse');
    await expect(conn.request('/limits', once)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await sf.up();
    await expect(conn.limits()).resolves.toBeTruthy();
  });
});

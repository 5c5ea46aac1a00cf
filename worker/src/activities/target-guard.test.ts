import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scriptedDns } from '../test/dns';
import { httpRequest } from './http';
import { createTargetGuard, RefusedTarget } from './target-guard';

// The target guard on real sockets: listeners on 127.0.0.1 stand for the worker's own network, and a
// scripted resolver plays DNS (nothing here leaves the machine: public addresses are only ever checked,
// never connected to).

const PUBLIC_V4 = '93.184.215.14';

let server: Server;
let tlsServer: Server;
let port: number;
let tlsPort: number;
const hits: string[] = [];

const handler = (req: IncomingMessage, res: ServerResponse) => {
  hits.push(req.url ?? '/');
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ secret: 'the listener answered' }));
};

beforeAll(async () => {
  server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const tls = new URL('../test/tls/', import.meta.url);
  tlsServer = createHttpsServer({ key: readFileSync(new URL('hooks-test.key', tls)), cert: readFileSync(new URL('hooks-test.crt', tls)) }, handler);
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
  tlsPort = (tlsServer.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const s of [server, tlsServer]) {
    if (!s) continue;
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** The reason `check` refuses a URL with, or null when it allows it. */
async function refusal(guard: ReturnType<typeof createTargetGuard>, url: string): Promise<string | null> {
  try {
    await guard.check(url);
    return null;
  } catch (e) {
    if (e instanceof RefusedTarget) return e.message;
    throw e;
  }
}

/** Addresses a graph must never reach, with the reason the refusal gives. */
const REFUSED: Array<[address: string, why: RegExp]> = [
  ['127.0.0.1', /loopback/],
  ['127.8.9.10', /loopback/],
  ['10.1.2.3', /private/],
  ['172.16.0.1', /private/],
  ['192.168.1.1', /private/],
  ['169.254.169.254', /link-local/],
  ['100.64.0.1', /carrier-grade NAT/],
  ['0.0.0.0', /unspecified/],
  ['0.1.2.3', /unspecified/],
  ['255.255.255.255', /broadcast/],
  ['224.0.0.1', /multicast/],
  ['240.0.0.1', /reserved/],
  ['192.0.0.8', /reserved/],
  ['198.18.0.1', /reserved/],
  // The documentation ranges.
  ['192.0.2.10', /reserved/],
  ['198.51.100.7', /reserved/],
  ['203.0.113.9', /reserved/],
  ['2001:db8::1', /reserved/],
  ['2001:db8:ffff::10', /reserved/],
  ['::', /unspecified/],
  ['::1', /loopback/],
  ['fe80::1', /link-local/],
  ['fe80::1%eth0', /link-local/],
  ['fc00::1', /private/],
  ['fd12:3456::1', /private/],
  ['fec0::1', /site-local/],
  ['ff02::1', /multicast/],
  ['100::1', /discard/],
  // IPv6 forms that carry an IPv4 address.
  ['::ffff:127.0.0.1', /loopback/],
  ['::ffff:7f00:1', /loopback/],
  ['::ffff:10.0.0.1', /private/],
  ['::ffff:0.0.0.0', /unspecified/],
  ['::127.0.0.1', /IPv4-compatible address carrying 127\.0\.0\.1/],
  ['::7f00:1', /IPv4-compatible/],
  ['::8.8.8.8', /IPv4-compatible/],
  ['::ffff:0:7f00:1', /IPv4-translated/],
  ['64:ff9b::a00:1', /NAT64 address carrying 10\.0\.0\.1, a private address/],
  ['64:ff9b::7f00:1', /NAT64 address carrying 127\.0\.0\.1, a loopback address/],
  ['64:ff9b:1::a00:1', /local-use NAT64/],
  ['2002:7f00:1::', /6to4 address carrying 127\.0\.0\.1/],
  ['2002:a00:1::1', /6to4 address carrying 10\.0\.0\.1/],
  ['2001:0:4136:e378:8000:63bf:3fff:fdd2', /Teredo/],
  ['2001:2::1', /benchmarking/],
  ['4000::1', /not a global unicast address/],
];

/** Public addresses: allowed. */
const ALLOWED = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2001:4860:4860::8888', '::ffff:8.8.8.8', '64:ff9b::808:808'];

const literal = (a: string) => (a.includes(':') ? `[${a}]` : a);

describe('target guard: which addresses a graph may call', () => {
  it.each(REFUSED)('refuses %s, by name and as a literal, saying why', async (address, why) => {
    const dns = scriptedDns({ 'target.test': [[address]] });
    const guard = createTargetGuard({ allowPrivate: false, resolve: dns.resolve });
    const byName = await refusal(guard, 'http://target.test/hook');
    expect(byName).toContain(`target.test resolves to ${address}`);
    expect(byName).toMatch(why);
    expect(byName).toContain('the router only calls public addresses');
    // A zone id cannot be written in a URL (the URL is invalid, and refused as such).
    if (!address.includes('%')) expect(await refusal(guard, `http://${literal(address)}:8080/x`)).toMatch(why);
  });

  it('refuses IPv4 written as one number, in octal or in hex (URLs normalise them to the address they mean)', async () => {
    const guard = createTargetGuard({ allowPrivate: false, resolve: scriptedDns().resolve });
    for (const host of ['2130706433', '0x7f.1', '0x7f000001', '017700000001', '0177.0.0.1', '127.1', '0']) {
      expect(await refusal(guard, `http://${host}:${port}/`), host).toMatch(/loopback|unspecified/);
    }
    expect(await refusal(guard, 'http://[fe80::1%25eth0]/')).toBe('the URL is not valid');
    expect(hits).toEqual([]);
  });

  it('refuses a name if any one of its addresses is not public', async () => {
    const guard = createTargetGuard({ allowPrivate: false, resolve: scriptedDns({ 'mixed.test': [[PUBLIC_V4, '2606:4700:4700::1111', '127.0.0.1']] }).resolve });
    expect(await refusal(guard, 'http://mixed.test/')).toMatch(/mixed\.test resolves to 127\.0\.0\.1, a loopback address/);
  });

  it.each(ALLOWED)('allows %s', async (address) => {
    const guard = createTargetGuard({ allowPrivate: false, resolve: scriptedDns({ 'public.test': [[address]] }).resolve });
    expect(await refusal(guard, 'https://public.test/hook')).toBeNull();
    expect(await refusal(guard, `https://${literal(address)}/hook`)).toBeNull();
  });

  it('refuses other schemes and names that do not exist', async () => {
    const guard = createTargetGuard({ allowPrivate: false, resolve: scriptedDns().resolve });
    expect(await refusal(guard, 'file:///etc/passwd')).toBe('only http and https URLs are allowed, not file');
    expect(await refusal(guard, 'http://nowhere.test/')).toBe('host nowhere.test does not exist');
  });
});

describe('target guard: the connection goes only to a checked address', () => {
  it('DNS rebinding: a name that answers a public address to the check and 127.0.0.1 afterwards is refused at connect', async () => {
    const dns = scriptedDns({ 'rebind.test': [[PUBLIC_V4], ['127.0.0.1']] });
    const guard = createTargetGuard({ allowPrivate: false, resolve: dns.resolve });
    hits.length = 0;
    const e = await httpRequest(guard, `http://rebind.test:${port}/rebound`, { method: 'GET' }, 2_000).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(RefusedTarget);
    expect((e as Error).message).toBe('rebind.test resolves to 127.0.0.1, a loopback address; the router only calls public addresses');
    // The check saw the public address, the connection the loopback one: both asked the resolver.
    expect(dns.asked.get('rebind.test')).toBe(2);
    expect(hits).toEqual([]);
  });

  it('the dispatcher alone refuses a private address, by name or as a literal, whatever checked the URL before', async () => {
    const guard = createTargetGuard({ allowPrivate: false, resolve: scriptedDns({ 'inside.test': [['127.0.0.1']] }).resolve });
    hits.length = 0;
    for (const url of [`http://inside.test:${port}/a`, `http://127.0.0.1:${port}/b`, `http://[::ffff:127.0.0.1]:${port}/c`, `http://0.0.0.0:${port}/d`]) {
      const e = await request(url, { dispatcher: guard.dispatcher }).then(
        () => null,
        (err: unknown) => err,
      );
      expect(e, url).toBeInstanceOf(RefusedTarget);
    }
    expect(hits).toEqual([]);
  });

  it('with private targets allowed, a name and a literal reach the listener (ALLOW_PRIVATE_WEBHOOK_TARGETS)', async () => {
    const guard = createTargetGuard({ allowPrivate: true, resolve: scriptedDns({ 'inside.test': [['::1', '127.0.0.1']] }).resolve });
    hits.length = 0;
    // ::1 has no listener: the next checked address is tried.
    expect((await httpRequest(guard, `http://inside.test:${port}/by-name`, { method: 'GET' }, 2_000)).status).toBe(200);
    expect((await httpRequest(guard, `http://127.0.0.1:${port}/literal`, { method: 'GET' }, 2_000)).status).toBe(200);
    expect(hits).toEqual(['/by-name', '/literal']);
  });

  it('HTTPS to a pinned address still verifies the certificate against the host name (SNI)', async () => {
    const ca = readFileSync(new URL('../test/tls/hooks-test.crt', import.meta.url));
    const guard = createTargetGuard({ allowPrivate: true, resolve: scriptedDns({ 'hooks.test': [['127.0.0.1']], 'other.test': [['127.0.0.1']] }).resolve, tls: { ca } });
    hits.length = 0;
    expect((await httpRequest(guard, `https://hooks.test:${tlsPort}/tls`, { method: 'GET' }, 2_000)).status).toBe(200);
    // The certificate names hooks.test: the same address under another name fails verification.
    await expect(httpRequest(guard, `https://other.test:${tlsPort}/tls`, { method: 'GET' }, 2_000)).rejects.toThrow(/ERR_TLS_CERT_ALTNAME_INVALID|altnames/i);
    expect(hits).toEqual(['/tls']);
  });
});

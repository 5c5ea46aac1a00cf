import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { loadEnv } from '../env';
import { clientAddress, limitKeyOfAddress } from './client-address';

describe('limitKeyOfAddress', () => {
  it('keeps IPv4, unwraps IPv4-mapped IPv6, and keys IPv6 by its /64', () => {
    expect(limitKeyOfAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(limitKeyOfAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(limitKeyOfAddress('2001:db8:abcd:12:1:2:3:4')).toBe('2001:db8:abcd:12::/64');
    expect(limitKeyOfAddress('2001:0DB8:ABCD:0012:ffff::1')).toBe('2001:db8:abcd:12::/64');
    expect(limitKeyOfAddress('[2001:db8::1]')).toBe('2001:db8:0:0::/64');
    expect(limitKeyOfAddress('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(limitKeyOfAddress('::1')).toBe('0:0:0:0::/64');
    expect(limitKeyOfAddress('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64');
  });

  it('refuses what is not an address', () => {
    for (const bad of ['', 'unknown', 'example.com', '1.2.3', '203.0.113.7:443', '1::2::3']) expect(limitKeyOfAddress(bad)).toBeNull();
  });
});

/** An app answering the client address it sees with TRUST_PROXY = `trust`. */
function echo(trust: number) {
  return new Hono().get('/', (c) => c.json({ address: clientAddress(c, trust) }));
}

async function seen(trust: number, headers: Record<string, string>, remoteAddress?: string): Promise<string | null> {
  const env = remoteAddress === undefined ? undefined : { incoming: { socket: { remoteAddress } } };
  const res = await echo(trust).request('/', { headers }, env);
  return ((await res.json()) as { address: string | null }).address;
}

describe('clientAddress', () => {
  it('without trusted proxies: the socket peer, X-Forwarded-For ignored', async () => {
    expect(await seen(0, { 'x-forwarded-for': '198.51.100.1' }, '203.0.113.9')).toBe('203.0.113.9');
    expect(await seen(0, {}, '::ffff:203.0.113.9')).toBe('203.0.113.9');
    // No socket (app.request in a test): unknown.
    expect(await seen(0, { 'x-forwarded-for': '198.51.100.1' })).toBeNull();
  });

  it('with n trusted proxies: the n-th entry from the right; what the client put further left is ignored', async () => {
    const xff = { 'x-forwarded-for': '10.9.9.9, 198.51.100.1, 192.0.2.50' };
    expect(await seen(1, xff, '192.0.2.1')).toBe('192.0.2.50');
    expect(await seen(2, xff, '192.0.2.1')).toBe('198.51.100.1');
    // More trusted hops than entries: the leftmost.
    expect(await seen(5, { 'x-forwarded-for': '198.51.100.1' }, '192.0.2.1')).toBe('198.51.100.1');
    // No header: the socket.
    expect(await seen(1, {}, '192.0.2.1')).toBe('192.0.2.1');
    // An entry that is no address: the socket rather than a key the client controls.
    expect(await seen(1, { 'x-forwarded-for': 'evil' }, '192.0.2.1')).toBe('192.0.2.1');
    expect(await seen(1, { 'x-forwarded-for': '198.51.100.1' })).toBe('198.51.100.1');
  });

  it("reads a real connection's peer through @hono/node-server", async () => {
    const app = echo(0);
    let server: ReturnType<typeof serve> | undefined;
    const port = await new Promise<number>((resolve) => {
      server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port));
    });
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-forwarded-for': '198.51.100.1' } });
      expect(await res.json()).toEqual({ address: '127.0.0.1' });
    } finally {
      await new Promise<void>((resolve) => server?.close(() => resolve()));
    }
  });
});

describe('TRUST_PROXY', () => {
  const trust = (v: string | undefined) => loadEnv({ TRUST_PROXY: v }).TRUST_PROXY;

  it('is a number of proxies, 0 by default; true and false mean 1 and 0', () => {
    expect(trust(undefined)).toBe(0);
    expect(trust('2')).toBe(2);
    expect(trust('true')).toBe(1);
    expect(trust('false')).toBe(0);
  });

  it('refuses anything else, naming the variable', () => {
    for (const bad of ['yes', '-1', '1.5', '11']) expect(() => trust(bad)).toThrow(/TRUST_PROXY/);
  });
});

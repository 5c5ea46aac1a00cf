import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * The address the request came from, as rate limits key it, or null when it cannot be known (a request
 * handed to `app.request()` in a test has no socket). With `trustProxy` = n (TRUST_PROXY), the n proxies
 * nearest to us are trusted to have appended the address they saw to X-Forwarded-For, so the client is the
 * n-th entry from the right; entries further left are whatever the client chose to send and are ignored.
 * Without it the header is ignored and the socket's peer is the client.
 */
export function clientAddress(c: Context, trustProxy: number): string | null {
  const socket = socketAddress(c);
  if (trustProxy > 0) {
    const forwarded = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    const hops = [...forwarded, socket];
    const client = hops[Math.max(0, hops.length - 1 - trustProxy)];
    if (client) return limitKeyOfAddress(client) ?? (socket && limitKeyOfAddress(socket));
  }
  return socket && limitKeyOfAddress(socket);
}

function socketAddress(c: Context): string | null {
  try {
    return getConnInfo(c).remote.address ?? null;
  } catch {
    // No Node socket behind this request (app.request in tests, another adapter).
    return null;
  }
}

/**
 * An address as one client: IPv4 as is (also when IPv4-mapped, `::ffff:1.2.3.4`); IPv6 by its /64, since
 * one host is handed a whole /64 and could otherwise take a fresh address per attempt. Null when `raw` is
 * not an IP address.
 */
export function limitKeyOfAddress(raw: string): string | null {
  const ip = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  if (v4 && isIP(v4) === 4) return v4;
  const kind = isIP(ip);
  if (kind === 4) return ip;
  if (kind !== 6) return null;
  const groups = expandIpv6(ip.split('%')[0] ?? ip);
  return `${groups.slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of an IPv6 address, lower-case without leading zeros. */
function expandIpv6(ip: string): string[] {
  const [head = '', tail] = ip.split('::');
  const part = (s: string) => (s === '' ? [] : s.split(':'));
  // A trailing dotted IPv4 part counts as two groups.
  const words = (s: string) => part(s).flatMap((w) => (w.includes('.') ? ipv4Words(w) : [w]));
  const left = words(head);
  const right = tail === undefined ? [] : words(tail);
  const zeros = Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...zeros, ...right].map((g) => parseInt(g, 16).toString(16));
}

function ipv4Words(v4: string): string[] {
  const [a = 0, b = 0, c = 0, d = 0] = v4.split('.').map(Number);
  return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
}

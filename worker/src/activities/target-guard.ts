import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { Agent, buildConnector, type Dispatcher } from 'undici';

// Webhooks, Slack and HTTP enrichment call URLs that graph authors type in. Without a check, an author
// could make the worker call services on its own network (cloud metadata at 169.254.169.254, databases,
// admin ports). So a target's host is resolved and refused if any address it resolves to is not public.

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['fe80::', 10], // link-local
  ['fc00::', 7], // unique local
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** The eight 16-bit groups of an IPv6 address (`::ffff:127.0.0.1` included), or null if it is not one. */
function ipv6Groups(address: string): number[] | null {
  let a = address.toLowerCase();
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  // A trailing dotted quad is two groups.
  const quad = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (quad) {
    const b = quad.slice(1, 5).map(Number) as [number, number, number, number];
    a = `${a.slice(0, quad.index)}${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const halves = a.split('::');
  if (halves.length > 2) return null;
  const part = (h: string | undefined): number[] => (h ? h.split(':').map((g) => parseInt(g, 16)) : []);
  const head = part(halves[0]);
  const tail = halves.length === 2 ? part(halves[1]) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? head.length !== 8 : fill < 1) return null;
  const groups = [...head, ...Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

/**
 * The IPv4 address an IPv6 address carries and is delivered to: IPv4-mapped (`::ffff:a.b.c.d`),
 * IPv4-compatible (`::a.b.c.d`) and NAT64 (`64:ff9b::a.b.c.d`). Null for any other address.
 */
function embeddedIpv4(address: string): string | null {
  const g = ipv6Groups(address);
  if (g === null) return null;
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const mapped = zeros(0, 5) && (g[5] === 0xffff || (g[5] === 0 && (g[6] !== 0 || (g[7] ?? 0) > 1)));
  const nat64 = g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6);
  if (!mapped && !nat64) return null;
  const hi = g[6] as number;
  const lo = g[7] as number;
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
}

/** True when the address is loopback, link-local, private, unique-local, multicast, reserved or unspecified. */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIpv4(address);
    if (v4 !== null && isIP(v4) === 4) return blocked.check(v4, 'ipv4');
    return blocked.check(address, 'ipv6');
  }
  return true;
}

/** Why a target is refused (permanent: retrying cannot change it). */
export class RefusedTarget extends Error {
  override readonly name = 'RefusedTarget';
}

/** Resolves a host name to its addresses, in the resolver's order (the system's `getaddrinfo` by default). */
export type ResolveHost = (host: string) => Promise<string[]>;

/** The system resolver: what `net.connect` would use. */
export const systemResolver: ResolveHost = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** The host name of a URL without IPv6 brackets. */
const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * What stands between a routing graph's URLs and the network: the check of a target, and the HTTP
 * dispatcher every outbound call (webhooks, Slack, HTTP enrichment) goes through.
 */
export interface TargetGuard {
  /** Private, loopback and link-local targets are allowed (ALLOW_PRIVATE_WEBHOOK_TARGETS; tests). */
  readonly allowPrivate: boolean;
  /**
   * Parses `raw` and checks that it is an http(s) URL whose host resolves only to public addresses (any
   * address when `allowPrivate`). Throws `RefusedTarget` for a target that will never be allowed; a DNS
   * failure that may pass (timeouts, SERVFAIL) is thrown as a plain Error, to be retried.
   */
  check(raw: string): Promise<URL>;
  /** The undici dispatcher of outbound calls. */
  readonly dispatcher: Dispatcher;
}

/** The guard of outbound calls; `resolve` is the DNS resolver it uses (tests inject one). */
export function createTargetGuard(options: { allowPrivate: boolean; resolve?: ResolveHost }): TargetGuard {
  const resolve = options.resolve ?? systemResolver;
  const allowPrivate = options.allowPrivate;

  async function addressesOf(host: string): Promise<string[]> {
    if (isIP(host) !== 0) return [host];
    try {
      return await resolve(host);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ENOTFOUND' || code === 'ENODATA') throw new RefusedTarget(`host ${host} does not exist`);
      throw new Error(`Could not resolve ${host}: ${code ?? (e instanceof Error ? e.message : String(e))}`);
    }
  }

  const base = buildConnector({});
  // Note: the host is resolved again when the connection is made; a host that changes its answer in
  // between (DNS rebinding) is not caught here.
  const connect: buildConnector.connector = (opts, callback) => {
    addressesOf(opts.hostname).then(
      (addresses) => base({ ...opts, hostname: addresses[0] ?? opts.hostname }, callback),
      (e: unknown) => callback(e instanceof Error ? e : new Error(String(e)), null),
    );
  };

  return {
    allowPrivate,
    async check(raw) {
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new RefusedTarget('the URL is not valid');
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RefusedTarget(`only http and https URLs are allowed, not ${url.protocol.replace(/:$/, '')}`);
      if (allowPrivate) return url;
      const host = hostOf(url);
      const bad = (await addressesOf(host)).find(isNonPublicAddress);
      if (bad !== undefined) {
        throw new RefusedTarget(`${host} resolves to ${bad}, a private, loopback or link-local address; the router only calls public addresses`);
      }
      return url;
    },
    dispatcher: new Agent({ connect }),
  };
}

/** The scheme and host of a URL, for records and messages: paths of webhook URLs often hold secrets. */
export function originOf(raw: string): string {
  try {
    return new URL(raw).origin;
  } catch {
    return '(invalid URL)';
  }
}

import { lookup } from 'node:dns/promises';
import { isIP, type Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import ipaddr from 'ipaddr.js';
import { Agent, buildConnector, type Dispatcher } from 'undici';

// Webhooks, Slack and HTTP enrichment call URLs that graph authors type in. Without a guard, an author
// could make the worker call services on its own network (cloud metadata at 169.254.169.254, databases,
// admin ports). So every outbound call goes through one undici dispatcher whose connector resolves the
// host itself, refuses it if ANY address it resolves to is not public, and connects to a checked address:
// the address that is checked is the address that is connected to, so a name that answers a public address
// to a check and a private one to the connection (DNS rebinding) never reaches the private one.
// `check` does the same before a request is made, for an early, clear refusal; the connector is what holds.

/** Why a target is refused (permanent: retrying cannot change it). */
export class RefusedTarget extends Error {
  override readonly name = 'RefusedTarget';
}

/** Resolves a host name to its addresses, in the resolver's order (the system's `getaddrinfo` by default). */
export type ResolveHost = (host: string) => Promise<string[]>;

/** The system resolver: what `net.connect` would use. */
export const systemResolver: ResolveHost = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

const IPV4_WHY: Partial<Record<ReturnType<ipaddr.IPv4['range']>, string>> = {
  unspecified: 'an unspecified address',
  broadcast: 'the broadcast address',
  multicast: 'a multicast address',
  linkLocal: 'a link-local address',
  loopback: 'a loopback address',
  carrierGradeNat: 'a carrier-grade NAT address',
  private: 'a private address',
  reserved: 'a reserved address (documentation, benchmarking or future use)',
};

const IPV6_WHY: Record<string, string> = {
  unspecified: 'an unspecified address',
  linkLocal: 'a link-local address',
  multicast: 'a multicast address',
  loopback: 'a loopback address',
  uniqueLocal: 'a private (unique local) address',
  deprecatedSiteLocal: 'a site-local address',
  discard: 'a discard-only address',
  reserved: 'a reserved address (documentation or future use)',
  benchmarking: 'a benchmarking address',
  teredo: 'a Teredo tunnel address',
  rfc6052: 'a local-use NAT64 address',
};

/** Why an IPv4 address is refused, or null when it is public unicast. */
function ipv4Refusal(v4: ipaddr.IPv4): string | null {
  const range = v4.range();
  if (range === 'unicast') return null;
  return IPV4_WHY[range] ?? `a special-purpose address (${range})`;
}

/** The IPv4 address in the last 32 bits of an IPv6 address. */
const lastIpv4 = (v6: ipaddr.IPv6): ipaddr.IPv4 => {
  const p = v6.parts;
  const hi = p[6] ?? 0;
  const lo = p[7] ?? 0;
  return new ipaddr.IPv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);
};

const GLOBAL_UNICAST = ipaddr.parseCIDR('2000::/3') as [ipaddr.IPv6, number];
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96') as [ipaddr.IPv6, number];
const IPV4_COMPATIBLE = ipaddr.parseCIDR('::/96') as [ipaddr.IPv6, number];

/**
 * Why an address is refused as a target, or null when it may be called. Only public unicast addresses are
 * allowed (ipaddr.js's `range() === 'unicast'`, and for IPv6 within global unicast 2000::/3). IPv4-mapped
 * addresses are judged as the IPv4 address they are; a NAT64 address (64:ff9b::/96) as the IPv4 address it
 * carries; IPv4-compatible, IPv4-translated, 6to4 and Teredo forms, which tunnel to an IPv4 address
 * somewhere, are refused whatever they carry. A scoped address (with a zone id) is never public.
 */
export function refusalOf(address: string): string | null {
  const parsed = parseAddress(address);
  if (parsed === null) return 'not an IP address';
  if (parsed.kind() === 'ipv4') return ipv4Refusal(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  const range: string = v6.range();
  if (v6.match(NAT64_WELL_KNOWN)) {
    const v4 = lastIpv4(v6);
    const why = ipv4Refusal(v4);
    return why === null ? null : `a NAT64 address carrying ${v4.toString()}, ${why}`;
  }
  if (range === '6to4') {
    const [, hi = 0, lo = 0] = v6.parts;
    return `a 6to4 address carrying ${new ipaddr.IPv4([hi >> 8, hi & 255, lo >> 8, lo & 255]).toString()} (6to4 relays are not called)`;
  }
  if (range === 'rfc6145') return `an IPv4-translated address carrying ${lastIpv4(v6).toString()}`;
  if (range !== 'unicast') return IPV6_WHY[range] ?? `a special-purpose address (${range})`;
  if (v6.match(IPV4_COMPATIBLE)) return `an IPv4-compatible address carrying ${lastIpv4(v6).toString()} (deprecated)`;
  if (!v6.match(GLOBAL_UNICAST)) return 'not a global unicast address';
  if (v6.zoneId !== undefined) return 'a scoped address';
  return null;
}

/**
 * An address as ipaddr.js sees it, IPv4-mapped IPv6 addresses unwrapped to the IPv4 address they are, or
 * null. IPv6 text goes through the WHATWG URL parser first: ipaddr.js reads a trailing dotted quad as
 * IPv4-mapped (`::127.0.0.1` as `::ffff:127.0.0.1`), while it is IPv4-compatible (`::7f00:1`).
 */
function parseAddress(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  try {
    if (!address.includes(':')) return ipaddr.IPv4.parse(address);
    const zone = address.indexOf('%');
    const bare = zone >= 0 ? address.slice(0, zone) : address;
    const canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
    const v6 = ipaddr.IPv6.parse(zone >= 0 ? `${canonical}${address.slice(zone)}` : canonical);
    return v6.isIPv4MappedAddress() ? v6.toIPv4Address() : v6;
  } catch {
    return null;
  }
}

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
  /**
   * The undici dispatcher of outbound calls. Its connector resolves the host with the guard's resolver,
   * refuses the connection (with `RefusedTarget`) unless every address is allowed, and connects only to
   * those addresses, in order, keeping the host name for TLS (SNI and certificate verification).
   */
  readonly dispatcher: Dispatcher;
}

/** The most addresses of one name tried in turn when the first ones do not connect. */
const MAX_CONNECT_ATTEMPTS = 3;

/**
 * The guard of outbound calls. `resolve` is the DNS resolver it uses (tests inject one to play answers);
 * `tls` adds TLS options to every connection (tests trust their own certificate authority with `ca`).
 */
export function createTargetGuard(options: { allowPrivate: boolean; resolve?: ResolveHost; tls?: Pick<ConnectionOptions, 'ca'> }): TargetGuard {
  const resolve = options.resolve ?? systemResolver;
  const allowPrivate = options.allowPrivate;

  /** The addresses `host` resolves to, each one allowed (unless `allowPrivate`); throws RefusedTarget if one is not. */
  async function allowedAddresses(host: string): Promise<string[]> {
    let addresses: string[];
    if (isIP(host) !== 0) {
      addresses = [host];
    } else {
      try {
        addresses = await resolve(host);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code === 'ENOTFOUND' || code === 'ENODATA') throw new RefusedTarget(`host ${host} does not exist`);
        throw new Error(`Could not resolve ${host}: ${code ?? (e instanceof Error ? e.message : String(e))}`);
      }
      if (addresses.length === 0) throw new RefusedTarget(`host ${host} does not exist`);
    }
    if (allowPrivate) return addresses;
    for (const address of addresses) {
      const why = refusalOf(address);
      if (why !== null) {
        const what = address === host ? `${host} is ${why}` : `${host} resolves to ${address}, ${why}`;
        throw new RefusedTarget(`${what}; the router only calls public addresses`);
      }
    }
    return addresses;
  }

  const base = buildConnector({ ...(options.tls ?? {}) });
  const connect: buildConnector.connector = (opts, callback) => {
    allowedAddresses(opts.hostname).then(
      (addresses) => {
        const attempts = addresses.slice(0, MAX_CONNECT_ATTEMPTS);
        const attempt = (i: number): void => {
          // `hostname` is where the socket goes; `host` (the URL's) still names the server for TLS.
          base({ ...opts, hostname: attempts[i] as string }, (err: Error | null, socket: Socket | null) => {
            if (err !== null && i + 1 < attempts.length) attempt(i + 1);
            else if (err !== null) callback(err, null);
            else callback(null, socket as Socket);
          });
        };
        attempt(0);
      },
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
      if (!allowPrivate) await allowedAddresses(hostOf(url));
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

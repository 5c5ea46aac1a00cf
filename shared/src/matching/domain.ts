import { getDomain } from 'tldts';

// Registrable domains ("eTLD+1") from the Public Suffix List, through tldts (which ships the list).
//
// Decision: the list's PRIVATE section counts too (`allowPrivateDomains: true`). Under it `acme.github.io`
// and `globex.github.io` are two registrable domains, as they are two owners; with the ICANN section alone
// both would be `github.io` and every account hosted on a shared platform would match every other one. The
// list's own test vectors assume the same (`example.uk.com` is registrable because `uk.com` is a private
// suffix). IP addresses and single-label hosts have no registrable domain.

/** Longest input read: a URL, email address or host longer than this is not looked at (bounded cost). */
export const MAX_DOMAIN_INPUT = 512;

const OPTIONS = { allowPrivateDomains: true, extractHostname: true, validateHosts: true, detectIp: true } as const;

/** The host inside `Ana <ana@acme.com>`, `mailto:ana@acme.com`, `ana@acme.com` or a URL; lower case. */
function hostPart(input: string): string | null {
  let s = input.trim();
  if (s === '' || s.length > MAX_DOMAIN_INPUT) return null;
  const lt = s.lastIndexOf('<');
  const gt = s.indexOf('>', lt + 1);
  if (lt >= 0 && gt > lt) s = s.slice(lt + 1, gt).trim();
  if (/^mailto:/i.test(s)) s = s.slice(7);
  // An email address: the host is after the last `@` (URLs with user info are handled by tldts itself).
  if (!s.includes('/') && s.includes('@')) s = s.slice(s.lastIndexOf('@') + 1);
  s = s.toLowerCase();
  // A leading dot or an empty label is not a host (the list's tests: `.example.com` has none).
  if (s.startsWith('.') || s.includes('..')) return null;
  return s;
}

/**
 * The registrable domain of a host, email address or URL by the Public Suffix List (ICANN and private
 * sections): `mail.acme.co.uk` -> `acme.co.uk`, `ana@eu.acme.com` -> `acme.com`, `https://www.acme.com/x`
 * -> `acme.com`, `acme.github.io` -> `acme.github.io`. Null when there is none (a bare suffix, an IP address,
 * `localhost`, text that is no host).
 */
export function registrableDomain(hostOrEmailOrUrl: string | null | undefined): string | null {
  if (typeof hostOrEmailOrUrl !== 'string') return null;
  const host = hostPart(hostOrEmailOrUrl);
  if (host === null) return null;
  return getDomain(host, OPTIONS);
}

/** The host itself (lower case, no `www.`, no trailing dot) of a host, email address or URL, or null. */
export function hostOfAddress(hostOrEmailOrUrl: string | null | undefined): string | null {
  if (typeof hostOrEmailOrUrl !== 'string') return null;
  const host = hostPart(hostOrEmailOrUrl);
  if (host === null) return null;
  let h = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  h = h.replace(/^[^/?#]*@/, '');
  h = h.split(/[/?#]/, 1)[0] ?? '';
  h = h.replace(/:\d*$/, '').replace(/\.$/, '');
  if (h.startsWith('www.')) h = h.slice(4);
  return h === '' ? null : h;
}

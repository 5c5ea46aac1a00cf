import { isAsciiAlnum } from './company-name';

// Domains as the match compares them: the host of an email address or URL, lower case, without `www.`.

const HOST = /^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+$/u;

/** `/^mailto:/i` by hand: ASCII letters in either case (a non-Unicode `i` flag folds no other letter to them). */
function startsWithMailto(s: string): boolean {
  if (s.length < 7 || s.charCodeAt(6) !== 58 /* : */) return false;
  for (let i = 0; i < 6; i++) if ((s.charCodeAt(i) | 0x20) !== 'mailto'.charCodeAt(i)) return false;
  return true;
}

/** Where a `scheme://` prefix ends, or -1: `/^[a-z][a-z0-9+.-]*:\/\//i` by hand (ASCII only, as that regex is). */
function schemeEnd(s: string): number {
  const first = s.charCodeAt(0) | 0x20;
  if (first < 97 || first > 122) return -1;
  let i = 1;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Letters, digits, `+`, `.` and `-`.
    if (!(isAsciiAlnum(c) || c === 43 || c === 46 || c === 45)) break;
  }
  return s.startsWith('://', i) ? i + 3 : -1;
}

/**
 * The domain of an email address (`ana@Acme.com` -> `acme.com`) or of a URL or bare domain
 * (`https://www.acme.com/pricing` -> `acme.com`): lower case, without `www.`. Null when there is none.
 */
export function domainOf(emailOrUrl: string): string | null {
  let s = emailOrUrl.trim();
  if (s === '') return null;
  // `Ana Diaz <ana@acme.com>`: the address is inside the first `<...>` that holds no other bracket.
  let open = s.indexOf('<');
  while (open >= 0) {
    let j = open + 1;
    for (; j < s.length; j++) {
      const c = s.charCodeAt(j);
      if (c === 60 /* < */ || c === 62 /* > */) break;
    }
    if (j < s.length && s.charCodeAt(j) === 62) {
      s = s.slice(open + 1, j).trim();
      break;
    }
    open = j < s.length ? j : -1;
  }
  // The host is worked out as a range [from, to) of `s`; only the answer is sliced out. Native searches
  // (`indexOf` and kin) do the scanning: they are several times quicker than a loop over the characters.
  let from = 0;
  // Without a colon there is no `mailto:`, scheme or port to look for.
  const colons = s.indexOf(':') >= 0;
  if (colons) {
    if (startsWithMailto(s)) from = 7;
    const afterScheme = schemeEnd(from === 0 ? s : s.slice(from));
    if (afterScheme >= 0) from += afterScheme;
    else if (s.startsWith('//', from)) from += 2;
  } else if (s.startsWith('//')) {
    from = 2;
  }
  // Host ends at the first path, query or fragment; what is before the last `@` is the user (email or URL
  // userinfo), and a trailing port (`:8080`, or a bare `:`) goes.
  let to = s.length;
  let k = s.indexOf('/', from);
  if (k >= 0) to = k;
  k = s.indexOf('?', from);
  if (k >= 0 && k < to) to = k;
  k = s.indexOf('#', from);
  if (k >= 0 && k < to) to = k;
  if (to === from) return null;
  const at = s.lastIndexOf('@', to - 1);
  if (at >= from) from = at + 1;
  if (colons && to > from) {
    const colon = s.lastIndexOf(':', to - 1);
    if (colon >= from) {
      let digits = true;
      for (let i = colon + 1; i < to && digits; i++) {
        const c = s.charCodeAt(i);
        digits = c >= 48 && c <= 57;
      }
      if (digits) to = colon;
    }
  }
  return hostOf(s, from, to);
}

/**
 * `s[from, to)` lower-cased, less one trailing dot and a leading `www.`, when it is a host name (labels of
 * letters, digits and `-`, at least two); else null. ASCII by one scan; a name with other characters as the
 * regex says (they never change what the dots and ASCII characters decide, only whether they are letters).
 */
function hostOf(s: string, start: number, end: number): string | null {
  let from = start;
  let to = end;
  if (to > from && s.charCodeAt(to - 1) === 46 /* . */) to--;
  if (to - from >= 4 && s.charCodeAt(from + 3) === 46 && isW(s, from) && isW(s, from + 1) && isW(s, from + 2)) from += 4;
  let upper = false;
  let labels = 0;
  let len = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    const kind = c < 128 ? (HOST_CHAR[c] as number) : 3;
    if (kind === 1) {
      len++;
    } else if (kind === 2) {
      len++;
      upper = true;
    } else if (kind === 4) {
      if (len === 0) return null;
      labels++;
      len = 0;
    } else if (kind === 3) {
      return hostOfUnicode(s.slice(start, end));
    } else {
      return null;
    }
  }
  if (len === 0 || labels === 0) return null;
  const host = s.slice(from, to);
  return upper ? host.toLowerCase() : host;
}

// Host characters of ASCII: 1 lower-case letter, digit or `-`; 2 upper-case letter; 4 dot; 0 anything else.
const HOST_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  HOST_CHAR[c] = (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 ? 1 : c >= 65 && c <= 90 ? 2 : c === 46 ? 4 : 0;
}

/** `w` in either case (0x20 turns `W` into `w` and no other character into it). */
const isW = (s: string, i: number): boolean => (s.charCodeAt(i) | 0x20) === 119;

export function hostOfUnicode(host: string): string | null {
  let s = host.toLowerCase();
  if (s.endsWith('.')) s = s.slice(0, -1);
  if (s.startsWith('www.')) s = s.slice(4);
  return HOST.test(s) ? s : null;
}

export function normalizeDomain(domain: string): string | null {
  return domainOf(domain);
}

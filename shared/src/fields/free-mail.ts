// The `email-providers` package (ISC) is a maintained list of ~8,700 free and consumer mail domains,
// shipped as plain JSON. Importing the JSON file directly skips its index.js, which uses Node's
// `module.createRequire` and would not load in the workflow sandbox or a browser.
import providers from 'email-providers/all.json' with { type: 'json' };

let domains: ReadonlySet<string> | undefined;

/** True when `domain` belongs to a free or consumer mail provider (gmail.com, outlook.com, qq.com...). */
export function isFreeMailDomain(domain: string): boolean {
  // Built on first use, not at import: most code paths that import this module never ask.
  domains ??= new Set(providers as readonly string[]);
  // Domains usually arrive already normalised (from domainOf): try them as they are first.
  if (domains.has(domain)) return true;
  let d = domain.trim().toLowerCase();
  if (d.endsWith('.')) d = d.slice(0, -1);
  return d !== '' && d !== domain && domains.has(d);
}

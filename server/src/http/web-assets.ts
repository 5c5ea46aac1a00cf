import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Next } from 'hono';
import type { AppEnv } from './context';

// The built web app (web/dist) served by the API server on its own port, so one process is the product.
// Hashed files under /assets/ never change under their name: cached for a year. index.html names the
// current hashes, so browsers revalidate it on every load. Paths under /api (and the health probes)
// never reach this handler's files: an unknown API route stays a JSON 404.

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** web/dist in this repository, the default when WEB_DIST is not set. */
export const DEFAULT_WEB_DIST = join(REPO_ROOT, 'web', 'dist');

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

const IMMUTABLE = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';
const NOT_SPA = /^\/(api|healthz|readyz)(\/|$)/;

/**
 * Which folder to serve: an explicit option wins, then WEB_DIST; without either, web/dist when it has
 * been built, else nothing (the API alone). A folder that was asked for but holds no index.html is an
 * error at start, naming the setting.
 */
export function resolveWebDist(option: string | undefined, fallback: string = DEFAULT_WEB_DIST): string | null {
  if (option) {
    const root = resolve(option);
    if (!existsSync(join(root, 'index.html'))) throw new Error(`WEB_DIST: no index.html in ${root} (run \`npm run build -w web\`).`);
    return root;
  }
  return existsSync(join(fallback, 'index.html')) ? resolve(fallback) : null;
}

/** A GET handler serving `root` with an SPA fallback to index.html; passes /api and health paths on. */
export function webAssets(root: string) {
  const index = join(root, 'index.html');
  return async (c: Context<AppEnv>, next: Next) => {
    const path = c.req.path;
    if (NOT_SPA.test(path)) return next();
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return next();
    }
    const file = resolve(root, `.${decoded}`);
    // Nothing outside root, whatever the path says.
    if (file !== root && !file.startsWith(root + sep)) return next();
    if (decoded !== '/' && isFile(file)) {
      const body = await readFile(file);
      const hashed = decoded.startsWith('/assets/');
      return c.body(body, 200, {
        'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
        'cache-control': hashed ? IMMUTABLE : REVALIDATE,
        'x-content-type-options': 'nosniff',
      });
    }
    // A missing file with an extension (a stale hashed asset, /favicon.ico) is a real 404, not the app:
    // serving HTML as a script only hides the problem. Page paths (no extension) get the app.
    if (extname(decoded) !== '' && !(c.req.header('accept') ?? '').includes('text/html')) return next();
    return c.body(await readFile(index), 200, {
      'content-type': CONTENT_TYPES['.html']!,
      'cache-control': REVALIDATE,
      'x-content-type-options': 'nosniff',
    });
  };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

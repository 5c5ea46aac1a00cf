import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The web app's sources: a change to any of them makes web/dist stale.
const SOURCES = ['web/src', 'web/index.html', 'web/vite.config.ts', 'web/package.json', 'web/public', 'shared/src'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** Why web/dist must be (re)built, or null when it is up to date. */
export function webBuildReason(root: string): string | null {
  const index = join(root, 'web', 'dist', 'index.html');
  if (!existsSync(index)) return 'web/dist is missing';
  const built = statSync(index).mtimeMs;
  const newest = Math.max(...SOURCES.map((s) => newestMtime(join(root, s))));
  return newest > built ? 'the web sources changed since the last build' : null;
}

const LOCK_STALE_MS = 5 * 60_000;

/**
 * Holds a lock directory while `fn` runs, so two launchers (or a launcher and a test run) in one tree
 * never build web/dist at the same time: the second waits, then finds the build fresh.
 */
async function withBuildLock<T>(root: string, fn: () => Promise<T>): Promise<T> {
  const lock = join(root, 'node_modules', '.cache', 'lead-router-web-build.lock');
  mkdirSync(join(lock, '..'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A lock left by a killed build would otherwise block every start.
      const held = statSync(lock, { throwIfNoEntry: false });
      const since = held ? Date.now() - held.mtimeMs : 0;
      if (since > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds web/dist with `npm run build -w web` when it is missing or stale; returns whether it built. */
export async function ensureWebBuild(root: string, log: (msg: string) => void): Promise<boolean> {
  if (!webBuildReason(root)) return false;
  return withBuildLock(root, () => build(root, log));
}

async function build(root: string, log: (msg: string) => void): Promise<boolean> {
  // Checked again under the lock: another launcher may have just built it.
  const reason = webBuildReason(root);
  if (!reason) return false;
  log(`Building the web app (${reason}) ...`);
  const output: string[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('npm', ['run', 'build', '-w', 'web', '--silent'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) {
    const message = `Building the web app failed (npm run build -w web, exit ${code}):\n${output.join('').slice(-4000)}`;
    // A half-edited source tree should not stop the product: serve the last good build, loudly.
    if (reason !== 'web/dist is missing') {
      log(`${message}\nServing the previous build of web/dist.`);
      return false;
    }
    throw new Error(message);
  }
  return true;
}

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The `temporal` CLI that scripts/setup-tools.sh installs from PyPI into .tools/. */
export const TEMPORAL_CLI = process.env.TEMPORAL_CLI_PATH ?? join(ROOT, '.tools', 'pip', 'bin', 'temporal');

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A real Temporal dev server (no UI) on `port`, for tests and benchmarks; resolves once it answers. In memory
 * by default; `dbFile` keeps its SQLite database in that file instead, with `pragmas` (e.g. journal_mode=wal).
 */
export async function startTemporalDevServer(port: number, options: { dbFile?: string; pragmas?: string[] } = {}): Promise<{ address: string; pid: number | undefined; stop(): Promise<void> }> {
  if (!existsSync(TEMPORAL_CLI)) throw new Error(`No temporal CLI at ${TEMPORAL_CLI}: run scripts/setup-tools.sh (npm test runs it).`);
  const storage = options.dbFile ? ['--db-filename', options.dbFile, ...(options.pragmas ?? []).flatMap((p) => ['--sqlite-pragma', p])] : [];
  const child: ChildProcess = spawn(TEMPORAL_CLI, ['server', 'start-dev', '--headless', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'error', ...storage], {
    stdio: 'ignore',
  });
  const address = `127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const c = await Connection.connect({ address, connectTimeout: '1s' });
      await c.workflowService.getSystemInfo({});
      await c.close();
      break;
    } catch (e) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`Temporal dev server did not start on ${address}: ${(e as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    address,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}

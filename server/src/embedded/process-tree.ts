import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { reapLeftovers, type Child, type ChildRecord } from './children';

/** A line for the person at the terminal. */
export const say = (msg: string) => process.stdout.write(`${msg}\n`);

/**
 * What `npm start` runs, and how it all stops: the children (Temporal, workers) recorded on disk, the API
 * server and the embedded database. Stopping goes in dependency order: the server, then the workers (they
 * finish their activities against a database and Temporal still running), then Temporal, then the database.
 */
export class ProcessTree {
  readonly children: Child[] = [];
  /** The children of this run, on disk: a launcher that is killed outright cannot stop them, the next one will. */
  private readonly records: ChildRecord[] = [];
  api: { stop(): Promise<void> } | null = null;
  wire: { stop(): Promise<void> } | null = null;
  pglite: { close(): Promise<void> } | null = null;
  private stopping: Promise<void> | null = null;
  private firstSignal = 0;

  constructor(private readonly pidsFile: string) {}

  /** True once stopping has begun: a child exiting then is expected. */
  get isStopping(): boolean {
    return this.stopping !== null;
  }

  /** Stops what a previous launcher, killed outright, left running. */
  reapPrevious(): void {
    if (!existsSync(this.pidsFile)) return;
    const reaped = reapLeftovers(JSON.parse(readFileSync(this.pidsFile, 'utf8')) as ChildRecord[]);
    if (reaped.length) say(`Stopped what a previous run left behind: ${reaped.join(', ')}`);
    rmSync(this.pidsFile, { force: true });
  }

  /** Records a child (and a string its command line contains), so a later start can reap it. */
  track(child: Child, marker: string): void {
    this.children.push(child);
    this.records.push({ name: child.name, pid: child.pid, marker });
    writeFileSync(this.pidsFile, `${JSON.stringify(this.records)}\n`);
  }

  /** Stops everything when `child` (which the run needs; `what` names it for people) exits while nothing is stopping. */
  stopWhenExits(child: Child, what: string): void {
    void child.exited.then((code) => {
      if (this.isStopping) return;
      say(`${what} exited (${code}); see ${child.logFile}`);
      void this.stopAll(`${child.name} exited`, 1);
    });
  }

  /** Ctrl-C (SIGINT) or SIGTERM stops everything in order; a second Ctrl-C kills at once. */
  stopOnSignals(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      // A second Ctrl-C (not the echo of the first through a wrapper) kills at once.
      if (this.firstSignal && Date.now() - this.firstSignal > 1000) {
        say('Killing everything now.');
        process.exit(130);
      }
      this.firstSignal ||= Date.now();
      void this.stopAll(signal, 0);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  /** Stops everything in order, then exits with `code`. Called twice, it stops once. */
  stopAll(reason: string, code: number): Promise<void> {
    this.stopping ??= (async () => {
      say(`\nStopping (${reason}) ...`);
      const step = async (what: string, fn: () => Promise<void>) => {
        try {
          await fn();
        } catch (e) {
          say(`  ${what}: ${(e as Error).message}`);
        }
      };
      const { api, wire, pglite, children } = this;
      if (api) await step('server', () => api.stop());
      await step('workers', async () => {
        await Promise.all(children.filter((c) => c.name.startsWith('worker')).map((c) => c.stop(15_000)));
      });
      await step('temporal', async () => {
        await Promise.all(children.filter((c) => c.name === 'temporal').map((c) => c.stop(10_000)));
      });
      if (wire) await step('database', () => wire.stop());
      if (pglite) await step('database', () => pglite.close());
      if (children.every((c) => c.done)) rmSync(this.pidsFile, { force: true });
      say('Stopped.');
      process.exit(code);
    })();
    return this.stopping;
  }
}

/** True when nothing listens on `host:port`. */
export async function isPortFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

/** A port nothing listens on now. */
export async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** `preferred` when free (0 means any), else a free port. */
export async function pickPort(preferred: number, host: string): Promise<number> {
  if (preferred !== 0 && (await isPortFree(preferred, host))) return preferred;
  return freePort(host);
}

/**
 * Tries `attempt` every 200 ms until it answers (not null) or `timeoutMs` pass; fails at once when `dead()`
 * says what it waits on has died.
 */
export async function waitFor<T>(what: string, timeoutMs: number, attempt: () => Promise<T | null>, dead: () => string | null): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    const died = dead();
    if (died) throw new Error(`${what}: ${died}`);
    try {
      const r = await attempt();
      if (r !== null) return r;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs / 1000} s${last ? ` (${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

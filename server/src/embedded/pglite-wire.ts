import { createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';

// PGlite is one PostgreSQL backend; the server and the worker each want a pool of connections over the
// wire protocol (postgres.js). This server shares the one backend among many client connections while
// keeping each session's view of the database what a real server would give it:
//
// - Messages are run in whole units: a simple Query, or an extended-protocol batch up to its Sync. Two
//   connections never interleave inside a unit, so one's unnamed statement or portal is never another's.
// - A connection that leaves the backend inside a transaction (BEGIN ... COMMIT across several units)
//   keeps the backend until the transaction ends; the others queue behind it. Transactions therefore run
//   one at a time (serially), which is a valid PostgreSQL schedule: row locks and `FOR UPDATE SKIP
//   LOCKED` behave as if nothing else were running.
// - A connection that goes away mid-transaction is rolled back, and its named prepared statements are
//   deallocated, so the next session starts clean.
//
// Not supported: LISTEN/NOTIFY across connections (nothing here uses it), COPY, query cancellation.
// @electric-sql/pglite-socket's own multiplexer queues single messages, so an extended-protocol batch from
// one pool connection can interleave with another's (tried here with the test's two pools: `portal ""
// does not exist` within seconds); that is why this exists.

const SSL_REQUEST = 80877103;
const CANCEL_REQUEST = 80877102;
const GSSENC_REQUEST = 80877104;
const PROTOCOL_3 = 196608;

/** A FIFO lock on the one backend, owned by one connection at a time. */
class BackendLock {
  private owner: number | null = null;
  private waiters: Array<{ id: number; grant: () => void }> = [];

  get holder(): number | null {
    return this.owner;
  }

  acquire(id: number): Promise<void> {
    if (this.owner === id) return Promise.resolve();
    if (this.owner === null) {
      this.owner = id;
      return Promise.resolve();
    }
    return new Promise((grant) => this.waiters.push({ id, grant }));
  }

  release(id: number): void {
    if (this.owner !== id) return;
    const next = this.waiters.shift();
    this.owner = next ? next.id : null;
    next?.grant();
  }

  /** Drops a connection's place in the queue (it went away while waiting). */
  forget(id: number): void {
    this.waiters = this.waiters.filter((w) => w.id !== id);
  }

  get queued(): number {
    return this.waiters.length;
  }
}

interface Unit {
  messages: Buffer[];
  /** The unit ended on Flush rather than Sync: the backend is mid-batch and stays with this connection. */
  open: boolean;
}

/** Options for {@link PgliteWireServer}. */
export interface PgliteWireServerOptions {
  db: PGlite;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Called when a transaction has held the backend longer than `slowTransactionMs` while others wait. */
  onSlowTransaction?: (info: { heldMs: number; queued: number }) => void;
  slowTransactionMs?: number;
}

/** PostgreSQL's wire protocol over loopback TCP, many connections sharing one PGlite backend. */
export class PgliteWireServer {
  private server: Server | null = null;
  private readonly lock = new BackendLock();
  private readonly connections = new Set<WireConnection>();
  private nextId = 1;
  private heldSince = 0;
  private watchdog: NodeJS.Timeout | null = null;

  constructor(private readonly options: PgliteWireServerOptions) {}

  /** Starts listening; resolves with the port. */
  async start(): Promise<number> {
    await this.options.db.waitReady;
    const server = createServer((socket) => {
      const connection = new WireConnection(this.nextId++, socket, this.options.db, this.lock, () => this.connections.delete(connection), (held) => {
        this.heldSince = held ? Date.now() : 0;
      });
      this.connections.add(connection);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const slowMs = this.options.slowTransactionMs ?? 10_000;
    this.watchdog = setInterval(() => {
      if (this.heldSince && this.lock.queued > 0 && Date.now() - this.heldSince > slowMs) {
        this.options.onSlowTransaction?.({ heldMs: Date.now() - this.heldSince, queued: this.lock.queued });
      }
    }, slowMs);
    this.watchdog.unref();
    return (server.address() as { port: number }).port;
  }

  /** Stops accepting, closes every connection (rolling back what they left open). */
  async stop(): Promise<void> {
    if (this.watchdog) clearInterval(this.watchdog);
    const server = this.server;
    this.server = null;
    await Promise.all([...this.connections].map((c) => c.close()));
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** For tests and logs. */
  stats(): { connections: number; queued: number } {
    return { connections: this.connections.size, queued: this.lock.queued };
  }
}

class WireConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private started = false;
  private pending: Buffer[] = [];
  private readonly units: Unit[] = [];
  private running = false;
  private closed = false;
  private readonly statements = new Set<string>();
  private closing: Promise<void> | null = null;

  constructor(
    private readonly id: number,
    private readonly socket: Socket,
    private readonly db: PGlite,
    private readonly lock: BackendLock,
    private readonly onGone: () => void,
    private readonly onHeld: (held: boolean) => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => void this.close());
    socket.on('close', () => void this.close());
  }

  private receive(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (!this.started) {
        // Start-up phase: untyped messages (length, code, ...).
        if (this.buffer.length < 8) return;
        const length = this.buffer.readInt32BE(0);
        if (this.buffer.length < length) return;
        const code = this.buffer.readInt32BE(4);
        const message = this.buffer.subarray(0, length);
        this.buffer = this.buffer.subarray(length);
        if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
          this.socket.write('N');
          continue;
        }
        if (code === CANCEL_REQUEST) {
          this.socket.end();
          return;
        }
        if (code !== PROTOCOL_3) {
          this.socket.end();
          return;
        }
        this.started = true;
        this.units.push({ messages: [Buffer.from(message)], open: false });
        continue;
      }
      if (this.buffer.length < 5) break;
      const length = 1 + this.buffer.readInt32BE(1);
      if (this.buffer.length < length) break;
      const message = Buffer.from(this.buffer.subarray(0, length));
      this.buffer = this.buffer.subarray(length);
      const type = String.fromCharCode(message[0]!);
      if (type === 'X') {
        // Terminate: the session ends here; the shared backend must not see it.
        void this.close();
        return;
      }
      this.track(type, message);
      this.pending.push(message);
      if (type === 'S' || type === 'Q') {
        this.units.push({ messages: this.pending, open: false });
        this.pending = [];
      } else if (type === 'H') {
        this.units.push({ messages: this.pending, open: true });
        this.pending = [];
      }
    }
    void this.run();
  }

  /** Remembers named prepared statements, to deallocate them when the connection goes. */
  private track(type: string, message: Buffer): void {
    if (type === 'P') {
      const name = cstring(message, 5);
      if (name) this.statements.add(name);
    } else if (type === 'C' && message[5] === 0x53 /* 'S' */) {
      this.statements.delete(cstring(message, 6));
    }
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.units.length && !this.closed) {
        const unit = this.units.shift()!;
        await this.lock.acquire(this.id);
        if (this.closed) break;
        for (const message of unit.messages) {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(new Uint8Array(message.buffer, message.byteOffset, message.byteLength), {
              onRawData: (data) => {
                if (data.length && !this.closed && this.socket.writable) this.socket.write(Buffer.from(data));
              },
            }),
          );
        }
        const held = unit.open || this.db.isInTransaction();
        this.onHeld(held);
        if (!held) this.lock.release(this.id);
      }
    } catch (e) {
      this.socket.destroy(e as Error);
    } finally {
      this.running = false;
    }
    if (this.closed) await this.cleanUp();
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    this.closing = (async () => {
      if (!this.socket.destroyed) this.socket.end();
      this.socket.destroy();
      // A unit in flight finishes first; run() then calls cleanUp itself.
      if (!this.running) await this.cleanUp();
      else await new Promise<void>((resolve) => this.cleanedUp.push(resolve));
    })();
    return this.closing;
  }

  private cleanedUp: Array<() => void> = [];
  private cleaned = false;

  private async cleanUp(): Promise<void> {
    if (this.cleaned) return;
    this.cleaned = true;
    this.lock.forget(this.id);
    const ownsBackend = this.lock.holder === this.id;
    if (this.statements.size || ownsBackend) {
      await this.lock.acquire(this.id);
      try {
        if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
        for (const name of this.statements) await this.db.exec(`DEALLOCATE "${name.replace(/"/g, '""')}"`).catch(() => {});
      } catch {
        // The database may be closing; nothing left to clean.
      }
      this.onHeld(false);
      this.lock.release(this.id);
    }
    this.onGone();
    for (const resolve of this.cleanedUp.splice(0)) resolve();
  }
}

function cstring(buffer: Buffer, start: number): string {
  const end = buffer.indexOf(0, start);
  return buffer.toString('utf8', start, end === -1 ? buffer.length : end);
}

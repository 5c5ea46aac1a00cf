/** How a loop runs its rounds. */
export interface PollingLoopOptions {
  /** The wait between rounds when a round does not name one (ms). */
  pollMs: number;
  /** A round that threw: reported here, and the next round comes after `pollMs`. */
  onError(e: unknown): void;
  /**
   * A kick during a round runs another round right after it (default false: the kick is dropped). For a loop
   * whose round may have read its work before what the kick announces was committed (the outbox dispatcher).
   */
  rerunAfterBusyKick?: boolean;
}

/**
 * A background loop of the servers and workers (outbox dispatch, backfills, queue alerts): one round at a time,
 * the first at `start()`, then after the wait the round returns (ms) or `pollMs`, and at once on `kick()`.
 * Its timer never keeps a process alive; `stop()` waits for the round in flight.
 */
export class PollingLoop {
  private active = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inflight: Promise<void> | null = null;
  private kickedWhileBusy = false;

  constructor(
    private readonly round: () => Promise<number | void>,
    private readonly options: PollingLoopOptions,
  ) {}

  /** Between `start()` and `stop()`. */
  get running(): boolean {
    return this.active;
  }

  /** Whether a round is in flight. */
  get busy(): boolean {
    return this.inflight !== null;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inflight;
  }

  /** Runs a round now (work was just written for it); a no-op unless started. */
  kick(): void {
    if (!this.active) return;
    if (this.inflight) {
      if (this.options.rerunAfterBusyKick) this.kickedWhileBusy = true;
      return;
    }
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (!this.active) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), ms);
    // The loop alone must not keep a process alive (tests, CLI tools): the HTTP server or the worker does that.
    this.timer.unref?.();
  }

  private tick(): void {
    this.timer = null;
    if (!this.active || this.inflight) return;
    this.kickedWhileBusy = false;
    let next = this.options.pollMs;
    this.inflight = this.round()
      .then((ms) => {
        if (typeof ms === 'number') next = ms;
      })
      .catch((e: unknown) => this.options.onError(e))
      .finally(() => {
        this.inflight = null;
        this.schedule(this.kickedWhileBusy ? 0 : next);
      });
  }
}

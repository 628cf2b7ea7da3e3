/** How a crashed worker is restarted: exponential backoff, forgotten once a worker stays up. */
export interface RestartPolicy {
  /** Delay before the first restart after a crash. */
  initialDelayMs: number;
  /** Longest delay; the delay doubles up to this. */
  maxDelayMs: number;
  /** A worker up this long has recovered: its next crash starts again from the initial delay. */
  stableAfterMs: number;
  /** Crashes in a row (each before `stableAfterMs`) that make a crash loop worth an error log. */
  crashLoopAfter: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { initialDelayMs: 100, maxDelayMs: 30_000, stableAfterMs: 10_000, crashLoopAfter: 3 };

export interface RestartDecision {
  delayMs: number;
  /** Crashes in a row, this one included. */
  crashes: number;
  crashLoop: boolean;
}

/** The restart schedule of one worker slot. Pure: the caller measures uptime and runs the timer. */
export class RestartBackoff {
  private crashes = 0;

  constructor(private readonly policy: RestartPolicy = DEFAULT_RESTART_POLICY) {}

  /** A worker of this slot exited after `uptimeMs`: when to start the next one. */
  next(uptimeMs: number): RestartDecision {
    if (uptimeMs >= this.policy.stableAfterMs) this.crashes = 0;
    this.crashes++;
    const delayMs = Math.min(this.policy.maxDelayMs, this.policy.initialDelayMs * 2 ** (this.crashes - 1));
    return { delayMs, crashes: this.crashes, crashLoop: this.crashes >= this.policy.crashLoopAfter };
  }
}

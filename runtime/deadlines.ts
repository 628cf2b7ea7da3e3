/** A call with a deadline; `expire` runs once if it is still pending when the deadline passes. */
interface Deadline {
  at: number;
  expire(): void;
}

/**
 * Traffic timeouts for every in-flight call of a server, checked by one timer instead of a
 * timer (and a promise race) per request: the check runs a few times a second, so a call
 * times out within a fraction of a second of its limit, and costs a Set entry meanwhile.
 */
export class DeadlineSweeper {
  private readonly pending = new Set<Deadline>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly periodMs = 100, private readonly now: () => number = Date.now) {}

  add(afterMs: number, expire: () => void): Deadline {
    const deadline = { at: this.now() + afterMs, expire };
    this.pending.add(deadline);
    this.timer ??= setInterval(() => this.sweep(), this.periodMs).unref();
    return deadline;
  }

  remove(deadline: Deadline): void {
    this.pending.delete(deadline);
  }

  private sweep(): void {
    const now = this.now();
    for (const deadline of this.pending) {
      if (deadline.at > now) continue;
      this.pending.delete(deadline);
      deadline.expire();
    }
    if (this.pending.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}

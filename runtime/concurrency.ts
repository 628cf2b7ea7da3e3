import { overloaded } from "./errors.js";

/** Admits at most `limit` requests at once; the rest are turned away with 503 + Retry-After. */
export class ConcurrencyLimiter {
  private active = 0;

  constructor(private readonly limit: number | undefined, private readonly retryAfterSeconds = 1) {}

  get inFlight(): number {
    return this.active;
  }

  /** Whether there is a limit to enforce (without one, nothing needs releasing). */
  get limited(): boolean {
    return this.limit !== undefined;
  }

  /** Takes a slot, or throws 503; call the returned function exactly once to give it back. */
  acquire(): () => void {
    if (this.limit !== undefined && this.active >= this.limit) throw overloaded(this.retryAfterSeconds);
    this.active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
    };
  }
}

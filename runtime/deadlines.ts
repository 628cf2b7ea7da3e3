/**
 * A call with a deadline; `expire(call, detail)` runs once if it is still pending when the
 * deadline passes. The call and its detail are kept beside the function rather than captured
 * in a closure, so a route passes the same function for every request and adding a deadline
 * allocates one object.
 */
interface Deadline {
  at: number;
  expire(call: unknown, detail: unknown): void;
  call: unknown;
  detail: unknown;
  // Neighbours in the sweeper's list; `removed` makes a second removal harmless.
  previous: Deadline | undefined;
  next: Deadline | undefined;
  removed: boolean;
}

/**
 * Traffic timeouts for every in-flight call of a server, checked by one timer instead of a
 * timer (and a promise race) per request: the check runs a few times a second, so a call
 * times out within a fraction of a second of its limit. Pending calls are a doubly linked list,
 * so adding and removing one costs a few pointer writes (a Set hashed every entry, which showed
 * in a CPU profile of `npm run bench:http -- --cpu-prof <dir>`).
 */
export class DeadlineSweeper {
  private head: Deadline | undefined;
  private tail: Deadline | undefined;
  private timer: NodeJS.Timeout | undefined;

  /** `now`: the clock deadlines are given on (by default `performance.now()`, which request arrivals are stamped with). */
  constructor(private readonly periodMs = 100, private readonly now: () => number = () => performance.now()) {}

  /** A call that expires at `at` on the sweeper's clock, unless removed before. */
  add<Call, Detail>(at: number, expire: (call: Call, detail: Detail) => void, call: Call, detail: Detail): Deadline {
    const deadline: Deadline = { at, expire: expire as Deadline["expire"], call, detail, previous: this.tail, next: undefined, removed: false };
    if (this.tail) this.tail.next = deadline;
    else this.head = deadline;
    this.tail = deadline;
    this.timer ??= setInterval(() => this.sweep(), this.periodMs).unref();
    return deadline;
  }

  /** Takes a call off the list; false when it was already gone (expired, or removed before). */
  remove(deadline: Deadline): boolean {
    if (deadline.removed) return false;
    deadline.removed = true;
    if (deadline.previous) deadline.previous.next = deadline.next;
    else this.head = deadline.next;
    if (deadline.next) deadline.next.previous = deadline.previous;
    else this.tail = deadline.previous;
    deadline.previous = deadline.next = undefined;
    deadline.call = deadline.detail = undefined; // a finished call is not kept alive by its entry
    return true;
  }

  private sweep(): void {
    const now = this.now();
    for (let deadline = this.head; deadline !== undefined;) {
      const next = deadline.next;
      if (deadline.at <= now) {
        const { call, detail } = deadline;
        this.remove(deadline);
        deadline.expire(call, detail);
      }
      deadline = next;
    }
    if (this.head === undefined) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}

import type { IncomingHttpHeaders } from "node:http";
import type { Context } from "../sdk/context.js";

/** The Context a method receives: request headers in, response status and headers out. */
export class RequestContext implements Context {
  readonly response: { status: number; headers: Record<string, string> } = { status: 200, headers: {} };
  readonly state = new Map<string, unknown>();
  // Made when a method first asks for the signal: most requests never do, and it is not free.
  private controller: AbortController | undefined;
  private abortReason: Error | undefined;

  constructor(readonly headers: IncomingHttpHeaders, readonly requestId: string) {}

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  /** Client gone or traffic timeout passed: the method should stop. */
  abort(reason: Error): void {
    this.abortReason ??= reason;
    if (this.controller && !this.controller.signal.aborted) this.controller.abort(reason);
  }
}

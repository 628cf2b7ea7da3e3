import type { IncomingHttpHeaders } from "node:http";
import type { Context } from "../sdk/context.js";

/** The Context a method receives: request headers in, response status and headers out. */
export class RequestContext implements Context {
  readonly response: { status: number; headers: Record<string, string> } = { status: 200, headers: {} };
  readonly state = new Map<string, unknown>();
  private readonly controller = new AbortController();

  constructor(readonly headers: IncomingHttpHeaders, readonly requestId: string) {}

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Client gone or traffic timeout passed: the method should stop. */
  abort(reason: Error): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }
}

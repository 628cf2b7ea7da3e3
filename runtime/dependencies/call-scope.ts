import type { IncomingHttpHeaders } from "node:http";
import { errorForResponse, TimeoutError, type ErrorBody } from "../../sdk/client/errors.js";
import type { DependencyCallOptions } from "../../sdk/depends.js";
import { RequestContext } from "../context.js";
import { methodFailed, type BentocHttpError } from "../errors.js";
import { asJson } from "./kinds.js";

const NO_HEADERS = Object.freeze({}) as IncomingHttpHeaders;
let calls = 0;
/** A request id for a call made without the caller's Context: cheap, and unique in this process. */
export const callId = () => `call-${process.pid}-${++calls}`;

/**
 * One call's Context, and what may end it early: the caller's signal (or its Context's abort),
 * and its timeout. `stopped` rejects when one of them does; a call with none of them makes no
 * promise, timer or listener.
 */
export class CallScope {
  readonly context: RequestContext;
  readonly stopped: Promise<never> | undefined;
  private stop: (error: unknown) => void = () => undefined;
  private endedBy: { signal: unknown } | { timeoutMs: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private unlink: (() => void) | undefined;

  constructor(options: DependencyCallOptions) {
    const { signal, timeoutMs, context } = options;
    const requestId = context?.requestId ?? callId();
    this.context = new RequestContext(context ? { "x-request-id": requestId } : NO_HEADERS, requestId);
    if (context instanceof RequestContext) this.context.trace = context.trace; // an in-process dependency continues the caller's trace
    if (!signal && timeoutMs === undefined && !context) return;
    this.stopped = new Promise<never>((_resolve, reject) => (this.stop = reject));
    this.stopped.catch(() => undefined); // a call that finished first never awaits it
    if (timeoutMs !== undefined) this.timer = setTimeout(() => this.end({ timeoutMs }), timeoutMs);
    if (signal) {
      const onAbort = () => this.end({ signal: signal.reason });
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener("abort", onAbort, { once: true });
        this.unlink = () => signal.removeEventListener("abort", onAbort);
      }
    } else if (context instanceof RequestContext) {
      // The caller's own Context: listened to without making its signal, which costs every request that reads it.
      this.unlink = context.onAbort((reason) => this.end({ signal: reason }));
    } else if (context) {
      const onAbort = () => this.end({ signal: context.signal.reason });
      context.signal.addEventListener("abort", onAbort, { once: true });
      this.unlink = () => context.signal.removeEventListener("abort", onAbort);
    }
  }

  get ended(): boolean {
    return this.endedBy !== undefined;
  }

  /** Ends the call; ended by the caller's signal or the timeout, its Context's signal is aborted too. */
  end(by?: { signal: unknown } | { timeoutMs: number }): void {
    if (this.timer) clearTimeout(this.timer);
    this.unlink?.();
    this.timer = this.unlink = undefined;
    if (!by || this.endedBy) return;
    this.endedBy = by;
    const reason = "timeoutMs" in by ? new Error(`The caller's ${by.timeoutMs} ms timeout passed`) : new Error("The caller aborted the call");
    this.context.abort(reason);
    this.stop(reason);
  }

  /**
   * What the caller is told, as the HTTP client would tell it: its signal's reason when it
   * aborted, a TimeoutError (status 0) when its timeout passed, else the server's typed error.
   */
  failure(where: string, error: unknown): unknown {
    if (this.endedBy && "signal" in this.endedBy) return this.endedBy.signal;
    if (this.endedBy) return new TimeoutError(`${where} did not finish within ${this.endedBy.timeoutMs} ms`, { status: 0 });
    return clientError(where, error, this.context.requestId);
  }
}

/** The error a remote caller would get for what the call threw: the client's typed errors, by status. */
export function clientError(where: string, error: unknown, requestId: string): unknown {
  const http = methodFailed(error) as BentocHttpError;
  const failure = errorForResponse(where, http.status, asJson(http.body(requestId)) as ErrorBody, requestId, undefined);
  if (http.cause !== undefined) Object.defineProperty(failure, "cause", { value: http.cause, configurable: true, writable: true });
  return failure;
}

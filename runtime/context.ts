import type { IncomingHttpHeaders } from "node:http";
import type { Context as TraceContext } from "@opentelemetry/api";
import type { Context } from "../sdk/context.js";

/** The Context a method receives: request headers in, response status and headers out. */
export class RequestContext implements Context {
  readonly response: { status: number; headers: Record<string, string> } = { status: 200, headers: {} };
  /** The OpenTelemetry context of the call's span, when the server traces (runtime/tracing.ts). */
  trace: TraceContext | undefined;
  // Made when a method first asks for the signal (or the state): most requests never do, and neither is free.
  private controller: AbortController | undefined;
  private scratch: Map<string, unknown> | undefined;
  private abortReason: Error | undefined;
  private abortListeners: ((reason: Error) => void)[] | undefined;

  constructor(readonly headers: IncomingHttpHeaders, readonly requestId: string) {}

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.abortReason) this.controller.abort(this.abortReason);
    }
    return this.controller.signal;
  }

  get state(): Map<string, unknown> {
    return (this.scratch ??= new Map());
  }

  /** Client gone or traffic timeout passed: the method should stop. */
  abort(reason: Error): void {
    if (this.abortReason) return;
    this.abortReason = reason;
    if (this.controller && !this.controller.signal.aborted) this.controller.abort(reason);
    for (const listener of this.abortListeners ?? []) listener(reason);
  }

  /**
   * Calls `listener` when this context is aborted (at once if it was), without making its
   * signal, which costs every request that reads it; returns what stops listening.
   */
  onAbort(listener: (reason: Error) => void): () => void {
    if (this.abortReason) {
      listener(this.abortReason);
      return () => undefined;
    }
    (this.abortListeners ??= []).push(listener);
    return () => {
      const at = this.abortListeners?.indexOf(listener) ?? -1;
      if (at !== -1) this.abortListeners!.splice(at, 1);
    };
  }
}

/** What an API method can learn about, and set on, the HTTP exchange that called it. */
export interface Context {
  /** Request headers, lower-cased names. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The id of this request (from `x-request-id`, or generated). */
  readonly requestId: string;
  /** Fires when the client disconnects or the traffic timeout passes. */
  readonly signal: AbortSignal;
  /** Status and headers of the response; set them before returning. */
  readonly response: { status: number; headers: Record<string, string> };
  /** Per-request scratch space for hooks and the method. */
  readonly state: Map<string, unknown>;
}

// What a client's user passes and gets back, and how a client describes the APIs it calls.
import type { JsonSchema } from "./codec.js";

/** `fetch`, or anything that behaves like it (a test double, a proxy-aware fetch). */
export type FetchFunction = (url: string, init: RequestInit) => Promise<Response>;

export interface ClientOptions {
  /**
   * Where the bento listens, e.g. `http://127.0.0.1:3000`; a path prefix is kept (`https://host/ml/shop`).
   * In a browser, a path alone (`/api`) calls the page's own server.
   */
  baseUrl: string | URL;
  /** Headers sent with every call (authentication, say). */
  headers?: Record<string, string> | undefined;
  /** Longest a call may take, in ms, retries included; for a stream, until it starts. 0 for no limit. */
  timeoutMs?: number | undefined;
  /** How often a call is sent again when that is safe: the connection was refused, or 503 with Retry-After (default 3). */
  retries?: number | undefined;
  /** The `fetch` to use (default: the global one). */
  fetch?: FetchFunction | undefined;
  /** The WebSocket class for WebSocket APIs (default: the global one; Node 20 has none: pass `ws`'s or undici's). */
  WebSocket?: WebSocketConstructor | undefined;
}

/** What the client needs of a WebSocket: the browser's, or the `ws` or `undici` package's in Node. */
export interface WebSocketLike {
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "message" | "close", listener: (event: unknown) => void): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** Options of one WebSocket call. */
export interface SocketOptions {
  /** Aborting it closes the socket (and so ends the method on the server). */
  signal?: AbortSignal | undefined;
  /** The WebSocket class for this call, over the client's. */
  WebSocket?: WebSocketConstructor | undefined;
}

/** Per-call options; they override the client's. */
export interface CallOptions {
  /** Aborting it cancels the call; for a stream, it ends the stream and the server's generator with it. */
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  headers?: Record<string, string> | undefined;
}

export interface WaitReadyOptions {
  /** How long to wait in ms (default 30 000). */
  timeoutMs?: number | undefined;
  /** Time between probes in ms (default 200). */
  intervalMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** Bytes for a file argument: a `File` keeps its name and type; a `Blob` or `Uint8Array` is sent under the argument's name. */
export type FileInput = Blob | Uint8Array;

/** Where a task is: `success`, `failure` and `cancelled` are final. */
export type TaskState = "pending" | "running" | "success" | "failure" | "cancelled";

export interface TaskStatus {
  task_id: string;
  status: TaskState;
  created_at: Date;
  /** When a worker started the task; null while it is pending. */
  executed_at: Date | null;
}

export interface TaskResultOptions {
  /** Aborting it stops waiting (the task itself runs on; `cancel` stops it). */
  signal?: AbortSignal | undefined;
  /** Time between status polls in ms (default 500). */
  pollIntervalMs?: number | undefined;
  /** Per poll: a poll that takes longer fails the wait with a TimeoutError. */
  timeoutMs?: number | undefined;
  headers?: Record<string, string> | undefined;
}

/** A submitted task: poll its status, fetch its result, cancel it or run it again. */
export interface TaskHandle<Result> {
  readonly id: string;
  status(options?: CallOptions): Promise<TaskStatus>;
  /** The result of a task that finished successfully (a 409 `BentocClientError` until then). */
  get(options?: CallOptions): Promise<Result>;
  cancel(options?: CallOptions): Promise<TaskStatus>;
  /** Runs the task again with the arguments it was submitted with; the handle of the new run. */
  retry(options?: CallOptions): Promise<TaskHandle<Result>>;
  /** Polls until the task ends: its result when it succeeded, else a `TaskFailedError` saying how it ended. */
  result(options?: TaskResultOptions): Promise<Result>;
}

/** How one API travels on the wire: what a generated client knows from the manifest, a dynamic one from `/docs.json`. */
export interface ApiDescriptor {
  readonly name: string;
  readonly route: string;
  readonly kind: "unary" | "stream" | "task" | "websocket";
  /** Schema of the object of arguments, for the values that need encoding (Date, bigint, bytes); absent when it is plain JSON. */
  readonly input?: JsonSchema;
  /** Schema of the result (of one element, for a stream), for the values that need reviving; absent when it is plain JSON. */
  readonly output?: JsonSchema;
  /**
   * For multipart APIs, how each argument travels: `file`/`files` as file parts, `text` as a raw
   * field (a string parameter), `text-or-json` raw unless it would read as JSON (a nullable string), `json` as JSON text.
   */
  readonly parts?: { readonly [argument: string]: "file" | "files" | "text" | "text-or-json" | "json" };
  /** For unary APIs that answer with bytes (`application/octet-stream`): what to return them as. */
  readonly bytes?: "Uint8Array" | "ArrayBuffer" | "Blob";
  /** For streams: the framings the server offers. */
  readonly framings?: readonly string[];
}

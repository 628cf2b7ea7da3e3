// A WebSocket API as a client calls it: the caller's messages go out as JSON text frames (an
// empty frame ends them), the server's replies come back revived, and the close code says how it
// ended: 1000 is the end of the replies, anything else the typed error of that failure.
import { codecFor, jsonTextOf, type SchemaSet } from "./codec.js";
import { BentocClientError, ConnectionError, errorForResponse, ServerError, TimeoutError, UnavailableError, ValidationError } from "./errors.js";
import type { ApiDescriptor, SocketOptions, WebSocketConstructor } from "./types.js";

/** Unsent bytes a socket may hold before the next message waits for them to go out. */
const SEND_HIGH_BYTES = 64 * 1024;
const SEND_POLL_MS = 10;

/** The `ws:`/`wss:` URL of a route, from the client's http(s) base URL (a path alone: the page's own origin). */
export function socketUrl(baseUrl: string, route: string): string {
  const page = (globalThis as { location?: { origin: string } }).location;
  const origin = baseUrl === "" || baseUrl.startsWith("/") ? `${page?.origin ?? ""}${baseUrl}` : baseUrl;
  return `${origin.replace(/^http/i, "ws")}${route}`;
}

/** One WebSocket call: sends `messages` as they come and yields the replies; `break` or the signal closes it. */
export async function* socketCall<T>(url: string, api: ApiDescriptor, schemas: SchemaSet, messages: AsyncIterable<unknown> | Iterable<unknown>, options: SocketOptions, fallback: WebSocketConstructor | undefined): AsyncGenerator<T, void, undefined> {
  const Socket = options.WebSocket ?? fallback ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (Socket === undefined) throw new TypeError("No global WebSocket here (Node 20 has none): pass `WebSocket` in the client's or the call's options, e.g. from the `ws` or `undici` package");
  const where = `GET ${api.route} (WebSocket)`;
  const encoder = codecFor(api.input, schemas);
  const reviver = codecFor(api.output, schemas);
  const socket = new Socket(url);
  const replies: unknown[] = [];
  let ended: { code: number; reason: string } | undefined;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const notify = () => {
    const waiting = wake;
    wake = undefined;
    waiting?.();
  };
  const opened = new Promise<void>((resolve) => socket.addEventListener("open", () => resolve()));
  socket.addEventListener("message", (event) => {
    try {
      replies.push(reviver.revive(JSON.parse(String((event as { data: unknown }).data))));
    } catch (error) {
      failure = new ServerError(`${where}: a reply is not JSON`, { status: 500, cause: error });
    }
    notify();
  });
  socket.addEventListener("close", (event) => {
    const { code, reason } = event as unknown as { code: number; reason: string };
    ended = { code, reason };
    notify();
  });
  const signal = options.signal;
  const onAbort = () => {
    failure = signal?.reason;
    socket.close(1000, "the caller aborted");
    notify();
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener("abort", onAbort, { once: true });
  // Sends the caller's messages once the socket is open, then the empty frame that ends them.
  const sending = (async () => {
    await opened;
    for await (const message of messages as AsyncIterable<unknown>) {
      if (ended !== undefined || failure !== undefined) return;
      socket.send(await jsonTextOf(encoder.encode(message)));
      while (socket.bufferedAmount > SEND_HIGH_BYTES && ended === undefined) await new Promise((resolve) => setTimeout(resolve, SEND_POLL_MS));
    }
    if (ended === undefined) socket.send("");
  })();
  sending.catch((error: unknown) => {
    failure ??= error;
    socket.close(1000, "the caller's messages failed");
    notify();
  });
  try {
    for (;;) {
      if (failure !== undefined) throw failure;
      if (replies.length > 0) {
        yield replies.shift() as T;
        continue;
      }
      if (ended !== undefined) {
        if (ended.code === 1000) return;
        throw closeError(where, ended.code, ended.reason);
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    if (ended === undefined) socket.close(1000, "the caller is done");
  }
}

/** The typed error a close code stands for (docs/websocket.md). */
function closeError(where: string, code: number, reason: string): BentocClientError {
  const message = `${where} closed with ${code}${reason ? `: ${reason}` : ""}`;
  const body = { error: reason || `closed with ${code}` };
  if (code === 1007) return new ValidationError(message, { status: 400, body });
  if (code === 4408) return new TimeoutError(message, { status: 0, body });
  if (code === 1001) return new UnavailableError(message, { status: 503, body });
  if (code > 4000 && code < 4600) return errorForResponse(where, code - 4000, body, undefined, undefined);
  if (code === 1011) return new ServerError(message, { status: 500, body });
  return new ConnectionError(message, { status: 0, body });
}

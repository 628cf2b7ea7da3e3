import { Readable } from "node:stream";
import Negotiator from "negotiator";
import { NDJSON_MEDIA_TYPE, SSE_MEDIA_TYPE, TEXT_MEDIA_TYPE } from "../manifest/types.js";
import { methodFailed, notAcceptable } from "./errors.js";

/**
 * A stream's framing on the wire, negotiated from the request's Accept header as HTTP says:
 * quality values (`q=0` refuses a type), wildcards (`text/*`, `*\/*`), and the API's own order
 * (its first media type is the default) between types the client likes as much.
 */
export function streamMediaType(accept: string | undefined, offered: readonly string[]): string {
  if (!accept) return offered[0] ?? SSE_MEDIA_TYPE;
  const match = new Negotiator({ headers: { accept } }).mediaType([...offered]);
  if (!match) throw notAcceptable(offered);
  return match;
}

type Frame = (element: unknown) => string;

const FRAMES: Record<string, (serialize: (value: unknown) => string) => Frame> = {
  [SSE_MEDIA_TYPE]: (serialize) => (element) => `data: ${serialize(element)}\n\n`,
  [NDJSON_MEDIA_TYPE]: (serialize) => (element) => `${serialize(element)}\n`,
  [TEXT_MEDIA_TYPE]: () => (element) => String(element),
};

/** What an SSE stream sends while it waits for its next element: a comment, which clients skip. */
export const SSE_KEEP_ALIVE = ": keep-alive\n\n";
const WAITED = Symbol("waited");

/**
 * The body of a streaming response: pulls the method's iterator only as fast as the client
 * reads (so a slow reader cannot grow server memory), and closes it — running the method's
 * `finally` — when the response ends early, e.g. because the client went away.
 * An SSE stream that waits longer than `keepAliveMs` for its next element (a model slow to
 * give its first token) sends a comment meanwhile, so proxies and load balancers that drop idle
 * connections (often after 60 s) keep it; 0 sends none.
 */
export function streamBody(
  source: AsyncIterable<unknown> | Iterable<unknown> | ReadableStream<unknown>,
  mediaType: string,
  serialize: (value: unknown) => string,
  onEnd: (error?: unknown) => void,
  keepAliveMs = 0,
  onBytes?: (bytes: number) => void,
): Readable {
  const framed = FRAMES[mediaType]!(serialize);
  // What the response's body holds so far (the access line's size of a streamed response).
  const frame: Frame = onBytes ? (element) => counted(framed(element), onBytes) : framed;
  // objectMode: a web stream's chunks are the elements (objects too), not bytes.
  const iterable = isWebStream(source) ? Readable.fromWeb(source as import("node:stream/web").ReadableStream<unknown>, { objectMode: true }) : source;
  const keepAlive = mediaType === SSE_MEDIA_TYPE && keepAliveMs > 0;
  async function* frames(): AsyncGenerator<string> {
    try {
      if (keepAlive) yield* framesWithKeepAlive(iterable as AsyncIterable<unknown>, frame, keepAliveMs, onBytes);
      else for await (const element of iterable as AsyncIterable<unknown>) yield frame(element);
      onEnd();
    } catch (error) {
      onEnd(error);
      // SSE can tell the client in-band; other framings end abruptly, which clients see as an error.
      if (mediaType === SSE_MEDIA_TYPE) yield counted(`event: error\ndata: ${JSON.stringify(inBandError(error))}\n\n`, onBytes);
      else throw error;
    }
  }
  return Readable.from(frames(), { objectMode: false, highWaterMark: 16 * 1024 });
}

/** The frames of `iterable`, with a keep-alive comment each `keepAliveMs` that the next element keeps them waiting. */
async function* framesWithKeepAlive(iterable: AsyncIterable<unknown> | Iterable<unknown>, frame: Frame, keepAliveMs: number, onBytes?: (bytes: number) => void): AsyncGenerator<string> {
  const iterator = (Symbol.asyncIterator in iterable ? iterable : fromSync(iterable))[Symbol.asyncIterator]();
  let waiting: Promise<IteratorResult<unknown>> | undefined;
  try {
    for (;;) {
      waiting = iterator.next();
      let step: IteratorResult<unknown> | typeof WAITED;
      while ((step = await nextOrWaited(waiting, keepAliveMs)) === WAITED) yield counted(SSE_KEEP_ALIVE, onBytes);
      waiting = undefined;
      if (step.done) return;
      yield frame(step.value);
    }
  } finally {
    // Ended early (the client went away, or the stream failed): close the method's iterator, as
    // `for await` does. While its next element is still coming, the close waits for it; the
    // request's Context signal has already told the method to stop.
    if (waiting === undefined) await iterator.return?.();
    else void waiting.then(() => iterator.return?.(), () => undefined);
  }
}

/** A sync iterable as `for await` reads one: each element awaited. */
async function* fromSync(iterable: Iterable<unknown>): AsyncGenerator<unknown> {
  yield* iterable;
}

function nextOrWaited(next: Promise<IteratorResult<unknown>>, ms: number): Promise<IteratorResult<unknown> | typeof WAITED> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<typeof WAITED>((resolve) => (timer = setTimeout(resolve, ms, WAITED)));
  return Promise.race([next, waited]).finally(() => clearTimeout(timer));
}

function isWebStream(value: unknown): boolean {
  return typeof (value as ReadableStream | undefined)?.getReader === "function";
}

/** `text`, its UTF-8 length told to `onBytes`. */
function counted(text: string, onBytes: ((bytes: number) => void) | undefined): string {
  onBytes?.(Buffer.byteLength(text));
  return text;
}

/**
 * What an SSE stream says of its failure: a ServiceError's body and status (the client throws the
 * matching typed error), else only that it failed; the response's own status went out with its
 * first byte.
 */
function inBandError(error: unknown): object {
  const answer = methodFailed(error);
  return answer.status === 500 ? { error: "The stream failed", status: 500 } : { ...answer.body(undefined), status: answer.status };
}

import { Readable } from "node:stream";
import Negotiator from "negotiator";
import { NDJSON_MEDIA_TYPE, SSE_MEDIA_TYPE, TEXT_MEDIA_TYPE } from "../manifest/types.js";
import { notAcceptable } from "./errors.js";

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

/**
 * The body of a streaming response: pulls the method's iterator only as fast as the client
 * reads (so a slow reader cannot grow server memory), and closes it — running the method's
 * `finally` — when the response ends early, e.g. because the client went away.
 */
export function streamBody(
  source: AsyncIterable<unknown> | Iterable<unknown> | ReadableStream<unknown>,
  mediaType: string,
  serialize: (value: unknown) => string,
  onEnd: (error?: unknown) => void,
): Readable {
  const frame = FRAMES[mediaType]!(serialize);
  // objectMode: a web stream's chunks are the elements (objects too), not bytes.
  const iterable = isWebStream(source) ? Readable.fromWeb(source as import("node:stream/web").ReadableStream<unknown>, { objectMode: true }) : source;
  async function* frames(): AsyncGenerator<string> {
    try {
      for await (const element of iterable as AsyncIterable<unknown>) yield frame(element);
      onEnd();
    } catch (error) {
      onEnd(error);
      // SSE can tell the client in-band; other framings end abruptly, which clients see as an error.
      if (mediaType === SSE_MEDIA_TYPE) yield `event: error\ndata: ${JSON.stringify({ error: "The stream failed" })}\n\n`;
      else throw error;
    }
  }
  return Readable.from(frames(), { objectMode: false, highWaterMark: 16 * 1024 });
}

function isWebStream(value: unknown): boolean {
  return typeof (value as ReadableStream | undefined)?.getReader === "function";
}

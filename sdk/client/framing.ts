// The framings a bentoc server streams with, read back into elements: Server-Sent Events (the
// `data` of each event is one JSON element), NDJSON (one JSON element a line) and plain text.

export const SSE_MEDIA_TYPE = "text/event-stream";
export const NDJSON_MEDIA_TYPE = "application/x-ndjson";
export const TEXT_MEDIA_TYPE = "text/plain";

/** One Server-Sent Event. */
export interface ServerSentEvent {
  event: string;
  data: string;
  id: string | undefined;
}

/** The framing to ask for among those an API offers: SSE first (it can carry a failure in-band), then NDJSON, then text. */
export function preferredFraming(offered: readonly string[]): string {
  return [SSE_MEDIA_TYPE, NDJSON_MEDIA_TYPE, TEXT_MEDIA_TYPE].find((type) => offered.includes(type)) ?? SSE_MEDIA_TYPE;
}

/** The text of a byte stream, chunk by chunk as it arrives (UTF-8 sequences split across chunks are joined). */
export async function* textChunks(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const text = decoder.decode(value, { stream: true });
      if (text !== "") yield text;
    }
    const rest = decoder.decode();
    if (rest !== "") yield rest;
  } finally {
    // Ends the request when the reader stops early; a no-op once the body is done. Not awaited: a
    // tee'd body (a cloned response) settles its cancel only once every branch is cancelled.
    void reader.cancel().catch(() => undefined);
  }
}

/** The lines of a byte stream; a line ends at CRLF, LF or CR, and a last line without an end still counts. */
export async function* lines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of textChunks(body)) {
    buffer += chunk;
    let start = 0;
    for (let index = 0; index < buffer.length; index++) {
      const char = buffer[index];
      if (char !== "\n" && char !== "\r") continue;
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (char === "\r" && index === buffer.length - 1) break;
      yield buffer.slice(start, index);
      if (char === "\r" && buffer[index + 1] === "\n") index++;
      start = index + 1;
    }
    buffer = buffer.slice(start);
  }
  if (buffer.endsWith("\r")) buffer = buffer.slice(0, -1);
  if (buffer !== "") yield buffer;
}

/** Server-Sent Events as the HTML standard parses them (event, data, id; comments and retry ignored). */
export async function* serverSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  let event = "";
  let data: string[] = [];
  let id: string | undefined;
  let first = true;
  for await (let line of lines(body)) {
    if (first && line.startsWith("\uFEFF")) line = line.slice(1);
    first = false;
    if (line === "") {
      if (data.length > 0) yield { event: event === "" ? "message" : event, data: data.join("\n"), id };
      event = "";
      data = [];
      continue;
    }
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") data.push(value);
    else if (field === "event") event = value;
    else if (field === "id" && !value.includes("\0")) id = value;
  }
}

/** One JSON value per non-empty line. */
export async function* ndjsonValues(body: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  for await (const line of lines(body)) {
    if (line.trim() !== "") yield JSON.parse(line) as unknown;
  }
}

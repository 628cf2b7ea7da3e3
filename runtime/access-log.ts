import type { FastifyReply, FastifyRequest } from "fastify";
import type { ChunkedLogDestination } from "./log-destination.js";
import { MAX_NUMBER_BYTES, asciiBytes, writeInteger, writeJsonString, writeMilliseconds } from "./json-bytes.js";
import { marksOf } from "./metrics.js";

const INFO_LEVEL = 30;

/**
 * The access lines of a server whose JSON lines go to a buffered stdout, written into its chunk
 * byte by byte, in the form pino gives its lines: `level`, `time`, the server logger's bindings,
 * `reqId`, then method, route, status, durationMs, bytes and `msg`. Formatting a string for each
 * line (through pino, or a template string encoded afterwards) cost more than the rest of a
 * small API call's logging together (`npm run bench:http`).
 */
export class AccessLines {
  private readonly head: Buffer;
  private readonly tail = asciiBytes(`,"msg":"request"}\n`);
  /** `,"method":…,"route":…,"status":` by route and method: a server has few. */
  private readonly middles = new Map<string | null, Map<string, Buffer>>();

  /** `bindings`: the server logger's, as pino writes them (`,"pid":…,"hostname":…`). */
  constructor(bindings: string, private readonly out: ChunkedLogDestination) {
    this.head = Buffer.from(`${bindings},"reqId":`, "utf8");
  }

  /** Writes the access line of a request whose response has been sent. */
  write(request: FastifyRequest, reply: FastifyReply): void {
    const marks = marksOf(request.raw);
    const durationMs = marks ? marks.secondsSinceArrival() * 1000 : reply.elapsedTime;
    // An API route noted itself on the request (metrics.ts): cheaper than Fastify's routeOptions getter.
    const middle = this.middle(request.method, marks?.admitted?.route ?? routeOf(request));
    const id = String(request.id);
    const out = this.out;
    out.reserve(LINE_START.length + MAX_NUMBER_BYTES + this.head.length + id.length * 6 + 2 + middle.length + 3 + DURATION.length + BYTES.length + 2 * MAX_NUMBER_BYTES + this.tail.length);
    const chunk = out.chunk;
    let at = out.used;
    at += LINE_START.copy(chunk, at);
    at = writeInteger(chunk, at, Date.now());
    at += this.head.copy(chunk, at);
    at = writeJsonString(chunk, at, id);
    at += middle.copy(chunk, at);
    at = writeInteger(chunk, at, reply.statusCode);
    at += DURATION.copy(chunk, at);
    at = writeMilliseconds(chunk, at, durationMs);
    at += BYTES.copy(chunk, at);
    at = writeInteger(chunk, at, responseBytes(request, reply));
    at += this.tail.copy(chunk, at);
    out.commit(at);
  }

  private middle(method: string, route: string | null): Buffer {
    let byMethod = this.middles.get(route);
    if (!byMethod) this.middles.set(route, (byMethod = new Map()));
    let middle = byMethod.get(method);
    if (!middle) byMethod.set(method, (middle = Buffer.from(`,"method":${JSON.stringify(method)},"route":${JSON.stringify(route)},"status":`, "utf8")));
    return middle;
  }
}

const LINE_START = asciiBytes(`{"level":${INFO_LEVEL},"time":`);
const DURATION = asciiBytes(`,"durationMs":`);
const BYTES = asciiBytes(`,"bytes":`);

/** The access line's fields, for a logger that writes them itself (pino's pretty lines). */
export function accessFields(request: FastifyRequest, reply: FastifyReply): Record<string, unknown> {
  const marks = marksOf(request.raw);
  const durationMs = marks ? marks.secondsSinceArrival() * 1000 : reply.elapsedTime;
  return { method: request.method, route: routeOf(request), status: reply.statusCode, durationMs: Math.round(durationMs * 1000) / 1000, bytes: responseBytes(request, reply) };
}

function routeOf(request: FastifyRequest): string | null {
  return request.is404 ? null : request.routeOptions.url ?? null;
}

/** The body's length: its content-length, or (a streamed body) what the socket wrote since the request arrived. */
function responseBytes(request: FastifyRequest, reply: FastifyReply): number {
  const length = reply.getHeader("content-length");
  if (length !== undefined) return Number(length);
  const socket = request.raw.socket as { bytesWritten?: number } | null;
  const before = marksOf(request.raw)?.socketBytesWritten;
  return socket?.bytesWritten !== undefined && before !== undefined ? socket.bytesWritten - before : 0;
}

import type { FastifyReply, FastifyRequest } from "fastify";
import type { ChunkedLogDestination } from "./log-destination.js";
import { MAX_NUMBER_BYTES, asciiBytes, writeBytes, writeInteger, writeJsonString, writeMilliseconds } from "./json-bytes.js";
import { marksOf, type RequestMarks } from "./metrics.js";

const INFO_LEVEL = 30;

/**
 * The access lines of a server whose JSON lines go to a buffered stdout, written into its chunk
 * byte by byte, in the form pino gives its lines: `level`, `time`, the server logger's bindings,
 * `reqId`, then method, route, status, durationMs, bytes and `msg`. Formatting a string for each
 * line (through pino, or a template string encoded afterwards) cost more than the rest of a
 * small API call's logging together (`npm run bench:http`).
 */
export class AccessLines {
  /** The server logger's bindings and `,"reqId":`, after the time. */
  private readonly head: string;
  /** `{"level":30,"time":<ms>` and the head, remade when the millisecond changes: most lines share one. */
  private start = Buffer.alloc(0);
  private startTime = -1;
  /** `,"method":…,"route":…,"status":` by route and method: a server has few. */
  private readonly middles = new Map<string | null, Map<string, Buffer>>();

  /** `bindings`: the server logger's, as pino writes them (`,"pid":…,"hostname":…`). */
  constructor(bindings: string, private readonly out: ChunkedLogDestination) {
    this.head = `${bindings},"reqId":`;
  }

  /** Writes the access line of a request whose response has been sent. */
  write(request: FastifyRequest, reply: FastifyReply): void {
    const time = Date.now();
    if (time !== this.startTime) this.startAt(time);
    const marks = marksOf(request.raw);
    const durationMs = millisecondsSinceArrival(marks, reply);
    // An API route noted itself on the request (metrics.ts): cheaper than Fastify's routeOptions getter.
    const middle = this.middle(request.method, marks?.admitted?.route ?? routeOf(request));
    const id = String(request.id);
    const out = this.out;
    out.reserve(this.start.length + id.length * 6 + 2 + middle.length + 3 + DURATION.length + BYTES.length + 2 * MAX_NUMBER_BYTES + TAIL.length);
    const chunk = out.chunk;
    let at = writeBytes(chunk, out.used, this.start);
    at = writeJsonString(chunk, at, id);
    at = writeBytes(chunk, at, middle);
    at = writeInteger(chunk, at, reply.statusCode);
    at = writeBytes(chunk, at, DURATION);
    at = writeMilliseconds(chunk, at, durationMs);
    at = writeBytes(chunk, at, BYTES);
    at = writeInteger(chunk, at, responseBytes(marks, reply));
    out.commit(writeBytes(chunk, at, TAIL));
  }

  private startAt(time: number): void {
    this.start = Buffer.from(`{"level":${INFO_LEVEL},"time":${time}${this.head}`, "utf8");
    this.startTime = time;
  }

  private middle(method: string, route: string | null): Buffer {
    let byMethod = this.middles.get(route);
    if (!byMethod) this.middles.set(route, (byMethod = new Map()));
    let middle = byMethod.get(method);
    if (!middle) byMethod.set(method, (middle = Buffer.from(`,"method":${JSON.stringify(method)},"route":${JSON.stringify(route)},"status":`, "utf8")));
    return middle;
  }
}

const DURATION = asciiBytes(`,"durationMs":`);
const BYTES = asciiBytes(`,"bytes":`);
const TAIL = asciiBytes(`,"msg":"request"}\n`);

/** The access line's fields, for a logger that writes them itself (pino's pretty lines). */
export function accessFields(request: FastifyRequest, reply: FastifyReply): Record<string, unknown> {
  const marks = marksOf(request.raw);
  return { method: request.method, route: routeOf(request), status: reply.statusCode, durationMs: Math.round(millisecondsSinceArrival(marks, reply) * 1000) / 1000, bytes: responseBytes(marks, reply) };
}

/** How long the request took, from the arrival the server marked (Fastify's own clock for a request it never routed). */
function millisecondsSinceArrival(marks: RequestMarks | undefined, reply: FastifyReply): number {
  return marks ? marks.secondsSinceArrival() * 1000 : reply.elapsedTime;
}

function routeOf(request: FastifyRequest): string | null {
  return request.is404 ? null : request.routeOptions.url ?? null;
}

/** The body's length: its content-length, or (a streamed body) what the stream has written. */
function responseBytes(marks: RequestMarks | undefined, reply: FastifyReply): number {
  const length = reply.getHeader("content-length");
  return length !== undefined ? Number(length) : marks?.bodyBytes ?? 0;
}

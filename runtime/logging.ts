import type { FastifyReply, FastifyRequest, FastifyServerOptions } from "fastify";
import pino from "pino";
import type { ServerOptions } from "./options.js";
import { marksOf } from "./metrics.js";

/** Bytes of JSON log lines kept before they are written (an error line, shutdown or a crash writes them sooner). */
const BUFFERED_BYTES = 4096;
/** A quiet server's lines wait at most this long for the buffer to fill. */
const PERIODIC_FLUSH_MS = 1000;
const ERROR_LEVEL = 50;
const FATAL_LEVEL = 60;
const INFO_LEVEL = 30;

type SonicBoom = ReturnType<typeof pino.destination> & { destroyed?: boolean };
const PINO_METADATA = Symbol.for("pino.metadata");

/**
 * stdout for JSON log lines: asynchronous and buffered, so logging a request costs no write
 * system call of its own. A line at error level is written at once, a fatal one (the process
 * is about to exit) before `write` returns. pino tells a stream flagged `pino.metadata` each
 * line's level before writing it.
 */
class BufferedLogDestination {
  readonly [PINO_METADATA] = true;
  lastLevel = 0;
  private readonly sink: SonicBoom = pino.destination({ dest: 1, sync: false, minLength: BUFFERED_BYTES, periodicFlush: PERIODIC_FLUSH_MS });

  write(line: string): void {
    this.sink.write(line);
    if (this.lastLevel >= FATAL_LEVEL) this.flushSync();
    else if (this.lastLevel >= ERROR_LEVEL) this.sink.flush();
  }

  /** Starts writing what is buffered now (asynchronously). */
  flush(): void {
    if (!this.sink.destroyed) this.sink.flush();
  }

  /** Writes what is buffered before returning: for a process about to exit, with no event loop to finish a write. */
  flushSync(): void {
    try {
      if (!this.sink.destroyed) this.sink.flushSync();
    } catch {
      // the destination is not open yet or already gone: nothing was buffered for it
    }
  }
}

// One per process: every server of the process shares stdout and its buffer.
let stdout: BufferedLogDestination | undefined;
function stdoutDestination(): BufferedLogDestination {
  return (stdout ??= new BufferedLogDestination());
}

/** Starts writing the buffered log lines (the server is ready, or shutting down). */
export function flushLogs(): void {
  stdout?.flush();
}

/** Writes the buffered log lines before returning; for a process about to exit. */
export function flushLogsSync(): void {
  stdout?.flushSync();
}

/**
 * pino options: readable lines in a terminal, JSON lines for log collectors, nothing when off.
 * `buffered`: JSON lines go through the process's buffered stdout (a server); otherwise each is
 * written at once (a process that logs rarely, such as the cluster primary, whose lines must not wait).
 */
export function loggerOptions(options: ServerOptions, { buffered = true }: { buffered?: boolean } = {}): FastifyServerOptions["logger"] {
  if (options.logger === false) return false;
  const level = options.logLevel ?? "info";
  const pretty = options.logger === "pretty" || (options.logger === undefined && process.stdout.isTTY);
  if (pretty) return { level, transport: { target: "pino-pretty", options: { translateTime: "HH:MM:ss.l", ignore: "pid,hostname" } } };
  if (level === "silent" || !buffered) return { level };
  return { level, stream: stdoutDestination() };
}

/** Whether requests get an access line: a logger is on at info or below. */
export function logsRequests(options: ServerOptions): boolean {
  if (options.logger === false) return false;
  const level = pino.levels.values[options.logLevel ?? "info"];
  return level !== undefined && level <= INFO_LEVEL;
}

/**
 * The access line, one per request at info, in place of Fastify's two request lines: method,
 * matched route, status, duration in ms, response bytes (and `reqId` from the request's logger).
 * A callback-style onResponse hook (an async one costs a promise per request).
 */
export function logAccess(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  const marks = marksOf(request.raw);
  const durationMs = marks ? marks.secondsSinceArrival() * 1000 : reply.elapsedTime;
  request.log.info({
    method: request.method,
    route: request.routeOptions.url ?? null,
    status: reply.statusCode,
    durationMs: Math.round(durationMs * 1000) / 1000,
    bytes: responseBytes(request, reply),
  }, "request");
  done();
}

/** The body's length: its content-length, or (a streamed body) what the socket wrote since the request arrived. */
function responseBytes(request: FastifyRequest, reply: FastifyReply): number {
  const length = reply.getHeader("content-length");
  if (length !== undefined) return Number(length);
  const socket = request.raw.socket as { bytesWritten?: number } | null;
  const before = marksOf(request.raw)?.socketBytesWritten;
  return socket?.bytesWritten !== undefined && before !== undefined ? socket.bytesWritten - before : 0;
}

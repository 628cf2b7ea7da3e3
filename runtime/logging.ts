import type { FastifyReply, FastifyRequest, FastifyServerOptions } from "fastify";
import pino, { type Logger } from "pino";
import { AccessLines, accessFields } from "./access-log.js";
import { ChunkedLogDestination } from "./log-destination.js";
import type { ServerOptions } from "./options.js";
import { lazyRequestLogger } from "./request-logger.js";

const ERROR_LEVEL = 50;
const FATAL_LEVEL = 60;
const INFO_LEVEL = 30;
/** A quiet server's lines wait at most this long to be written. */
const PERIODIC_FLUSH_MS = 1000;
const PINO_METADATA = Symbol.for("pino.metadata");

/**
 * pino's stream for JSON log lines to stdout, and the access lines' (access-log.ts): buffered in
 * chunks written asynchronously (log-destination.ts), so logging a request costs no write system
 * call of its own. A line at error level starts a write at once, a fatal one (the process is about to
 * exit) is written before `write` returns, and what is buffered is written when the process
 * exits. pino tells a stream flagged `pino.metadata` each line's level before writing it.
 */
class BufferedLogDestination {
  readonly [PINO_METADATA] = true;
  lastLevel = 0;
  readonly chunks = new ChunkedLogDestination(1);

  constructor() {
    setInterval(() => this.flush(), PERIODIC_FLUSH_MS).unref();
    process.on("exit", () => this.flushSync());
  }

  write(line: string): void {
    this.chunks.append(line);
    if (this.lastLevel >= FATAL_LEVEL) this.chunks.flushSync();
    else if (this.lastLevel >= ERROR_LEVEL) this.chunks.flush();
  }

  /** Starts writing what is buffered. */
  flush(): void {
    this.chunks.flush();
  }

  /** Writes what is buffered before returning: for a process about to exit. */
  flushSync(): void {
    this.chunks.flushSync();
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

/** How a server's lines are written: not at all, pretty (a terminal), through pino to stdout at once, or buffered. */
type LogOutput = "off" | "pretty" | "plain" | "buffered";

function logOutput(options: ServerOptions, buffered: boolean): LogOutput {
  // At level silent nothing is written: no logger at all costs a request nothing.
  if (options.logger === false || options.logLevel === "silent") return "off";
  if (options.logger === "pretty" || (options.logger === undefined && process.stdout.isTTY)) return "pretty";
  return buffered ? "buffered" : "plain";
}

/**
 * The server's logger: readable lines in a terminal, JSON lines for log collectors, none when off.
 * `buffered`: JSON lines go through the process's buffered stdout (a server); otherwise each is
 * written at once (a process that logs rarely, such as the cluster primary, whose lines must not wait).
 *
 * Fastify itself is given no logger: with one, it listens for every response's end to log it,
 * which cost a request more than our whole access line (`npm run bench:http`). Request loggers
 * (`request.log`, `reply.log`) come from this logger through `requestLoggerFactory`, and the
 * server writes each request's access line where the response ends (`accessLogWriter`).
 */
export function createLogger(options: ServerOptions, { buffered = true }: { buffered?: boolean } = {}): Logger | undefined {
  const level = options.logLevel ?? "info";
  switch (logOutput(options, buffered)) {
    case "off": return undefined;
    case "pretty": return pino({ level, transport: { target: "pino-pretty", options: { translateTime: "HH:MM:ss.l", ignore: "pid,hostname" } } });
    case "plain": return pino({ level });
    case "buffered": return pino({ level }, stdoutDestination());
  }
}

/** Fastify's `childLoggerFactory`: request loggers of `logger`, each made only when used (request-logger.ts). */
export function requestLoggerFactory(logger: Logger): NonNullable<FastifyServerOptions["childLoggerFactory"]> {
  return (_fastifyLogger, bindings, options) => lazyRequestLogger(logger, bindings, options);
}

type AccessLogWriter = (request: FastifyRequest, reply: FastifyReply) => void;

/**
 * Writes a request's access line, one per request at info, once its response has been handed to
 * Node: method, matched route, status, duration in ms, response bytes and the request id. None
 * when the level is above info.
 */
export function accessLogWriter(options: ServerOptions, logger: Logger | undefined): AccessLogWriter | undefined {
  if (!logger || !logsRequests(options)) return undefined;
  const bindings = (logger as unknown as Record<symbol, unknown>)[pino.symbols.chindingsSym];
  if (logOutput(options, true) === "buffered" && typeof bindings === "string") {
    const lines = new AccessLines(bindings, stdoutDestination().chunks);
    return (request, reply) => lines.write(request, reply);
  }
  return (request, reply) => request.log.info(accessFields(request, reply), "request");
}

/** Whether requests get an access line: a logger is on at info or below. */
function logsRequests(options: ServerOptions): boolean {
  if (options.logger === false) return false;
  const level = pino.levels.values[options.logLevel ?? "info"];
  return level !== undefined && level <= INFO_LEVEL;
}

import type { FastifyBaseLogger } from "fastify";
import pino from "pino";
import { createLogger } from "../logging.js";
import type { ServerOptions } from "../options.js";

/**
 * A logger for a process that runs no server of its own (the primary, or a worker whose service
 * failed to start): the same logger, format and level the servers use. Its lines are written at
 * once: such a process logs rarely, and what it logs (workers starting, crashing) must not wait in
 * a buffer.
 */
export function processLogger(options: ServerOptions, bindings: Record<string, unknown>): FastifyBaseLogger {
  return (createLogger(options, { buffered: false }) ?? pino({ level: "silent" })).child(bindings);
}

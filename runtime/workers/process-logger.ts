import Fastify, { type FastifyBaseLogger } from "fastify";
import { loggerOptions } from "../logging.js";
import type { ServerOptions } from "../options.js";

/**
 * A logger for a process that runs no server of its own (the primary, or a worker whose service
 * failed to start): the same pino logger, format and level the servers use. pino comes with
 * Fastify, so an app that never listens is how we get one. Its lines are written at once: such a
 * process logs rarely, and what it logs (workers starting, crashing) must not wait in a buffer.
 */
export function processLogger(options: ServerOptions, bindings: Record<string, unknown>): FastifyBaseLogger {
  return Fastify({ logger: loggerOptions(options, { buffered: false }) }).log.child(bindings);
}

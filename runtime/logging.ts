import type { FastifyServerOptions } from "fastify";
import type { ServerOptions } from "./options.js";

/** pino options: readable lines in a terminal, JSON lines for log collectors, nothing when off. */
export function loggerOptions(options: ServerOptions): FastifyServerOptions["logger"] {
  if (options.logger === false) return false;
  const level = options.logLevel ?? "info";
  const pretty = options.logger === "pretty" || (options.logger === undefined && process.stdout.isTTY);
  if (!pretty) return { level };
  return { level, transport: { target: "pino-pretty", options: { translateTime: "HH:MM:ss.l", ignore: "pid,hostname" } } };
}

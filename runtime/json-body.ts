import type { FastifyRequest } from "fastify";
import type { BodyParser } from "./body-encoding.js";

/** Fastify's own JSON parser (secure-json-parse), which takes the text as well as the bytes. */
export type FastifyJsonParser = (request: FastifyRequest, body: string, done: (error: Error | null, value?: unknown) => void) => void;

const BYTE_ORDER_MARK = 0xfeff;

/**
 * Fastify's JSON parser with a shortcut for bodies that cannot poison a prototype.
 * secure-json-parse scans every body with two regular expressions for a `__proto__` or
 * `constructor` key, spelt out or with `\u` escapes. Without a backslash a key can only be spelt
 * out, so a body with no backslash and neither word needs JSON.parse alone; string searches cost
 * less than the two scans. Every other body (and an empty one, or one with a byte-order mark) goes
 * to Fastify's parser, which rejects what it must and words every error.
 */
export function jsonBodyParser(fastifyParser: FastifyJsonParser): BodyParser {
  return (request, body, done) => {
    const text = body.toString();
    if (text.length === 0 || text.charCodeAt(0) === BYTE_ORDER_MARK || text.includes("\\") || text.includes("__proto__") || text.includes("constructor")) {
      return fastifyParser(request, text, done);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      // Fastify's parser marks its parse errors the same way; the error handler words them as 400s.
      (error as Error & { statusCode?: number }).statusCode = 400;
      return done(error as Error);
    }
    done(null, value);
  };
}

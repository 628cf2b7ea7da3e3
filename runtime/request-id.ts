import { randomBytes } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
// A random prefix per process (5 of 62 letters and digits: about 30 bits) and a counter: unique
// across restarts and replicas, and cheaper than a UUID per request. Up to 2 billion requests a
// process, an id has at most 12 characters, and V8 joins strings that short into one flat
// string rather than a rope (13 characters and up), which Node's header checks must flatten
// first. An 8-character prefix reached 13 characters after 46,656 requests and then cost about
// 800 instructions more per request (docs/performance.md).
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const PREFIX = Array.from(randomBytes(5), (byte) => ALPHABET[byte % ALPHABET.length]).join("");
let counter = 0;

/** The caller's `x-request-id` when it is a sane token, else a new id. */
export function requestIdOf(headers: FastifyRequest["headers"]): string {
  const given = headers["x-request-id"];
  return typeof given === "string" && REQUEST_ID.test(given) ? given : `${PREFIX}-${(++counter).toString(36)}`;
}

/** A route hook that echoes the request id, for routes off the API hot path (which sets it inline). */
export function echoRequestId(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  reply.header("x-request-id", request.id);
  done();
}

import { randomUUID } from "node:crypto";
import type { FastifyReply, FastifyRequest } from "fastify";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
// A random prefix per process and a counter: unique across restarts and replicas, cheaper than a UUID per request.
const PREFIX = randomUUID().slice(0, 8);
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

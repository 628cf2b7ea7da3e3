// What the HTTP benchmark serves, shared by the driver (bench/http.bench.ts) and the
// server processes (bench/http-servers.ts): one API, `POST /score`, with three validated
// fields, written once as a bentoc service and once as a hand-written Fastify route.

/** The bentoc service: compiled and bundled into the generated server by the driver. */
export const SERVICE_SOURCE = `import { api, service, type int32 } from "bentoc";

/** The benchmark's service: one small validated JSON API. */
@service()
export class Scorer {
  /** Scores a person from their age and tags. */
  @api()
  async score(
    /** @minLength 1 @maxLength 64 */ name: string,
    /** @minimum 0 @maximum 150 */ age: int32,
    /** @maxItems 16 */ tags: string[],
  ): Promise<{ name: string; score: number; tags: number }> {
    return { name, score: age * 2 + tags.length, tags: tags.length };
  }
}
`;

export const ROUTE = "/score";

export interface ScoreRequest {
  name: string;
  age: number;
  tags: string[];
}

export interface ScoreResponse {
  name: string;
  score: number;
  tags: number;
}

/** The one body every benchmark request sends. */
export const REQUEST_BODY: ScoreRequest = { name: "Ada Lovelace", age: 36, tags: ["math", "engines", "poetry"] };

/** Out of range for `age`: both validating servers must answer it with 400. */
export const INVALID_BODY = { name: "Ada Lovelace", age: 151, tags: ["math"] };

/** What the method computes; the raw node:http server answers the same, so all three send the same bytes. */
export function scoreOf(body: ScoreRequest): ScoreResponse {
  return { name: body.name, score: body.age * 2 + body.tags.length, tags: body.tags.length };
}

/**
 * The hand-written Fastify route's body schema: what a developer would write for the same
 * three parameters. The driver checks it equals the schema bentoc compiled from the
 * service, so the two servers validate exactly the same thing.
 */
export const BODY_SCHEMA = {
  type: "object",
  properties: {
    name: { type: "string", minLength: 1, maxLength: 64 },
    age: { type: "integer", format: "int32", minimum: 0, maximum: 150 },
    tags: { type: "array", items: { type: "string" }, maxItems: 16 },
  },
  required: ["name", "age", "tags"],
} as const;

export const RESPONSE_SCHEMA = {
  type: "object",
  properties: {
    name: { type: "string" },
    score: { type: "number" },
    tags: { type: "number" },
  },
  required: ["name", "score", "tags"],
} as const;

/**
 * The server processes bench/http-servers.ts can run. `bento`: the generated server with the
 * options a bento ships with (JSON logs at info); `bento-silent`: the same at log level silent;
 * `generated`: the generated server with no logger (the batch and instruction benches);
 * `fastify` and `fastify-logger`: the hand-written route without and with Fastify's logger.
 */
export const SERVER_KINDS = ["bento", "bento-silent", "bento-traced", "generated", "fastify", "fastify-logger", "node-http"] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

export const SERVER_LABELS: Record<ServerKind, string> = {
  bento: "bentoc, as shipped",
  "bento-silent": "bentoc, log level silent",
  "bento-traced": "bentoc, tracing on",
  generated: "generated bentoc",
  fastify: "Fastify, no logger",
  "fastify-logger": "Fastify, logger: true",
  "node-http": "raw node:http",
};

/** The message a server process sends its parent over IPC once it listens. */
export interface ServerReady {
  kind: ServerKind;
  port: number;
}

/** A server process's answer to "cpu": its user and system CPU time so far, in microseconds. */
export interface ServerCpu {
  cpu: NodeJS.CpuUsage;
}

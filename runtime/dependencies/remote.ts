import { Pool } from "undici";
import { dependencyUrlVariable } from "../../manifest/service-selection.js";
import { MULTIPART_MEDIA_TYPE, JSON_MEDIA_TYPE, type ApiManifest, type JsonSchema, type ServiceManifest } from "../../manifest/types.js";
import { ConnectionError, errorBodyOf, errorForResponse, TimeoutError } from "../../sdk/client/errors.js";
import { apisOfDocument, type OpenApiDocument } from "../../sdk/client/openapi.js";
import type { TaskApi } from "../../sdk/client/tasks.js";
import { BentocTransport } from "../../sdk/client/transport.js";
import type { DependencyCallOptions, DependencyConnection } from "../../sdk/depends.js";
import { EnvironmentError } from "../options.js";
import { valueMapper } from "../revive.js";
import { traceHeaders, traceOf } from "../tracing.js";
import type { DependencyWiring } from "./index.js";
import { CallerAborted, exchangeJson, rawHeader, type JsonAnswer } from "./json-exchange.js";
import { apiFinder } from "./kinds.js";

type UnaryCall = (args: Record<string, unknown>, options: DependencyCallOptions) => Promise<unknown>;

/**
 * Calls a service that another process serves, at its URL from the environment. JSON APIs go
 * through a keep-alive undici Pool (the client's fetch cost 10x a Pool request per call:
 * npm run bench:compose); streams, file uploads, bytes and tasks through the client's transport.
 */
/** The connection, and the URL it calls (which /readyz probes). */
export function remoteConnection(caller: ServiceManifest, target: ServiceManifest, wiring: DependencyWiring): { connection: DependencyConnection; url: string } {
  const url = dependencyUrl(caller, target.name, "which this process does not serve", wiring.env);
  const base = new URL(url);
  const prefix = base.pathname.replace(/\/+$/, "");
  const pool = new Pool(base.origin);
  const { apis, schemas } = apisOfDocument(wiring.openapi as OpenApiDocument);
  const transport = new BentocTransport({ baseUrl: url }, schemas);
  const find = apiFinder(target);
  const unary = new Map<string, UnaryCall>();
  const tasks = new Map<string, TaskApi<unknown>>();
  const connection: DependencyConnection = {
    call(apiName, args, options) {
      const api = find(apiName, false);
      if (api.kind === "unary" && jsonOnly(api)) {
        let call = unary.get(apiName);
        if (!call) unary.set(apiName, (call = pooledCall(pool, prefix, api, wiring.defs)));
        return call(args, options);
      }
      const descriptor = apis.get(api.name)!;
      return api.kind === "stream" ? transport.stream(descriptor, args, onTheWire(options)) : transport.call(descriptor, args, onTheWire(options));
    },
    submit(apiName, args, options) {
      const api = find(apiName, true);
      let task = tasks.get(apiName);
      if (!task) tasks.set(apiName, (task = transport.task(apis.get(api.name)!)));
      return task.submit(args, onTheWire(options));
    },
  };
  return { connection, url };
}

/** The base URL of a dependency served elsewhere, from its variable; start-up stops, naming it, when it is missing or no http(s) URL. */
export function dependencyUrl(caller: ServiceManifest, targetName: string, why: string, env: NodeJS.ProcessEnv): string {
  const variable = dependencyUrlVariable(targetName);
  const url = env[variable];
  if (!url) throw new EnvironmentError(`service ${caller.name} depends on ${targetName}, ${why}: set ${variable} to its base URL (e.g. http://${targetName.toLowerCase()}:3000)`);
  if (!/^https?:\/\/[^/]/.test(url)) throw new EnvironmentError(`${variable} must be an http:// or https:// URL; got '${url}'`);
  return url;
}

/** JSON in and out: what the pooled path speaks. */
function jsonOnly(api: ApiManifest): boolean {
  return !api.input.mediaTypes.includes(MULTIPART_MEDIA_TYPE) && api.output.mediaTypes[0] === JSON_MEDIA_TYPE;
}

/** The client's options for a call: the caller's request id travels as x-request-id, its signal aborts the call. */
export function onTheWire({ context, ...rest }: DependencyCallOptions) {
  return context ? { ...rest, signal: rest.signal ?? context.signal, headers: { "x-request-id": context.requestId, ...traceHeaders(traceOf(context)) } } : rest;
}

/**
 * One JSON API over the pool, on the client's terms: arguments encoded, the result revived, a
 * non-2xx answer as the client's typed error, no answer as a ConnectionError (which the caller
 * answers with 503), its timeout as a TimeoutError with status 0, the caller's abort as its reason.
 */
function pooledCall(pool: Pool, prefix: string, api: ApiManifest, defs: Record<string, JsonSchema>): UnaryCall {
  const where = `${api.httpMethod} ${api.route}`;
  const path = `${prefix}${api.route}`;
  const encode = valueMapper(api.input.schema, defs, "encode");
  const revive = valueMapper(api.output.schema, defs, "revive");
  return async (args, options) => {
    const { timeoutMs, context } = options;
    const headers = context ? ["content-type", JSON_MEDIA_TYPE, "accept", JSON_MEDIA_TYPE, "x-request-id", context.requestId, ...traceHeaderList(context)] : JSON_HEADERS;
    const body = JSON.stringify(encode(args) ?? {});
    let answer: JsonAnswer;
    try {
      answer = await exchangeJson(pool, { path, method: "POST", headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs }, options);
    } catch (error) {
      throw error instanceof CallerAborted ? error.reason : failureOf(where, error, timeoutMs);
    }
    const { status, text, rawHeaders } = answer;
    if (status >= 200 && status < 300) return revive(JSON.parse(text));
    const retryAfter = Number(rawHeader(rawHeaders, "retry-after"));
    throw errorForResponse(where, status, errorBodyOf(status, "", text), rawHeader(rawHeaders, "x-request-id"), Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined);
  };
}

const JSON_HEADERS = ["content-type", JSON_MEDIA_TYPE, "accept", JSON_MEDIA_TYPE];

function failureOf(where: string, error: unknown, timeoutMs: number | undefined): Error {
  const code = (error as { code?: string }).code;
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") return new TimeoutError(`${where} did not finish within ${timeoutMs} ms`, { status: 0, cause: error });
  return new ConnectionError(`${where} failed: ${(error as Error).message}`, { status: 0, cause: error });
}

/** `traceparent` (and `tracestate`) as raw header pairs, for a traced caller. */
function traceHeaderList(context: DependencyCallOptions["context"]): string[] {
  const trace = traceOf(context);
  return trace ? Object.entries(traceHeaders(trace)).flat() : [];
}

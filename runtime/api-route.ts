import type { FastifyReply, FastifyRequest } from "fastify";
import type { ApiManifest, JsonSchema } from "../manifest/types.js";
import { JSON_MEDIA_TYPE } from "../manifest/types.js";
import type { ApiInput } from "./api-input.js";
import { bytesOf, outputSerializer } from "./api-output.js";
import type { ConcurrencyLimiter } from "./concurrency.js";
import type { DeadlineSweeper } from "./deadlines.js";
import { RequestContext } from "./context.js";
import { methodFailed, resultMismatch, timedOut, type SchemaProblem } from "./errors.js";
import { marksOf } from "./metrics.js";
import type { MultipartInput } from "./multipart.js";
import { valueMapper } from "./revive.js";
import { streamBody, streamMediaType } from "./streaming.js";
import type { Context as TraceContext } from "@opentelemetry/api";

/**
 * Calls the service method with the request's arguments by name (validated and revived) and
 * its Context. The generated server writes one per API that reads each argument by its name,
 * so every property load stays monomorphic; a runtime loop over the parameters had one load
 * site for all names, which V8 made megamorphic.
 */
export type ApiInvoker = (input: Record<string, unknown>, context: RequestContext | undefined) => unknown;

export interface RouteDependencies {
  defs: Record<string, JsonSchema>;
  input: ApiInput;
  limiter: ConcurrencyLimiter;
  deadlines: DeadlineSweeper;
  timeoutSeconds: number;
  /** How often an SSE stream that waits for its next element sends a keep-alive comment (0: never). */
  sseKeepAliveMs: number;
  /** Counts the response in the metrics; the route calls it when its result is ready or its stream ends. */
  responded(request: FastifyRequest, reply: FastifyReply): void;
  /** The response has been given to Fastify (the access line); absent when requests are not logged. */
  sent?: (request: FastifyRequest, reply: FastifyReply) => void;
  /** When the request arrived, on the clock of `deadlines` (performance.now()). */
  arrivedAt(request: FastifyRequest): number;
  /** Admission, first thing in the handler: request id, readiness, content type, in-flight count; throws to refuse. */
  admit(request: FastifyRequest, reply: FastifyReply): void;
  /** Every way a result's JSON fails the API's response schema (checked where the fast serializer refuses a result). */
  resultProblems(json: unknown): readonly SchemaProblem[];
  /** The request's trace, when the server traces: the call's Context carries it on. */
  trace?: ((request: FastifyRequest) => TraceContext | undefined) | undefined;
}

/**
 * The request path of one API, step by step:
 * limits → parse → validate → revive → dispatch → serialise. Metrics and error bodies are
 * the server's hooks; this file is what happens in between.
 */
export function apiRoute(api: ApiManifest, invoke: ApiInvoker, deps: RouteDependencies) {
  const encode = valueMapper(api.output.schema, deps.defs, "encode");
  const resultProblems = deps.resultProblems;
  const serialize = outputSerializer(api.output.schema, deps.defs, (json) => {
    const problems = resultProblems(json);
    if (problems.length > 0) throw resultMismatch(api.name, problems);
  });
  const takesContext = api.input.contextIndex !== undefined;
  const binaryOutput = api.output.mediaTypes[0] === "application/octet-stream";
  const { jsonInput } = deps.input;
  // Past the traffic timeout the client gets a 504 at once; the method's result, if it still comes,
  // is dropped. The timeout counts from the request's arrival (for APIs that take files, from the
  // end of the upload), which the server has stamped already: no clock read per call.
  const timeoutMs = deps.timeoutSeconds * 1000;
  const expire = (reply: FastifyReply, context: RequestContext | undefined): void => {
    const error = timedOut(deps.timeoutSeconds);
    context?.abort(error);
    if (!reply.sent) reply.send(error);
  };

  /**
   * Calls the method and sends its result or its error. A promise chain that sends by itself,
   * not an async function whose result Fastify sends: an async function that waits copies its
   * frame on every call, and a returned promise costs Fastify another `then` and tick (both
   * showed in the HTTP benchmark). The promise it returns settles once the answer is sent (or
   * dropped, after a timeout) and never rejects.
   */
  const callUnary = (request: FastifyRequest, reply: FastifyReply, input: Record<string, unknown>, context: RequestContext | undefined, startedAt: number): Promise<void> => {
    const deadline = deps.deadlines.add(startedAt + timeoutMs, expire, reply, context);
    // A deadline already gone has expired: the client has its 504, and the method's outcome is dropped.
    const failed = (error: unknown): void => {
      if (deps.deadlines.remove(deadline)) reply.send(methodFailed(error));
    };
    const settled = (result: unknown): Promise<void> | undefined => {
      if (!deps.deadlines.remove(deadline)) return undefined;
      try {
        return respond(request, reply, context, result);
      } catch (error) {
        if (!reply.sent) reply.send(error as Error); // the result could not be encoded: a 500
        return undefined;
      }
    };
    let pending: unknown;
    try {
      pending = invoke(input, context);
    } catch (error) {
      failed(error);
      return Promise.resolve();
    }
    return Promise.resolve(pending).then(settled, failed);
  };

  /** Sends a successful result as the API's output media type says (a promise while binary output is read). */
  const respond = (request: FastifyRequest, reply: FastifyReply, context: RequestContext | undefined, result: unknown): Promise<void> | undefined => {
    applyContext(reply, context);
    if (binaryOutput) {
      return bytesOf(result).then((bytes) => {
        deps.responded(request, reply);
        reply.type("application/octet-stream").send(bytes);
        deps.sent?.(request, reply);
      }, (error: unknown) => {
        if (!reply.sent) reply.send(error as Error);
      });
    }
    // Fastify sends a value as JSON through `serialize`, the route's serializer, but a string
    // as it is (text/plain), so a string is serialised here. A `void` method's result is JSON
    // null (its schema says so), not an empty body.
    const value = encode(result) ?? null;
    deps.responded(request, reply);
    if (typeof value === "string") reply.type("application/json; charset=utf-8").send(serialize(value));
    else reply.send(value);
    deps.sent?.(request, reply);
    return undefined;
  };

  /** A stream: the method's iterable, sent as the media type the client accepts. */
  const sendStream = async (request: FastifyRequest, reply: FastifyReply, input: Record<string, unknown>, context: RequestContext | undefined, upload: MultipartInput | undefined): Promise<unknown> => {
    // Registered first, so the files are removed however the call ends (the count is taken once).
    reply.raw.once("close", () => {
      void upload?.cleanup(); // the stream may read the files until it ends
      deps.responded(request, reply); // whole, or abandoned by the client mid-stream
      deps.sent?.(request, reply);
    });
    const mediaType = streamMediaType(request.headers.accept, api.output.mediaTypes);
    const source = (await callMethod(invoke, input, context)) as AsyncIterable<unknown>;
    applyContext(reply, context);
    return reply
      .type(mediaType === JSON_MEDIA_TYPE ? mediaType : `${mediaType}; charset=utf-8`)
      .header("cache-control", "no-cache")
      .header("x-accel-buffering", "no")
      .send(streamBody(source, mediaType, (element) => JSON.stringify(encode(element)), (error) => {
        if (error) request.log.error({ err: error }, "stream failed");
      }, deps.sseKeepAliveMs, (bytes) => (marksOf(request.raw)!.bodyBytes += bytes)));
  };

  /** APIs that take files: read the multipart body (files go to temp files, removed after the call). */
  const callWithFiles = async (request: FastifyRequest, reply: FastifyReply, context: RequestContext | undefined): Promise<unknown> => {
    const { body, upload } = await deps.input.read(request);
    let streaming = false;
    try {
      const input = await deps.input.inputFor(body, upload);
      if (api.kind !== "stream") return await callUnary(request, reply, input, context, performance.now());
      streaming = true; // the stream removes the files when it ends
      return await sendStream(request, reply, input, context, upload);
    } finally {
      if (upload && !streaming) await upload.cleanup();
    }
  };

  return {
    onRequest: deps.input.checkContentType,
    /** The JSON text of a successful result; the server gives it to Fastify as the route's serializer. */
    serialize,

    handler: (request: FastifyRequest, reply: FastifyReply): Promise<unknown> | undefined => {
      deps.admit(request, reply);
      // Only a method that takes a Context can see its signal or set status and headers; a traced
      // call gets one anyway, to carry its span to the API's span, its batch and its dependencies.
      const trace = deps.trace?.(request);
      const context = takesContext || trace ? new RequestContext(request.headers, String(request.id)) : undefined;
      if (trace) context!.trace = trace;
      // A listener per request is not free: only a limit to release or a Context to abort needs one.
      if (deps.limiter.limited || context) {
        const release = deps.limiter.acquire();
        reply.raw.once("close", () => {
          release();
          if (context && !reply.raw.writableFinished) context.abort(new Error("The client disconnected"));
        });
      }
      if (!jsonInput) return callWithFiles(request, reply, context);
      const input = jsonInput(request);
      if (api.kind === "stream") return sendStream(request, reply, input, context, undefined);
      void callUnary(request, reply, input, context, deps.arrivedAt(request)); // it sends the answer itself
      return undefined;
    },
  };
}

/** The method's result; what it throws becomes a 500 that tells the client nothing of it. */
export async function callMethod(invoke: ApiInvoker, input: Record<string, unknown>, context: RequestContext | undefined): Promise<unknown> {
  try {
    return await invoke(input, context);
  } catch (error) {
    throw methodFailed(error);
  }
}

function applyContext(reply: FastifyReply, context: RequestContext | undefined): void {
  if (!context) return;
  reply.code(context.response.status);
  for (const [name, value] of Object.entries(context.response.headers)) reply.header(name, value);
}

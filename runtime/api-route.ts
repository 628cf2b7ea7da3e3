import { createRequire } from "node:module";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ApiManifest, JsonSchema } from "../manifest/types.js";
import { JSON_MEDIA_TYPE, MULTIPART_MEDIA_TYPE } from "../manifest/types.js";
import type { ConcurrencyLimiter } from "./concurrency.js";
import { RequestContext } from "./context.js";
import { BentocHttpError, methodFailed, timedOut, unsupportedMediaType } from "./errors.js";
import { attachFiles, readMultipart, type MultipartInput } from "./multipart.js";
import { valueMapper } from "./revive.js";
import { streamBody, streamMediaType } from "./streaming.js";
import type { ValidatorFactory } from "./validation.js";

const require = createRequire(import.meta.url);
const fastJsonStringify = require("fast-json-stringify") as (schema: object) => (value: unknown) => string;

/** Calls the service method with its positional arguments. */
export type ApiInvoker = (args: unknown[]) => unknown;

export interface RouteDependencies {
  defs: Record<string, JsonSchema>;
  validators: ValidatorFactory;
  limiter: ConcurrencyLimiter;
  timeoutSeconds: number;
}

/**
 * The request path of one API, step by step:
 * limits → parse → validate → revive → dispatch → serialise. Metrics and error bodies are
 * the server's hooks; this file is what happens in between.
 */
export function apiRoute(api: ApiManifest, invoke: ApiInvoker, deps: RouteDependencies) {
  const validate = deps.validators.compile(api.input.schema);
  const revive = valueMapper(api.input.schema, deps.defs, "revive");
  const encode = valueMapper(api.output.schema, deps.defs, "encode");
  const serialize = outputSerializer(api.output.schema, deps.defs);
  const multipart = api.input.mediaTypes.includes(MULTIPART_MEDIA_TYPE);

  return {
    /** Before the body is read: a content type the API does not declare is refused, not parsed. */
    onRequest: async (request: FastifyRequest) => {
      const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
      const hasBody = type !== "" || Number(request.headers["content-length"] ?? 0) > 0 || request.headers["transfer-encoding"] !== undefined;
      if (hasBody && !api.input.mediaTypes.includes(type)) throw unsupportedMediaType(type, api.input.mediaTypes);
    },

    handler: async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
      const release = deps.limiter.acquire();
      reply.raw.once("close", release);
      const context = new RequestContext(request.headers, String(request.id));
      reply.raw.once("close", () => {
        if (!reply.raw.writableFinished) context.abort(new Error("The client disconnected"));
      });
      let upload: MultipartInput | undefined;
      try {
        upload = multipart ? await readMultipart(request, api.input) : undefined;
        // No body at all means no arguments; a JSON `null` body is a value, and validation refuses it.
        const body = (upload?.body ?? (request.body === undefined ? {} : request.body)) as Record<string, unknown>;
        validate(body);
        const named = revive(body) as Record<string, unknown>;
        if (upload) await attachFiles(named, upload, api.input);
        const args: unknown[] = [];
        for (const parameter of api.input.parameters) args[parameter.index] = named[parameter.name];
        if (api.input.contextIndex !== undefined) args[api.input.contextIndex] = context;

        if (api.kind === "stream") {
          const mediaType = streamMediaType(request.headers.accept, api.output.mediaTypes);
          const source = (await callMethod(invoke, args)) as AsyncIterable<unknown>;
          const finishUpload = upload;
          upload = undefined; // the stream may still read the files; clean up when it ends
          reply.raw.once("close", () => void finishUpload?.cleanup());
          applyContext(reply, context);
          return reply
            .type(mediaType === JSON_MEDIA_TYPE ? mediaType : `${mediaType}; charset=utf-8`)
            .header("cache-control", "no-cache")
            .header("x-accel-buffering", "no")
            .send(streamBody(source, mediaType, (element) => JSON.stringify(encode(element)), (error) => {
              if (error) request.log.error({ err: error }, "stream failed");
            }));
        }

        const result = await withTimeout(callMethod(invoke, args), deps.timeoutSeconds, context);
        applyContext(reply, context);
        if (api.output.mediaTypes[0] === "application/octet-stream") return reply.type("application/octet-stream").send(await bytesOf(result));
        // A `void` method's result is JSON null (its schema says so), not an empty body.
        return reply.type("application/json; charset=utf-8").serializer(serialize).send(encode(result) ?? null);
      } finally {
        await upload?.cleanup();
      }
    },
  };
}

/** The method's result; what it throws becomes a 500 that tells the client nothing of it. */
async function callMethod(invoke: ApiInvoker, args: unknown[]): Promise<unknown> {
  try {
    return await invoke(args);
  } catch (error) {
    throw methodFailed(error);
  }
}

function applyContext(reply: FastifyReply, context: RequestContext): void {
  reply.code(context.response.status);
  for (const [name, value] of Object.entries(context.response.headers)) reply.header(name, value);
}

/** The result, or a 504 once the traffic timeout passes (the method's signal is aborted too). */
async function withTimeout<T>(work: T | Promise<T>, seconds: number, context: RequestContext): Promise<T> {
  if (!(work instanceof Promise)) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = timedOut(seconds);
      context.abort(error);
      reject(error);
    }, seconds * 1000);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** JSON text of a result through its schema (fast-json-stringify), or JSON.stringify where the schema is beyond it. */
function outputSerializer(schema: JsonSchema, defs: Record<string, JsonSchema>): (value: unknown) => string {
  const plain = (value: unknown) => JSON.stringify(value ?? null);
  // fast-json-stringify 7 ignores `prefixItems` (it would coerce a tuple's elements to the rest type), so tuples go to JSON.stringify.
  if (typeof schema === "object" && Object.keys(schema).length > 0 && !reachesKeyword(schema, defs, "prefixItems")) {
    try {
      const fast = fastJsonStringify({ ...schema, $defs: defs });
      return (value) => {
        try {
          return fast(value);
        } catch {
          return plain(value); // e.g. `undefined` in an array of `T | null`, which JSON writes as null
        }
      };
    } catch {
      // fall through: JSON.stringify is always right, only slower
    }
  }
  return plain;
}

/** Whether a schema, or a definition it refers to (transitively), uses a keyword. */
function reachesKeyword(schema: JsonSchema, defs: Record<string, JsonSchema>, keyword: string): boolean {
  const seen = new Set<string>();
  const pending: JsonSchema[] = [schema];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    const text = JSON.stringify(node);
    if (text.includes(`"${keyword}":`)) return true;
    for (const [, name] of text.matchAll(/"\$ref":"#\/\$defs\/([^"]+)"/g)) {
      if (!seen.has(name!)) pending.push(defs[name!] ?? {});
      seen.add(name!);
    }
  }
  return false;
}

async function bytesOf(result: unknown): Promise<Buffer> {
  if (result instanceof Blob) return Buffer.from(await result.arrayBuffer());
  if (result instanceof ArrayBuffer) return Buffer.from(result);
  if (ArrayBuffer.isView(result)) return Buffer.from(result.buffer, result.byteOffset, result.byteLength);
  throw new BentocHttpError(500, "Internal server error");
}

import type { FastifyRequest } from "fastify";
import type { ApiManifest, JsonSchema } from "../manifest/types.js";
import { MULTIPART_MEDIA_TYPE } from "../manifest/types.js";
import { contentEncodingOf } from "./body-encoding.js";
import { unsupportedEncoding, unsupportedMediaType } from "./errors.js";
import { attachFiles, readMultipart, type MultipartInput } from "./multipart.js";
import { valueMapper } from "./revive.js";
import type { ValidatorFactory } from "./validation.js";

/** A request's validated arguments by name, and its uploaded files (until `cleanup`). */
export interface ReadInput {
  body: Record<string, unknown>;
  upload: MultipartInput | undefined;
}

/**
 * The input side of an API, shared by its route and its task routes:
 * content type → parse → validate → revive → positional arguments.
 */
export function apiInput(api: ApiManifest, defs: Record<string, JsonSchema>, validators: ValidatorFactory) {
  const validate = validators.compile(api.input.schema);
  const revive = valueMapper(api.input.schema, defs, "revive");
  const multipart = api.input.mediaTypes.includes(MULTIPART_MEDIA_TYPE);
  const declared = api.input.mediaTypes;

  /** The request's content type when it sends a body of a type the API does not declare. */
  const undeclaredContentType = (request: FastifyRequest): string | undefined => {
    const headers = request.raw.headers; // Fastify's `request.headers` is a getter that is not inlined
    const header = headers["content-type"];
    if (header !== undefined && declared.includes(header)) return undefined; // the common exact match
    const type = header === undefined ? "" : header.split(";")[0]!.trim().toLowerCase();
    const hasBody = type !== "" || Number(headers["content-length"] ?? 0) > 0 || headers["transfer-encoding"] !== undefined;
    return hasBody && !declared.includes(type) ? type : undefined;
  };

  /** 415 for a compressed multipart body: its parts are streamed from the request as they come, undecoded. */
  const compressedMultipart = (request: FastifyRequest): Error | undefined => {
    const encoding = contentEncodingOf(request.raw.headers);
    if (encoding === "identity" || !request.headers["content-type"]?.toLowerCase().startsWith(MULTIPART_MEDIA_TYPE)) return undefined;
    return unsupportedEncoding(`${encoding} (for ${MULTIPART_MEDIA_TYPE})`, ["identity"]);
  };

  /** The validated JSON body. No body at all means no arguments; a JSON `null` body is a value, and validation refuses it. */
  function readJson(request: FastifyRequest): Record<string, unknown> {
    const body = (request.body === undefined ? {} : request.body) as Record<string, unknown>;
    validate(body);
    return body;
  }

  return {
    /** Before the body is read: a content type the API does not declare is refused, not parsed. */
    checkContentType: (request: FastifyRequest, _reply: unknown, done: (error?: Error) => void): void => {
      const type = undeclaredContentType(request);
      done(type === undefined ? compressedMultipart(request) : unsupportedMediaType(type, api.input.mediaTypes));
    },

    /** The same check, for routes that run it inline: throws 415. */
    assertContentType: (request: FastifyRequest): void => {
      const type = undeclaredContentType(request);
      if (type !== undefined) throw unsupportedMediaType(type, api.input.mediaTypes);
    },

    /** Parses and validates the body (files stream to temp files); throws 400 with the failing path. */
    read: async (request: FastifyRequest): Promise<ReadInput> => {
      if (!multipart) return { body: readJson(request), upload: undefined };
      const upload = await readMultipart(request, api.input);
      try {
        validate(upload.body);
        return { body: upload.body, upload };
      } catch (error) {
        await upload.cleanup();
        throw error;
      }
    },

    /** The method's arguments by name: revived values, files as the types ask. */
    inputFor: async (body: Record<string, unknown>, upload: MultipartInput | undefined): Promise<Record<string, unknown>> => {
      const named = revive(body) as Record<string, unknown>;
      if (upload) await attachFiles(named, upload, api.input);
      return named;
    },

    /**
     * The JSON-only path in one synchronous step (validated, revived), for APIs that take no
     * files: no promise per step on the hot path. Undefined for APIs that take files.
     */
    jsonInput: multipart ? undefined : (request: FastifyRequest): Record<string, unknown> => revive(readJson(request)) as Record<string, unknown>,
  };

}

export type ApiInput = ReturnType<typeof apiInput>;

import zlib from "node:zlib";
import type { FastifyRequest } from "fastify";
import { badRequest, payloadTooLarge, unsupportedEncoding } from "./errors.js";

type Decoder = (body: Buffer, options: zlib.ZlibOptions & zlib.BrotliOptions, callback: (error: Error | null, decoded: Buffer) => void) => void;

const DECODERS: Record<string, Decoder> = {
  gzip: zlib.gunzip,
  "x-gzip": zlib.gunzip,
  deflate: zlib.inflate,
  br: zlib.brotliDecompress,
};

/** The encodings a request body may come in. */
const BODY_ENCODINGS: readonly string[] = ["identity", ...Object.keys(DECODERS)];

/** The request body's `Content-Encoding`, lower case; "identity" when it has none. */
export function contentEncodingOf(request: FastifyRequest): string {
  return request.headers["content-encoding"]?.trim().toLowerCase() || "identity";
}

/** A Fastify body parser for a body read whole as a Buffer. */
export type BodyParser = (request: FastifyRequest, body: Buffer, done: (error: Error | null, value?: unknown) => void) => void;

/**
 * A body parser for bodies read whole (Fastify's `parseAs: "buffer"`) that decodes a compressed
 * body before `parse` sees it. Fastify has already held the encoded size to the body limit;
 * the decoded size is held to it here (413), and bytes that do not decode are a 400.
 * Decoding here, rather than in a `preParsing` hook on the request stream, costs an
 * uncompressed request nothing: a hook costs every request a run of Fastify's hook runner.
 */
export function decodingParser(parse: BodyParser, bodyLimit: number): BodyParser {
  return (request, body, done) => {
    const encoding = contentEncodingOf(request);
    if (encoding === "identity") return parse(request, body, done);
    const decode = DECODERS[encoding];
    if (!decode) return done(unsupportedEncoding(encoding, BODY_ENCODINGS));
    decode(body, { maxOutputLength: bodyLimit }, (error, decoded) => {
      if (!error) return parse(request, decoded, done);
      done((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" ? payloadTooLarge(bodyLimit) : badRequest(`The request body is not valid ${encoding} data`));
    });
  };
}

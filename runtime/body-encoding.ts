import type { IncomingHttpHeaders } from "node:http";
import type { Readable } from "node:stream";
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
export function contentEncodingOf(headers: IncomingHttpHeaders): string {
  return headers["content-encoding"]?.trim().toLowerCase() || "identity";
}

type Done = (error: Error | null, value?: unknown) => void;

/** Parses a whole body (Fastify's default JSON parser takes a Buffer as well as a string). */
export type BodyParser = (request: FastifyRequest, body: Buffer, done: Done) => void;

/**
 * A Fastify body parser (one without `parseAs`, so it reads the request stream itself) that
 * reads the body whole, decodes it when it is compressed, and gives the bytes to `parse`.
 * - The body limit holds for the bytes received (413, before reading when Content-Length is
 *   over it) and for the decoded bytes (`maxOutputLength`, 413); bytes that do not decode are a 400.
 * - A body that came in one chunk goes to `parse` as it is. Fastify's `parseAs: "buffer"` copies
 *   every body into a new Buffer, which showed in `npm run bench:http-instructions`; node:http
 *   gives each chunk its own copy of the socket's bytes, so nothing else writes to it.
 * - Decoding here, not in a `preParsing` hook, costs an uncompressed request nothing: a hook
 *   costs every request a run of Fastify's hook runner.
 */
export function bodyReader(parse: BodyParser, bodyLimit: number) {
  return (request: FastifyRequest, payload: Readable, done: Done): void => {
    const headers = request.raw.headers;
    const encoding = contentEncodingOf(headers);
    const decode = encoding === "identity" ? undefined : DECODERS[encoding];
    if (encoding !== "identity" && !decode) return done(unsupportedEncoding(encoding, BODY_ENCODINGS));
    const declaredLength = Number(headers["content-length"]); // NaN when the body is chunked
    if (declaredLength > bodyLimit) return done(payloadTooLarge(bodyLimit));

    const chunks: Buffer[] = [];
    let received = 0;
    const stopReading = (): void => {
      payload.removeListener("data", onData);
      payload.removeListener("end", onEnd);
      payload.removeListener("error", onEnd);
    };
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received <= bodyLimit) return void chunks.push(chunk);
      stopReading(); // the rest flows on unread; Fastify closes the connection after an error
      done(payloadTooLarge(bodyLimit));
    };
    const onEnd = (error?: Error): void => {
      stopReading();
      if (error) return done(badRequest(`The request body could not be read: ${error.message}`));
      if (!Number.isNaN(declaredLength) && received !== declaredLength) return done(badRequest("The request body's length differs from its Content-Length"));
      const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
      if (!decode) return parse(request, body, done);
      decode(body, { maxOutputLength: bodyLimit }, (decodeError, decoded) => {
        if (!decodeError) return parse(request, decoded, done);
        done((decodeError as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" ? payloadTooLarge(bodyLimit) : badRequest(`The request body is not valid ${encoding} data`));
      });
    };
    payload.on("data", onData);
    payload.on("end", onEnd);
    payload.on("error", onEnd);
    payload.resume();
  };
}

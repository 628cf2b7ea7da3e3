import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { FastifyRequest } from "fastify";
import type { InputManifest, JsonSchemaObject } from "../manifest/types.js";
import { REVIVE_KEYWORD } from "../manifest/types.js";
import { BentocHttpError, badRequest, fromMultipartError, malformedMultipart } from "./errors.js";

interface UploadedFile {
  field: string;
  path: string;
  filename: string;
  mimetype: string;
}

/** A multipart request read into named arguments: fields parsed, files in a temp folder until `cleanup`. */
export interface MultipartInput {
  /** What validation sees: file parts as their file names, other parts as values. */
  body: Record<string, unknown>;
  files: UploadedFile[];
  cleanup(): Promise<void>;
}

/** Streams every part of the request: files to temp files (never into memory), fields parsed as JSON unless the schema says string. */
export async function readMultipart(request: FastifyRequest, input: InputManifest): Promise<MultipartInput> {
  const directory = await fs.promises.mkdtemp(path.join(os.tmpdir(), "bentoc-upload-"));
  const files: UploadedFile[] = [];
  const body: Record<string, unknown> = {};
  const cleanup = () => fs.promises.rm(directory, { recursive: true, force: true });
  const properties = (input.schema.properties ?? {}) as Record<string, JsonSchemaObject>;
  const transports = new Map(input.parameters.map((parameter) => [parameter.name, parameter.transport]));
  try {
    // busboy reads an empty boundary as a body that never ends
    if (/;\s*boundary=(""|\s*(;|$))/i.test(request.headers["content-type"] ?? "")) throw malformedMultipart("the Content-Type's boundary is empty");
    for await (const part of request.parts()) {
      const transport = transports.get(part.fieldname);
      if (part.type === "file") {
        if (transport !== "file" && transport !== "files") throw badRequest(`Part '${part.fieldname}' is a file, but this API takes no file by that name`);
        const target = path.join(directory, String(files.length));
        await pipeline(part.file, fs.createWriteStream(target));
        files.push({ field: part.fieldname, path: target, filename: part.filename, mimetype: part.mimetype });
        if (transport === "files") ((body[part.fieldname] ??= []) as unknown[]).push(part.filename);
        else if (part.fieldname in body) throw badRequest(`Part '${part.fieldname}' takes one file; several were sent`);
        else body[part.fieldname] = part.filename;
      } else if (transport === "file" || transport === "files") {
        // Read as base64 text, it would reach the method as bytes no client meant to send.
        throw badRequest(`Part '${part.fieldname}' must be a file (a part with a filename); a text field was sent`);
      } else {
        body[part.fieldname] = fieldValue(String(part.value), properties[part.fieldname]);
      }
    }
  } catch (error) {
    await cleanup();
    throw fromMultipartError(error);
  }
  return { body, files, cleanup };
}

/** A text field is the value itself when the parameter is a string, else JSON. */
function fieldValue(raw: string, schema: JsonSchemaObject | undefined): unknown {
  const type = schema?.type;
  if (type === "string" || (Array.isArray(type) && type.includes("string") && !raw.startsWith("\""))) return raw;
  try {
    return JSON.parse(raw, refusePoisoning);
  } catch (error) {
    if (error instanceof BentocHttpError) throw error;
    return raw; // validation will say what was expected
  }
}

/** The same refusal as Fastify's JSON parser (`onProtoPoisoning`/`onConstructorPoisoning: "error"`), which multipart fields bypass. */
function refusePoisoning(key: string, value: unknown): unknown {
  const constructorPrototype = key === "constructor" && typeof value === "object" && value !== null && Object.prototype.hasOwnProperty.call(value, "prototype");
  if (key === "__proto__" || constructorPrototype) throw badRequest(`A form field contains a forbidden '${key === "__proto__" ? "__proto__" : "constructor.prototype"}' property`);
  return value;
}

/** Replaces the file names of validated arguments with the objects the method's types ask for. */
export async function attachFiles(args: Record<string, unknown>, upload: MultipartInput, input: InputManifest): Promise<void> {
  const properties = (input.schema.properties ?? {}) as Record<string, JsonSchemaObject>;
  for (const parameter of input.parameters) {
    if (parameter.transport === "json") continue;
    const uploads = upload.files.filter((file) => file.field === parameter.name);
    const schema = properties[parameter.name];
    const kind = String((parameter.transport === "files" ? (schema?.items as JsonSchemaObject | undefined) : schema)?.[REVIVE_KEYWORD] ?? "Blob");
    const values = await Promise.all(uploads.map((file) => fileValue(file, kind)));
    if (parameter.transport === "files") args[parameter.name] = values;
    else if (values[0] !== undefined) args[parameter.name] = values[0];
  }
}

async function fileValue(file: UploadedFile, kind: string): Promise<unknown> {
  if (kind === "Uint8Array" || kind === "Buffer" || kind === "ArrayBuffer") {
    const bytes = await fs.promises.readFile(file.path);
    if (kind === "Buffer") return bytes;
    return kind === "ArrayBuffer" ? new Uint8Array(bytes).buffer : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  }
  // Backed by the temp file, not read into memory.
  const blob = await fs.openAsBlob(file.path, { type: file.mimetype });
  return kind === "File" ? new File([blob], file.filename, { type: file.mimetype }) : blob;
}

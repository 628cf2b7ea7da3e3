// Identifiers of the generated client: a type per `$defs` entry (keeping its name where it is a
// valid, free identifier) and a class per service; none may shadow what the client itself uses.
import type { BentoManifest } from "../../manifest/types.js";
import { toIdentifier } from "./types/identifiers.js";
import { REVIVED_TYPE_NAMES } from "./types/revived.js";

/** Names the generated module imports, re-exports or relies on as globals. */
const TAKEN_BY_CLIENT = [
  "BentocTransport", "BentocClientError", "ValidationError", "NotFoundError", "UnavailableError", "ServerError",
  "TimeoutError", "ConnectionError", "TaskFailedError", "UnauthorizedError", "ForbiddenError", "ConflictError",
  "UnprocessableError", "TooManyRequestsError", "RetryLaterError", "SocketOptions", "WebSocketConstructor", "WebSocketLike", "ErrorBody", "ApiDescriptor", "SchemaSet", "CallOptions", "ClientOptions",
  "FetchFunction", "FileInput", "TaskHandle", "TaskResultOptions", "TaskState", "TaskStatus", "WaitReadyOptions",
  "AsyncIterable", "Promise", "Record", "Array", "Object", "Error", "globalThis", ...REVIVED_TYPE_NAMES,
];
/** Words that cannot name a type. */
const RESERVED_WORDS = [
  "any", "unknown", "never", "void", "undefined", "null", "object", "string", "number", "bigint", "boolean", "symbol",
  "break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export",
  "extends", "false", "finally", "for", "function", "if", "import", "in", "instanceof", "new", "return", "super", "switch",
  "this", "throw", "true", "try", "typeof", "var", "while", "with", "implements", "interface", "let", "package", "private",
  "protected", "public", "static", "yield", "await", "type", "as", "is", "keyof", "infer", "readonly", "unique", "satisfies",
];

export interface ClientNames {
  /** Identifier of each `$defs` entry. */
  types: ReadonlyMap<string, string>;
  /** Class name of each service (by service name). */
  classes: ReadonlyMap<string, string>;
}

export function allocateNames(manifest: BentoManifest): ClientNames {
  const taken = new Set([...TAKEN_BY_CLIENT, ...RESERVED_WORDS]);
  const claim = (wanted: string): string => {
    const base = toIdentifier(wanted);
    let candidate = base;
    for (let n = 2; taken.has(candidate); n++) candidate = `${base}_${n}`;
    taken.add(candidate);
    return candidate;
  };
  // Names that are already identifiers go first, so a sanitised name never takes one of them.
  const defNames = Object.keys(manifest.$defs);
  const ordered = [...defNames.filter((name) => toIdentifier(name) === name), ...defNames.filter((name) => toIdentifier(name) !== name)];
  const types = new Map(ordered.map((name) => [name, claim(name)]));
  const classes = new Map(manifest.services.map((service) => [service.name, claim(`${service.name}Client`)]));
  return { types, classes };
}

/** The `$defs` name a manifest reference points at. */
export function defNameOfRef(ref: string): string | undefined {
  const prefix = "#/$defs/";
  if (!ref.startsWith(prefix)) return undefined;
  return ref.slice(prefix.length).replace(/~1/g, "/").replace(/~0/g, "~");
}

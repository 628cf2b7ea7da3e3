// One client class per service: a method per API taking one object of named arguments and
// per-call options. Unary APIs return a Promise of the result, streams an AsyncIterable of
// elements, task APIs a `submit` that returns a TaskHandle.
import {
  REVIVE_KEYWORD, type ApiManifest, type DocText, type JsonSchema, type JsonSchemaObject, type ServiceManifest,
} from "../../manifest/types.js";
import { propertyKey } from "./types/identifiers.js";
import { docComment, schemaDocLines } from "./types/jsdoc.js";
import type { TypePrinter } from "./types/printer.js";
import { bytesResultType } from "./types/revived.js";

/** Members every client class has; an API by one of these names gets a `_` after it. */
const OWN_MEMBERS = new Set(["constructor", "waitReady"]);
/** Runtime names a class body uses, so the module imports exactly those. */
export type RuntimeName = "FileInput" | "SocketOptions" | "TaskHandle";

export interface ServiceClassInput {
  service: ServiceManifest;
  className: string;
  /** Identifier of the const holding the service's API descriptors. */
  descriptors: string;
  /** Timeout a client uses when its options set none. */
  defaultTimeoutMs: number;
  printer: TypePrinter;
  /** The bento's name, which the class states beside the service's for `depends(…)` in another bento. */
  bentoName: string;
}

export function serviceClass(input: ServiceClassInput, uses: Set<RuntimeName>): string {
  const { service, className, descriptors, printer } = input;
  const members: string[] = [];
  const taskAssignments: string[] = [];
  for (const api of service.apis) {
    const member = OWN_MEMBERS.has(api.name) ? `${api.name}_` : api.name;
    const doc = docComment(apiDocLines(api, member), "  ");
    const access = `${descriptors}.${api.name}`;
    if (api.kind === "task") {
      uses.add("TaskHandle");
      const result = resultType(api, printer, "    ");
      members.push(`${doc}  readonly ${member}: {
    /** Submits the arguments; the handle polls the task and fetches its result. */
    submit(${argumentsOf(api, printer, "    ", uses)}, options?: CallOptions): Promise<TaskHandle<${result}>>;
    /** A handle for a task submitted earlier, from its id. */
    handle(taskId: string): TaskHandle<${result}>;
  };`);
      taskAssignments.push(`    this.${member} = this.#transport.task(${access});`);
    } else if (api.kind === "websocket") {
      const message = printer.text(((api.input.schema.properties ?? {}) as Record<string, JsonSchema>)[api.input.parameters[0]!.name] ?? true, "  ");
      const reply = printer.text(api.output.schema, "  ");
      members.push(`${doc}  ${member}(messages: AsyncIterable<${message}> | Iterable<${message}>, options?: SocketOptions): AsyncIterable<${reply}> {
    return this.#transport.socket(${access}, messages, options);
  }`);
      uses.add("SocketOptions");
    } else if (api.kind === "stream") {
      const element = printer.text(api.output.schema, "  ");
      members.push(`${doc}  ${member}(${argumentsOf(api, printer, "  ", uses)}, options?: CallOptions): AsyncIterable<${element}> {
    return this.#transport.stream(${access}, args, options);
  }`);
    } else {
      const result = resultType(api, printer, "  ");
      members.push(`${doc}  ${member}(${argumentsOf(api, printer, "  ", uses)}, options?: CallOptions): Promise<${result}> {
    return this.#transport.call(${access}, args, options);
  }`);
    }
  }
  const classDoc = docComment(serviceDocLines(service), "");
  return `${classDoc}export class ${className} {
  /** The service this class calls, and its bento: what \`depends(${className})\` in a service of another bento reads. */
  static readonly bentoService = { bento: ${JSON.stringify(input.bentoName)}, service: ${JSON.stringify(service.name)} } as const;

  readonly #transport: BentocTransport;

  /** A client for the ${service.name} service at \`options.baseUrl\`. */
  constructor(options: ClientOptions) {
    this.#transport = new BentocTransport(options, $schemas, ${input.defaultTimeoutMs});
${taskAssignments.join("\n")}${taskAssignments.length > 0 ? "\n" : ""}  }

  /** Resolves once the server's \`/readyz\` says it is ready (it polls through refused connections and 503s). */
  waitReady(options?: WaitReadyOptions): Promise<void> {
    return this.#transport.waitReady(options);
  }
${members.map((member) => `\n${member}`).join("\n")}
}
`;
}

/** `args: { … }`, optional when every parameter is. */
function argumentsOf(api: ApiManifest, printer: TypePrinter, indent: string, uses: Set<RuntimeName>): string {
  if (api.input.parameters.length === 0) return "args?: Record<string, never>";
  const properties = (api.input.schema.properties ?? {}) as Record<string, JsonSchema>;
  const inner = `${indent}  `;
  const members = api.input.parameters.map((parameter) => {
    const schema = properties[parameter.name] ?? true;
    const type = parameter.transport === "file" || parameter.transport === "files" ? fileType(parameter.transport, schema, uses) : printer.text(schema, inner);
    const doc = schemaDocLines(schema, { constraints: parameter.transport === "json" });
    return `${docComment(doc, inner)}${inner}${propertyKey(parameter.name)}${parameter.required ? "" : "?"}: ${type};`;
  });
  const optional = api.input.parameters.every((parameter) => !parameter.required);
  return `args${optional ? "?" : ""}: {\n${members.join("\n")}\n${indent}}`;
}

/** A file argument takes a Blob, a File or a Uint8Array, whatever type the method declares. */
function fileType(transport: "file" | "files", schema: JsonSchema, uses: Set<RuntimeName>): string {
  uses.add("FileInput");
  const nullable = typeof schema === "object" && (Array.isArray(schema.type) ? schema.type.includes("null") : Array.isArray(schema.anyOf) && (schema.anyOf as JsonSchemaObject[]).some((branch) => branch.type === "null"));
  const base = transport === "files" ? "FileInput[]" : "FileInput";
  return nullable ? `${base} | null` : base;
}

function resultType(api: ApiManifest, printer: TypePrinter, indent: string): string {
  if (api.output.mediaTypes[0] === "application/octet-stream") {
    return bytesResultType(typeof api.output.schema === "object" ? api.output.schema[REVIVE_KEYWORD] : undefined);
  }
  return printer.text(api.output.schema, indent);
}

/**
 * The client's error class for each status a service may declare (as the runtime's
 * `errorForResponse` picks it; test/client/declared-errors.test.ts holds them together).
 */
export const CLIENT_ERROR_BY_STATUS: Readonly<Record<number, string>> = {
  400: "ValidationError", 401: "UnauthorizedError", 403: "ForbiddenError", 404: "NotFoundError", 409: "ConflictError",
  422: "UnprocessableError", 429: "TooManyRequestsError", 500: "ServerError", 503: "UnavailableError",
};

function apiDocLines(api: ApiManifest, member: string): string[] {
  const lines = docText(api.doc);
  if (member !== api.name) lines.push("", `The API '${api.name}' (a client's own member has that name).`);
  if (api.kind === "stream") lines.push("", "Streams the elements as they come; `break` or the signal cancels the call on the server too.");
  if (api.kind === "websocket") lines.push("", "One WebSocket: sends `messages` as they come and yields the replies; `break` or the signal closes it.");
  for (const error of api.kind === "task" ? [] : api.errors ?? []) {
    lines.push(`@throws {${CLIENT_ERROR_BY_STATUS[error.status] ?? "BentocClientError"}} ${error.status} (${error.name})${error.description ? `: ${error.description}` : ""}`);
  }
  if (api.doc.deprecated) lines.push("@deprecated");
  return lines;
}

function serviceDocLines(service: ServiceManifest): string[] {
  return service.doc.deprecated ? [...docText(service.doc), "@deprecated"] : docText(service.doc);
}

/** The description (which starts with the summary when there is one), else the summary. */
function docText(doc: DocText): string[] {
  const text = doc.description ?? doc.summary;
  return text === undefined || text === "" ? [] : text.split("\n");
}

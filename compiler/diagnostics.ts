// The one table of bentoc diagnostics. Codes are stable: tests and users match on
// them, so a code is never reused for another meaning. Groups:
//   BTC1xxx  services, decorators and their options, routes
//   BTC2xxx  types of parameters and results (schema mapping)
//   BTC3xxx  batching, streams and tasks
// Message templates take positional arguments {0}, {1}, …

export type DiagnosticCategory = "error" | "warning";

interface DiagnosticTemplate {
  category: DiagnosticCategory;
  message: string;
}

export const DIAGNOSTICS = {
  BTC1001: { category: "error", message: "No exported class decorated with @service() was found in {0}. Add `@service()` to the service class and export it." },
  BTC1002: { category: "error", message: "Service class '{0}' is not exported. Add `export` so the generated server can import it." },
  BTC1003: { category: "error", message: "Option '{0}' must be a value bentoc can read at compile time (a literal, an `as const` object, an enum member or a constant), not `{1}`." },
  BTC1004: { category: "error", message: "Unknown option '{0}' in @{1}().{2}" },
  BTC1005: { category: "error", message: "Option '{0}' must be {1}; got {2}." },
  BTC1006: { category: "error", message: "Route '{0}' is not valid: {1}" },
  BTC1007: { category: "error", message: "Route '{0}' is reserved for the server's own endpoint. Choose another route." },
  BTC1008: { category: "error", message: "Route '{0}' of '{1}' is already used by '{2}'. Routes must be unique." },
  BTC1009: { category: "error", message: "API name '{0}' is already used by method '{1}' of service '{2}'. Give one of them another `name`." },
  BTC1010: { category: "error", message: "@{0}() can only decorate a public instance method with a plain name; '{1}' is {2}." },
  BTC1011: { category: "error", message: "Model reference {0}: {1}" },
  BTC1012: { category: "error", message: "API name '{0}' is not a valid identifier; clients call it as a method. Use letters, digits and '_', not starting with a digit." },
  BTC1013: { category: "error", message: "Service name '{0}' is used by two classes. Give one of them another `name`." },
  BTC1014: { category: "error", message: "Service class '{0}' cannot be served: {1}." },
  BTC1015: { category: "error", message: "depends({0}) cannot be served: {1}." },
  BTC1016: { category: "error", message: "Services depend on each other in a cycle ({0}): served apart, each would wait for the other to be ready. Move the shared work into a service that both depend on." },
  BTC1017: { category: "error", message: "depends({0}) calls {1} at the URL in {2}, which already reaches {3}. Services called over HTTP need names that differ once upper-cased: rename one of them." },
  BTC1018: { category: "error", message: "A method cannot answer with status {0}: the server answers it by itself. Throw a 4xx but {1}, or 500 or 503 (e.g. `new NotFound(…)`, `new ServiceError(429, …)`)." },
  BTC1019: { category: "warning", message: "@throws {{0}} on '{1}' names no ServiceError class with a status (NotFound, TooManyRequests, … or a subclass of one): the OpenAPI document and the client do not list it." },
  BTC1020: { category: "error", message: "@mount() method '{0}' takes {1} parameter(s): a Fastify plugin takes one, `(app: FastifyInstance)`, and a Node request handler two, `(request: IncomingMessage, response: ServerResponse)`." },
  BTC1021: { category: "error", message: "@mount(\"{0}\") on {1} would serve {2}. Mounted routes come after the bento's own and may not shadow them: choose another prefix." },
  BTC2001: { category: "error", message: "{0} is a function type, which cannot travel as JSON. Pass data, not functions." },
  BTC2002: { category: "error", message: "{0} is a symbol type, which cannot travel as JSON. Use a string or a string literal union." },
  BTC2003: { category: "error", message: "{0} has type '{1}', so the API has no contract. Give it a concrete type, or `JsonValue` (from \"bentoc\") for any JSON value." },
  BTC2004: { category: "error", message: "{0} includes '{1}', which has methods; requests arrive as plain JSON, not class instances. Accept an interface or type with only the data properties." },
  BTC2005: { category: "error", message: "The stream returned by '{0}' has no element type ('{1}'). Declare what it yields, e.g. `AsyncGenerator<string>` or `AsyncGenerator<Token>`." },
  BTC2006: { category: "error", message: "{0} has type '{1}', which JSON cannot carry. {2}" },
  BTC2007: { category: "error", message: "JSDoc tag @{0} on {1} needs {2}; got '{3}'." },
  BTC2008: { category: "error", message: "JSDoc tag @{0} on {1} applies to {2} values, but the type is {3}." },
  BTC2009: { category: "error", message: "'{0}' returns '{1}', which bentoc does not serve as a stream. Return `AsyncGenerator<T>` (an `async *` method) or `AsyncIterable<T>`." },
  BTC2010: { category: "error", message: "Parameter {0} of '{1}' must be a plain named parameter: {2} has no name on the wire. Take one object parameter with a name instead." },
  BTC2011: { category: "error", message: "{0} has type '{1}', which bentoc cannot map to JSON Schema: {2}" },
  BTC2012: { category: "error", message: "'{0}' takes a stream of messages ('{1}'), so it is a WebSocket API; {2}." },
  BTC3001: { category: "error", message: "Batchable API '{0}' must take exactly one array parameter (the batch), besides an optional Context; {1}." },
  BTC3002: { category: "error", message: "Batchable API '{0}' must return an array with one result per input; it returns '{1}'." },
  BTC3003: { category: "error", message: "batchDim {0} of '{1}' is out of range: its {2} has {3} array dimension(s), so batchDim must be between 0 and {4}." },
  BTC3004: { category: "error", message: "'{0}' is {1} and cannot also be {2}." },
} as const satisfies Record<string, DiagnosticTemplate>;

export type DiagnosticCode = keyof typeof DIAGNOSTICS;

/** A problem found in a service, in a shape both the terminal and `--json` print. */
export interface Diagnostic {
  /** `BTC1001`… for bentoc's own, `TS2322`… for the TypeScript errors of the file. */
  code: string;
  category: DiagnosticCategory;
  message: string;
  /** Absolute path; absent for problems that have no place (e.g. compiler options). */
  file?: string;
  /** 1-based line and column of the start. */
  line?: number;
  column?: number;
  /** Offset and length in the file, for the code frame. */
  start?: number;
  length?: number;
}

export function formatMessage(code: DiagnosticCode, args: readonly (string | number)[]): string {
  return DIAGNOSTICS[code].message.replace(/\{(\d+)\}/g, (_match, index: string) => String(args[Number(index)] ?? ""));
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.category === "error");
}

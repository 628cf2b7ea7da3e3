// `bentoc/client`: call a running bento by API name, for scripts that have no generated client.
// It reads the server's OpenAPI document once and then speaks the same wire protocol.
import { NotFoundError } from "./errors.js";
import { apisOfDocument, type OpenApiDocument } from "./openapi.js";
import type { TaskApi } from "./tasks.js";
import { BentocTransport } from "./transport.js";
import type { ApiDescriptor, CallOptions, ClientOptions, SocketOptions, TaskHandle, WaitReadyOptions } from "./types.js";

export { BentocClientError, ConflictError, ConnectionError, ForbiddenError, NotFoundError, ServerError, TaskFailedError, TimeoutError, TooManyRequestsError, UnauthorizedError, UnavailableError, UnprocessableError, ValidationError } from "./errors.js";
export type { ErrorBody } from "./errors.js";
export type { CallOptions, ClientOptions, FetchFunction, FileInput, SocketOptions, TaskHandle, TaskResultOptions, TaskState, TaskStatus, WaitReadyOptions, WebSocketConstructor, WebSocketLike } from "./types.js";

/** One API of the server, as `createClient` found it. */
export interface ApiInfo {
  name: string;
  route: string;
  kind: "unary" | "stream" | "task" | "websocket";
}

/** A client for whatever APIs the server has; arguments and results are checked by the server, not by types. */
export interface DynamicClient {
  readonly baseUrl: string;
  readonly apis: readonly ApiInfo[];
  /** Calls a unary API with its named arguments: `await client.call("total", { orders, discount: 5 })`. */
  call<T = unknown>(api: string, args?: Record<string, unknown>, options?: CallOptions): Promise<T>;
  /** Streams a stream API: `for await (const token of client.stream("generate", { prompt }))`. */
  stream<T = unknown>(api: string, args?: Record<string, unknown>, options?: CallOptions): AsyncIterable<T>;
  /** Submits a task API's arguments; the handle polls and fetches the result. */
  submit<T = unknown>(api: string, args?: Record<string, unknown>, options?: CallOptions): Promise<TaskHandle<T>>;
  /** A handle for a task submitted earlier, from its id. */
  task<T = unknown>(api: string, taskId: string): TaskHandle<T>;
  /** Opens a WebSocket API: sends `messages` as they come, yields the replies. */
  socket<T = unknown>(api: string, messages: AsyncIterable<unknown> | Iterable<unknown>, options?: SocketOptions): AsyncIterable<T>;
  waitReady(options?: WaitReadyOptions): Promise<void>;
}

/**
 * Connects to a running bento: fetches `url/docs.json` (retrying while the connection is refused)
 * and returns a client that calls its APIs by name.
 */
export async function createClient(url: string | URL, options: Omit<ClientOptions, "baseUrl"> = {}): Promise<DynamicClient> {
  const probe = new BentocTransport({ ...options, baseUrl: url }, { defs: {}, refPrefix: "#/components/schemas/" });
  const document = await probe.getJson<OpenApiDocument>("/docs.json").catch((error: unknown) => {
    throw error instanceof NotFoundError ? new NotFoundError(`${String(url)} has no /docs.json: is it a bentoc server?`, { status: 404, body: error.body, requestId: error.requestId }) : error;
  });
  const { apis, schemas } = apisOfDocument(document);
  const transport = new BentocTransport({ ...options, baseUrl: url }, schemas);
  const tasks = new Map<string, TaskApi<unknown>>();
  const baseUrl = String(url).replace(/\/+$/, "");
  const find = (name: string, kind: ApiInfo["kind"]): ApiDescriptor => {
    const api = apis.get(name);
    if (api === undefined) throw new TypeError(`${baseUrl} has no API named '${name}'; it has ${[...apis.keys()].join(", ") || "none"}`);
    if (api.kind !== kind) throw new TypeError(`'${name}' is a ${api.kind} API: use ${USE[api.kind]}, not ${USE[kind]}`);
    return api;
  };
  const taskApi = (name: string): TaskApi<unknown> => {
    let task = tasks.get(name);
    if (task === undefined) tasks.set(name, (task = transport.task(find(name, "task"))));
    return task;
  };
  return {
    baseUrl,
    apis: [...apis.values()].map(({ name, route, kind }) => ({ name, route, kind })),
    call: <T>(name: string, args?: Record<string, unknown>, callOptions?: CallOptions) => transport.call<T>(find(name, "unary"), args, callOptions),
    stream: <T>(name: string, args?: Record<string, unknown>, callOptions?: CallOptions) => transport.stream<T>(find(name, "stream"), args, callOptions),
    submit: async <T>(name: string, args?: Record<string, unknown>, callOptions?: CallOptions) => (await taskApi(name).submit(args, callOptions)) as TaskHandle<T>,
    task: <T>(name: string, taskId: string) => taskApi(name).handle(taskId) as TaskHandle<T>,
    socket: <T>(name: string, messages: AsyncIterable<unknown> | Iterable<unknown>, socketOptions?: SocketOptions) => transport.socket<T>(find(name, "websocket"), messages, socketOptions),
    waitReady: (waitOptions?: WaitReadyOptions) => transport.waitReady(waitOptions),
  };
}

const USE: Record<ApiInfo["kind"], string> = { unary: "call()", stream: "stream()", task: "submit()", websocket: "socket()" };

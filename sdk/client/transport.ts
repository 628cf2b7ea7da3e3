// What every client method calls: a unary call, a stream, a task, and the readiness probe,
// each speaking the wire protocol of the generated server.
import { BodyEncoder, type RequestBody } from "./body.js";
import { codecFor, type Codec, type SchemaSet } from "./codec.js";
import { errorBodyOf, errorForResponse, ServerError, TimeoutError, type BentocClientError, type ErrorBody } from "./errors.js";
import { NDJSON_MEDIA_TYPE, SSE_MEDIA_TYPE, TEXT_MEDIA_TYPE, ndjsonValues, preferredFraming, serverSentEvents, textChunks } from "./framing.js";
import { CallScope, sendWithRetries, type HttpRequest, type HttpSettings } from "./http.js";
import { TaskClient, type TaskApi } from "./tasks.js";
import { socketCall, socketUrl } from "./socket.js";
import type { ApiDescriptor, CallOptions, ClientOptions, SocketOptions, WaitReadyOptions, WebSocketConstructor } from "./types.js";

const DEFAULT_RETRIES = 3;
const DEFAULT_TIMEOUT_MS = 60_000;
const JSON_ACCEPT = { accept: "application/json" };

/** Sends calls to one bento server. Generated clients hold one; `createClient` builds one from `/docs.json`. */
export class BentocTransport {
  private readonly settings: HttpSettings;
  private readonly schemas: SchemaSet;
  private readonly bodies: BodyEncoder;
  private readonly outputs = new Map<ApiDescriptor, Codec>();
  private readonly webSocket: WebSocketConstructor | undefined;

  /** `defaultTimeoutMs`: the timeout when the options set none (a generated client uses the service's traffic timeout plus a margin). */
  constructor(options: ClientOptions, schemas: SchemaSet, defaultTimeoutMs = DEFAULT_TIMEOUT_MS) {
    this.schemas = schemas;
    const fetchFunction = options.fetch ?? (typeof fetch === "function" ? fetch.bind(globalThis) : undefined);
    if (fetchFunction === undefined) throw new TypeError("No global fetch here: pass `fetch` in the client's options");
    const baseUrl = String(options.baseUrl).replace(/\/+$/, "");
    // A path alone ("/api", or "" for the page's own origin) is for browsers calling their own server.
    if (!/^https?:\/\//i.test(baseUrl) && !(baseUrl === "" || baseUrl.startsWith("/"))) {
      throw new TypeError(`baseUrl must be an http(s) URL like http://127.0.0.1:3000, or a path on the page's own server like /api; got '${String(options.baseUrl)}'`);
    }
    this.settings = {
      baseUrl,
      headers: { ...options.headers },
      timeoutMs: options.timeoutMs ?? defaultTimeoutMs,
      retries: options.retries ?? DEFAULT_RETRIES,
      fetch: fetchFunction,
    };
    this.bodies = new BodyEncoder(schemas);
    this.webSocket = options.WebSocket;
  }

  /** A WebSocket API: sends `messages` as they come and yields the replies, revived; `break` or the signal closes the socket. */
  socket<T>(api: ApiDescriptor, messages: AsyncIterable<unknown> | Iterable<unknown>, options: SocketOptions = {}): AsyncIterable<T> {
    return socketCall<T>(socketUrl(this.settings.baseUrl, api.route), api, this.schemas, messages, options, this.webSocket);
  }

  /** A unary call: the result, revived (Date, bigint, bytes), or bytes for APIs that answer with them. */
  async call<T>(api: ApiDescriptor, args: object | undefined, options: CallOptions = {}): Promise<T> {
    const body = await this.bodies.encode(api, args);
    return this.exchange(`POST ${api.route}`, options, async (scope) => {
      const response = await this.post(api.route, body, api.bytes !== undefined ? { accept: "application/octet-stream" } : JSON_ACCEPT, scope, options);
      if (api.bytes === "Blob") return (await response.blob()) as T;
      if (api.bytes !== undefined) {
        const buffer = await response.arrayBuffer();
        return (api.bytes === "ArrayBuffer" ? buffer : new Uint8Array(buffer)) as T;
      }
      return this.output(api).revive(parseJson(await response.text())) as T;
    });
  }

  /**
   * A stream: the request starts when iteration starts; `break`, an error in the loop, or the
   * signal ends it, which cancels the request (and so the method's generator on the server).
   */
  async *stream<T>(api: ApiDescriptor, args: object | undefined, options: CallOptions = {}): AsyncGenerator<T, void, undefined> {
    const body = await this.bodies.encode(api, args);
    const scope = new CallScope(`POST ${api.route}`, options, this.settings.timeoutMs);
    try {
      const response = await this.post(api.route, body, { accept: preferredFraming(api.framings ?? []) }, scope, options);
      scope.stopTimer();
      if (response.body === null) return;
      const framing = (response.headers.get("content-type") ?? SSE_MEDIA_TYPE).split(";")[0]!.trim().toLowerCase();
      const codec = this.output(api);
      if (framing === TEXT_MEDIA_TYPE) {
        for await (const chunk of textChunks(response.body)) yield chunk as T;
      } else if (framing === NDJSON_MEDIA_TYPE) {
        for await (const value of ndjsonValues(response.body)) yield codec.revive(value) as T;
      } else {
        for await (const event of serverSentEvents(response.body)) {
          if (event.event === "error") throw streamError(scope.where, event.data, response.headers.get("x-request-id") ?? undefined);
          yield codec.revive(parseJson(event.data)) as T;
        }
      }
    } catch (error) {
      throw scope.failure(error);
    } finally {
      scope.close();
    }
  }

  /** The `submit` of a task API, and handles for tasks already submitted. */
  task<Result>(api: ApiDescriptor): TaskApi<Result> {
    return new TaskClient<Result>(api, {
      submit: async (args, options) => {
        const body = await this.bodies.encode(api, args);
        return this.exchange(`POST ${api.route}/submit`, options, async (scope) => parseJson(await (await this.post(`${api.route}/submit`, body, JSON_ACCEPT, scope, options)).text()));
      },
      request: (method, path, options) => this.requestJson(method, path, options),
      revive: (value) => this.output(api).revive(value),
    });
  }

  /** GETs a JSON document of the server's, e.g. `/docs.json`. */
  async getJson<T>(path: string, options: CallOptions = {}): Promise<T> {
    return (await this.requestJson("GET", path, options)) as T;
  }

  /** Resolves once `/readyz` answers 200; polls through refused connections and 503s. */
  async waitReady(options: WaitReadyOptions = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const scope = new CallScope("GET /readyz", { timeoutMs, signal: options.signal }, timeoutMs);
    let last = "no answer";
    try {
      for (;;) {
        try {
          const response = await this.settings.fetch(`${this.settings.baseUrl}/readyz`, { method: "GET", headers: this.settings.headers, signal: scope.signal });
          // Not awaited: a tee'd body (a cloned response) settles its cancel only once every branch is cancelled.
          void response.body?.cancel().catch(() => undefined);
          if (response.ok) return;
          last = `status ${response.status}`;
        } catch (error) {
          if (scope.signal.aborted) throw scope.signal.reason;
          last = error instanceof Error ? error.message : String(error);
        }
        await scope.sleep(Math.max(0, Math.min(options.intervalMs ?? 200, scope.remainingMs())));
      }
    } catch (error) {
      if (error instanceof TimeoutError) throw new TimeoutError(`${this.settings.baseUrl} was not ready within ${timeoutMs} ms (last probe: ${last})`, { status: 0 });
      throw error;
    } finally {
      scope.close();
    }
  }

  /** Sends an encoded body (encoded before the call's scope, so a wrong argument is not taken for a network failure). */
  private post(path: string, { body, contentType }: RequestBody, headers: Record<string, string>, scope: CallScope, options: CallOptions): Promise<Response> {
    const request: HttpRequest = { method: "POST", path, body, headers: { ...headers, ...(contentType !== undefined ? { "content-type": contentType } : {}), ...options.headers } };
    return sendWithRetries(this.settings, request, scope);
  }

  /** A request without a body (a task route, a document), answered with JSON. */
  private requestJson(method: HttpRequest["method"], path: string, options: CallOptions): Promise<unknown> {
    return this.exchange(`${method} ${path.split("?")[0]!}`, options, async (scope) =>
      parseJson(await (await sendWithRetries(this.settings, { method, path, headers: { ...JSON_ACCEPT, ...options.headers } }, scope)).text()));
  }

  private async exchange<T>(where: string, options: CallOptions, run: (scope: CallScope) => Promise<T>): Promise<T> {
    const scope = new CallScope(where, options, this.settings.timeoutMs);
    try {
      return await run(scope);
    } catch (error) {
      throw scope.failure(error);
    } finally {
      scope.close();
    }
  }

  private output(api: ApiDescriptor): Codec {
    let codec = this.outputs.get(api);
    if (codec === undefined) this.outputs.set(api, (codec = codecFor(api.output, this.schemas)));
    return codec;
  }
}

function parseJson(text: string): unknown {
  return text === "" ? null : (JSON.parse(text) as unknown);
}

/**
 * The error an SSE stream reported in-band: the typed error of the status it names (a service's
 * own, such as 404 or 429), else a ServerError saying the stream failed.
 */
function streamError(where: string, data: string, requestId: string | undefined): BentocClientError {
  const { status, ...rest } = errorBodyOf(500, "", data) as ErrorBody & { status?: unknown };
  if (typeof status === "number" && status >= 400 && status !== 500) return errorForResponse(`${where} (streaming)`, status, rest, requestId, undefined);
  return new ServerError(`${where}: the stream failed on the server: ${rest.error}`, { status: 500, body: rest, requestId });
}

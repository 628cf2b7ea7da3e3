import websocketPlugin from "@fastify/websocket";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { RawData, WebSocket } from "ws";
import type { ApiManifest, JsonSchema } from "../manifest/types.js";
import type { ApiInvoker } from "./api-route.js";
import { RequestContext } from "./context.js";
import { BentocHttpError, methodFailed, notReady } from "./errors.js";
import { valueMapper } from "./revive.js";
import type { ValidatorFactory } from "./validation.js";

/** Messages waiting for the method before the socket stops reading (and the client's sends wait). */
const INBOX_HIGH = 16;
/** Reply bytes the socket may hold unsent before the method's next reply waits for them to go out. */
const OUTBOX_HIGH_BYTES = 64 * 1024;
/** The close codes the protocol uses (docs/websocket.md). */
export const CLOSE = { done: 1000, goingAway: 1001, invalidMessage: 1007, failed: 1011, idle: 4408 } as const;
/** A close reason is at most 123 bytes. */
const MAX_REASON_BYTES = 123;

export interface WebSocketRouteDeps {
  defs: Record<string, JsonSchema>;
  validators: ValidatorFactory;
  started(): boolean;
  /** The route's config (how the server tells its API routes from the others). */
  routeConfig: object;
  /** Seconds without a message either way after which the socket is closed (the traffic timeout). */
  idleSeconds: number;
  /** The connection ended: its access line and metrics, with 101 as the status. */
  finished(request: FastifyRequest, reply: FastifyReply, bytesSent: number): void;
  logFailure(request: FastifyRequest, error: unknown): void;
}

/**
 * A WebSocket API: `GET <route>` upgrades; each text frame the client sends is one JSON message,
 * validated against the message schema and revived, and handed to the method's
 * `AsyncIterable` parameter; an empty text frame ends that iterable. Each element the method
 * yields goes back as one JSON text frame. The socket reads no further while the method has
 * INBOX_HIGH messages waiting, and the method's next reply waits while OUTBOX_HIGH_BYTES are
 * unsent. It closes 1000 when the method's stream ends; 1007 with the problem for a message
 * that is not valid; 4000 + the status for a ServiceError (4404, 4429, …) and 1011 for another
 * failure; 4408 after the traffic timeout without a message either way. A client that closes
 * aborts the method's Context signal and ends its stream.
 */
export function registerWebSocketRoute(app: FastifyInstance, api: ApiManifest, invoke: ApiInvoker, deps: WebSocketRouteDeps): void {
  const parameter = api.input.parameters.find((candidate) => candidate.transport === "messages")!;
  const messageSchema = (((api.input.schema.properties ?? {}) as Record<string, JsonSchema>)[parameter.name] ?? true);
  const connectionDeps: ConnectionDeps = {
    ...deps,
    invoke,
    parameterName: parameter.name,
    problemsOf: deps.validators.problemsOf(messageSchema),
    reviveMessage: valueMapper(messageSchema, deps.defs, "revive"),
    encodeReply: valueMapper(api.output.schema, deps.defs, "encode"),
  };
  const replies = new WeakMap<FastifyRequest, FastifyReply>();
  // Inside a plugin: the WebSocket plugin's onRoute hook, which makes the route upgrade, is only
  // in place once it has loaded, and plugins load in the order they were registered.
  void app.register(async (scope) => scope.get(api.route, {
    websocket: true,
    config: deps.routeConfig,
    onRequest: (request, reply, done) => {
      reply.header("x-request-id", request.id);
      replies.set(request, reply); // the upgrade's handler gets the request only; the access line wants the reply
      done(deps.started() ? undefined : notReady());
    },
  }, (socket: WebSocket, request: FastifyRequest) => {
    const reply = replies.get(request)!.code(101);
    new Connection(socket, request, reply, connectionDeps).run();
  }));
}

interface ConnectionDeps extends WebSocketRouteDeps {
  invoke: ApiInvoker;
  parameterName: string;
  problemsOf: ReturnType<ValidatorFactory["problemsOf"]>;
  reviveMessage: (value: unknown) => unknown;
  encodeReply: (value: unknown) => unknown;
}

/** One client's socket: the messages it sends, the method's replies, and how it ends. */
class Connection {
  private readonly context: RequestContext;
  private readonly inbox: unknown[] = [];
  private inputEnded = false;
  private wake: (() => void) | undefined;
  private received = 0;
  private bytesSent = 0;
  private paused = false;
  private closed = false;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly request: FastifyRequest,
    private readonly reply: FastifyReply,
    private readonly deps: ConnectionDeps,
  ) {
    this.context = new RequestContext(request.headers, String(request.id));
  }

  run(): void {
    const { socket } = this;
    socket.on("message", (data, isBinary) => this.onMessage(data, isBinary));
    socket.once("close", () => this.onClose());
    socket.on("error", () => undefined); // a broken connection ends in "close" too
    this.touch();
    void this.pump();
  }

  /** The method's replies, sent as they come; the socket closes when they end or fail. */
  private async pump(): Promise<void> {
    let replies: AsyncIterator<unknown> | undefined;
    try {
      const source = (await this.deps.invoke({ [this.deps.parameterName]: this.messages() }, this.context)) as AsyncIterable<unknown>;
      replies = source[Symbol.asyncIterator]();
      for (let step = await replies.next(); !step.done; step = await replies.next()) {
        if (this.closed) break;
        await this.send(JSON.stringify(this.deps.encodeReply(step.value) ?? null));
      }
      this.close(CLOSE.done, "");
    } catch (error) {
      if (this.closed) return;
      const answer = methodFailed(error);
      if (answer.status === 500) this.deps.logFailure(this.request, (answer as { cause?: unknown }).cause ?? error);
      this.close(answer.status === 500 ? CLOSE.failed : 4000 + answer.status, answer.status === 500 ? "The API failed" : answer.message);
    } finally {
      if (this.closed) await replies?.return?.().catch(() => undefined);
    }
  }

  /** The client's messages, as the method's parameter: revived, in order, until an empty frame or the close. */
  private async *messages(): AsyncGenerator<unknown> {
    for (;;) {
      if (this.inbox.length > 0) {
        const message = this.inbox.shift();
        if (this.paused && this.inbox.length < INBOX_HIGH / 2) {
          this.paused = false;
          this.socket.resume();
        }
        yield message;
        continue;
      }
      if (this.inputEnded || this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    this.touch();
    if (this.inputEnded) return;
    const text = isBinary ? undefined : rawText(data);
    this.received++;
    if (text === "") {
      this.inputEnded = true;
      return this.notify();
    }
    let value: unknown;
    try {
      if (text === undefined) throw new Error("it is a binary frame; send each message as JSON text");
      value = JSON.parse(text);
    } catch (error) {
      return this.close(CLOSE.invalidMessage, `message ${this.received} is not JSON: ${(error as Error).message}`);
    }
    const problems = this.deps.problemsOf(value);
    if (problems.length > 0) return this.close(CLOSE.invalidMessage, `message ${this.received}: ${problems[0]!.path || "(the message)"} ${problems[0]!.message}`);
    this.inbox.push(this.deps.reviveMessage(value));
    if (!this.paused && this.inbox.length >= INBOX_HIGH) {
      this.paused = true;
      this.socket.pause();
    }
    this.notify();
  }

  /** Sends one reply; waits for it to go out when the socket holds too much already. */
  private async send(text: string): Promise<void> {
    this.touch();
    this.bytesSent += Buffer.byteLength(text);
    if (this.socket.bufferedAmount < OUTBOX_HIGH_BYTES) {
      this.socket.send(text);
      return;
    }
    await new Promise<void>((resolve) => this.socket.send(text, () => resolve()));
  }

  private close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.notify();
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(code, truncated(reason));
  }

  private onClose(): void {
    clearTimeout(this.idleTimer);
    if (!this.closed) {
      this.closed = true;
      this.context.abort(new Error("the client closed the WebSocket"));
      this.notify();
    }
    this.deps.finished(this.request, this.reply, this.bytesSent);
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Restarts the idle timer: the traffic timeout counts from the last message either way. */
  private touch(): void {
    clearTimeout(this.idleTimer);
    if (this.deps.idleSeconds <= 0) return;
    this.idleTimer = setTimeout(() => {
      this.context.abort(new BentocHttpError(504, `no message either way for ${this.deps.idleSeconds} s`));
      this.close(CLOSE.idle, `no message either way for ${this.deps.idleSeconds} s`);
    }, this.deps.idleSeconds * 1000);
    this.idleTimer.unref();
  }
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString("utf8");
  return Buffer.isBuffer(data) ? data.toString("utf8") : Buffer.from(data).toString("utf8");
}

/** A close reason cut to the 123 bytes a close frame holds, on a character boundary. */
function truncated(reason: string): string {
  let text = reason;
  while (Buffer.byteLength(text) > MAX_REASON_BYTES) text = text.slice(0, -1);
  return text;
}

/**
 * The WebSocket plugin, for a bento with WebSocket APIs only (its hooks run on every request):
 * messages up to the body limit; on shutdown each open socket is closed with 1001 ("going away").
 */
export function registerWebSocketPlugin(app: FastifyInstance, maxPayload: number): void {
  void app.register(websocketPlugin, {
    options: { maxPayload },
    preClose(done) {
      for (const client of this.websocketServer.clients) client.close(CLOSE.goingAway, "the server is stopping");
      this.websocketServer.close(() => done());
    },
  });
}

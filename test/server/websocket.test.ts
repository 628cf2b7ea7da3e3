// WebSocket APIs (a method taking AsyncIterable<Message> and returning a stream), served by the
// bento as a container runs it and called with a plain `ws` client and with the generated client:
// messages validated and revived, replies encoded, an empty frame ending the input, close codes
// for a bad message, a service error, a failure and the idle timeout, the Context signal aborted
// when the client goes, and backpressure towards a reader that stops reading.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { writeFilesAtomically } from "../../cli/write-files.js";
import { generateClient } from "../../generators/client/index.js";
import { buildBento, postJson, until, type BuiltBento, type SpawnedBento } from "../support/bento-server.js";

const SERVICE = `
import { api, NotFound, service, type Context } from "bentoc";

export interface Note {
  /** @minLength 1 */
  text: string;
  at: Date;
}

export interface Numbered extends Note {
  n: number;
}

const seen = { aborted: [] as string[], produced: 0 };

@service({ traffic: { timeout: 1 } })
export class Live {
  /** Echoes each note back, numbered. */
  @api()
  async *echo(notes: AsyncIterable<Note>): AsyncGenerator<Numbered> {
    let n = 0;
    for await (const note of notes) {
      if (!(note.at instanceof Date)) throw new Error("the message was not revived");
      yield { ...note, at: new Date(note.at.getTime() + 1000), n: ++n };
    }
  }

  /** A streaming transformer: a reply per word of each line. */
  @api()
  async *words(lines: AsyncIterable<string>): AsyncGenerator<string> {
    for await (const line of lines) for (const word of line.split(" ")) yield word.toUpperCase();
  }

  /** Names it knows, or a 404 of its own. */
  @api()
  async *lookup(names: AsyncIterable<string>): AsyncGenerator<string> {
    for await (const name of names) {
      if (name === "nope") throw new NotFound("no one named nope");
      if (name === "crash") throw new Error("secret internals");
      yield name;
    }
  }

  /** Replies to nothing: waits until the client goes, and notes that its signal fired. */
  @api()
  async *hold(pings: AsyncIterable<number>, ctx: Context): AsyncGenerator<number> {
    ctx.signal.addEventListener("abort", () => seen.aborted.push(ctx.requestId));
    for await (const ping of pings) if (ping < 0) yield ping;
  }

  /** count replies of 1 KiB for each message. */
  @api()
  async *flood(counts: AsyncIterable<number>): AsyncGenerator<string> {
    for await (const count of counts) {
      for (let i = 0; i < count; i++) {
        seen.produced++;
        yield String(i).padStart(1024, ".");
      }
    }
  }

  @api()
  async seen(): Promise<{ aborted: string[]; produced: number }> {
    return seen;
  }
}
`;

let built: BuiltBento;
let bento: SpawnedBento;
let wsBase: string;
beforeAll(async () => {
  built = await buildBento(SERVICE);
  bento = await built.spawn();
  wsBase = bento.url.replace(/^http/, "ws");
}, 60_000);
afterAll(async () => {
  await bento?.close();
  built?.remove();
});

/** A raw socket: the frames it received and how it closed. */
function open(route: string, headers: Record<string, string> = {}) {
  const socket = new WebSocket(`${wsBase}${route}`, { headers });
  const received: string[] = [];
  socket.on("message", (data) => received.push(String(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on("close", (code, reason) => resolve({ code, reason: String(reason) })));
  const opened = new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  return { socket, received, closed, opened };
}

describe("a WebSocket API, from a plain ws client", () => {
  it("answers each message, revived and encoded, and closes 1000 once an empty frame ends the input", async () => {
    const { socket, received, closed, opened } = open("/echo");
    await opened;
    socket.send(JSON.stringify({ text: "a", at: "2026-01-01T00:00:00.000Z" }));
    socket.send(JSON.stringify({ text: "b", at: "2026-01-01T00:00:01.000Z" }));
    socket.send("");
    expect(await closed).toEqual({ code: 1000, reason: "" });
    expect(received.map((text) => JSON.parse(text))).toEqual([
      { text: "a", at: "2026-01-01T00:00:01.000Z", n: 1 },
      { text: "b", at: "2026-01-01T00:00:02.000Z", n: 2 },
    ]);
  });

  it.each([
    ["a message that fails the schema", JSON.stringify({ text: "", at: "2026-01-01T00:00:00.000Z" }), /^message 1: \/text must NOT have fewer than 1 characters/],
    ["a message that is not JSON", "{oops", /^message 1 is not JSON/],
  ])("closes 1007 at %s, saying what is wrong", async (_what, frame, reason) => {
    const { socket, closed, opened } = open("/echo");
    await opened;
    socket.send(frame);
    const { code, reason: said } = await closed;
    expect(code).toBe(1007);
    expect(said).toMatch(reason);
  });

  it("closes 4000 + the status of a service's own error with its message, and 1011 for another failure, telling nothing of it", async () => {
    const missing = open("/lookup");
    await missing.opened;
    missing.socket.send(JSON.stringify("ada"));
    missing.socket.send(JSON.stringify("nope"));
    expect(await missing.closed).toEqual({ code: 4404, reason: "no one named nope" });
    expect(missing.received).toEqual([JSON.stringify("ada")]);
    const crash = open("/lookup");
    await crash.opened;
    crash.socket.send(JSON.stringify("crash"));
    expect(await crash.closed).toEqual({ code: 1011, reason: "The API failed" });
  });

  it("aborts the method's Context signal when the client closes", async () => {
    const { socket, opened } = open("/hold", { "x-request-id": "ws-hold-1" });
    await opened;
    socket.send(JSON.stringify(1));
    socket.close(1000);
    await until(async () => ((await postJson(`${bento.url}/seen`, {})).body.aborted as string[]).includes("ws-hold-1") || undefined, "the signal to fire");
  });

  it("closes 4408 after the traffic timeout without a message either way", async () => {
    const { closed, opened } = open("/hold");
    await opened;
    expect(await closed).toEqual({ code: 4408, reason: "no message either way for 1 s" });
  });

  it("stops producing while the client does not read, and delivers every reply once it reads again", async () => {
    const count = 20_000; // 20 MB of replies: more than the socket buffers hold
    const before = (await postJson(`${bento.url}/seen`, {})).body.produced as number;
    const { socket, received, closed, opened } = open("/flood");
    await opened;
    socket.pause();
    socket.send(JSON.stringify(count));
    socket.send("");
    const plateau = await until(async () => {
      const first = (await postJson(`${bento.url}/seen`, {})).body.produced as number;
      await new Promise((resolve) => setTimeout(resolve, 300));
      const second = (await postJson(`${bento.url}/seen`, {})).body.produced as number;
      return second === first && second > before ? second - before : undefined;
    }, "production to stop while the client does not read", 10_000);
    expect(plateau).toBeLessThan(count);
    socket.resume();
    expect((await closed).code).toBe(1000);
    expect(received).toHaveLength(count);
    expect(JSON.parse(received[count - 1]!)).toBe(String(count - 1).padStart(1024, "."));
  }, 30_000);
});

describe("a WebSocket open when the server stops", () => {
  it("is closed 1001 on SIGTERM, and the process exits 0", async () => {
    const own = await built.spawn();
    const socket = new WebSocket(`${own.url.replace(/^http/, "ws")}/hold`);
    const closed = new Promise<number>((resolve) => socket.on("close", (code) => resolve(code)));
    await new Promise((resolve) => socket.once("open", resolve));
    own.child.kill("SIGTERM");
    expect(await closed).toBe(1001);
    expect(await own.exited).toBe(0);
  });
});

describe("a WebSocket API, from the generated client", () => {
  interface LiveClient {
    echo(messages: Iterable<{ text: string; at: Date }>, options?: object): AsyncIterable<{ text: string; at: Date; n: number }>;
    words(messages: AsyncIterable<string>, options?: object): AsyncIterable<string>;
    lookup(messages: Iterable<string>, options?: object): AsyncIterable<string>;
  }
  let client: LiveClient;
  let generated: Record<string, new (...args: never[]) => unknown>;
  beforeAll(async () => {
    const clientDir = path.join(built.dir, "client");
    writeFilesAtomically(clientDir, generateClient(built.manifest));
    await build({ entryPoints: [path.join(clientDir, "client.ts")], outfile: path.join(clientDir, "client.mjs"), bundle: true, format: "esm", platform: "neutral", target: "es2022", logLevel: "silent" });
    generated = (await import(pathToFileURL(path.join(clientDir, "client.mjs")).href)) as typeof generated;
    const LiveClient = generated.LiveClient as unknown as new (options: object) => LiveClient;
    // Node 20 has no global WebSocket: the client takes the ws package's.
    client = new LiveClient({ baseUrl: bento.url, WebSocket });
  });

  it("sends the messages and yields the replies, revived", async () => {
    const replies = [];
    for await (const reply of client.echo([{ text: "a", at: new Date("2026-01-01T00:00:00Z") }, { text: "b", at: new Date("2026-01-01T00:00:01Z") }])) replies.push(reply);
    expect(replies.map((reply) => [reply.text, reply.at instanceof Date && reply.at.toISOString(), reply.n])).toEqual([["a", "2026-01-01T00:00:01.000Z", 1], ["b", "2026-01-01T00:00:02.000Z", 2]]);
  });

  it("transforms a stream of messages as they come", async () => {
    async function* lines() {
      yield "hello there";
      await new Promise((resolve) => setTimeout(resolve, 20));
      yield "general kenobi";
    }
    const words: string[] = [];
    for await (const word of client.words(lines())) words.push(word);
    expect(words).toEqual(["HELLO", "THERE", "GENERAL", "KENOBI"]);
  });

  it("throws the typed error of the close code", async () => {
    const names: string[] = [];
    const error = await (async () => {
      for await (const name of client.lookup(["ada", "nope"])) names.push(name);
    })().then(() => undefined, (failure: unknown) => failure as Error & { status: number });
    expect(names).toEqual(["ada"]);
    expect(error).toBeInstanceOf(generated.NotFoundError!);
    expect([error!.status, error!.message]).toEqual([404, "GET /lookup (WebSocket) failed with 404: no one named nope"]);
    const invalid = await (async () => {
      for await (const reply of client.echo([{ text: "", at: new Date() }])) void reply;
    })().then(() => undefined, (failure: unknown) => failure);
    expect(invalid).toBeInstanceOf(generated.ValidationError!);
  });
});

describe("the OpenAPI document", () => {
  it("describes a WebSocket API as a GET with its message and reply schemas in x-bentoc-websocket", async () => {
    const document = (await (await fetch(`${bento.url}/docs.json`)).json()) as { paths: Record<string, Record<string, { "x-bentoc-websocket"?: { messages: unknown; replies: unknown }; responses: Record<string, unknown> }>> };
    const echo = document.paths["/echo"]!;
    expect(Object.keys(echo)).toEqual(["get"]);
    expect(echo.get!["x-bentoc-websocket"]).toEqual({ messages: { $ref: "#/components/schemas/Note" }, replies: { $ref: "#/components/schemas/Numbered" } });
    expect(Object.keys(echo.get!.responses)).toContain("101");
  });
});

// One benchmark server per process, so the load generator never shares an event loop with it.
//   node dist/bench/http-servers.js bento <server.mjs>         the generated server with a bento's default options (JSON logs at info)
//   node dist/bench/http-servers.js bento-silent <server.mjs>  the same at log level silent
//   node dist/bench/http-servers.js bento-traced <server.mjs>  as shipped, exporting traces (OTEL_* set by the bench)
//   node dist/bench/http-servers.js generated <server.mjs>     the generated server with no logger
//   node dist/bench/http-servers.js fastify                    a hand-written Fastify 5 route
//   node dist/bench/http-servers.js fastify-logger             the same with Fastify's logger on
//   node dist/bench/http-servers.js node-http                a raw node:http JSON server
// Started with an IPC channel (child_process.fork): it listens on 127.0.0.1 at a free port,
// sends `{ kind, port }`, answers the message "cpu" with its CPU time so far (`{ cpu }`), and
// on "stop" closes and exits 0 (so `--cpu-prof` profiles get written). It exits too when the
// parent goes away.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import Fastify from "fastify";
import type { BentoServer, ServerOptions } from "../runtime/index.js";
import { BODY_SCHEMA, RESPONSE_SCHEMA, ROUTE, SERVER_KINDS, scoreOf, type ScoreRequest, type ServerCpu, type ServerKind, type ServerReady } from "./http-fixture.js";

const HOST = "127.0.0.1";

interface Running {
  port: number;
  close(): Promise<void>;
}

/**
 * The generated server as `bentoc serve` builds it, on a free port, with `options` on top of
 * the defaults (no options: what the bento's entry point runs with an empty environment).
 */
async function startGenerated(serverModule: string | undefined, options: ServerOptions): Promise<Running> {
  if (!serverModule) throw new Error("generated: the path of the bundled server.mjs is required");
  const { createServer } = (await import(pathToFileURL(serverModule).href)) as { createServer(options?: ServerOptions): BentoServer };
  const server = createServer({ port: 0, host: HOST, ...options });
  await server.listen();
  return { port: (server.app.server.address() as AddressInfo).port, close: () => server.close() };
}

/** What a developer would write by hand: the same method, the same schemas, Fastify's defaults. */
class Scorer {
  async score(name: string, age: number, tags: string[]): Promise<{ name: string; score: number; tags: number }> {
    return { name, score: age * 2 + tags.length, tags: tags.length };
  }
}

async function startFastify(logger: boolean): Promise<Running> {
  const scorer = new Scorer();
  const app = Fastify({ logger });
  app.post<{ Body: ScoreRequest }>(ROUTE, { schema: { body: BODY_SCHEMA, response: { 200: RESPONSE_SCHEMA } } }, async (request) => {
    const { name, age, tags } = request.body;
    return scorer.score(name, age, tags);
  });
  await app.listen({ port: 0, host: HOST });
  return { port: (app.server.address() as AddressInfo).port, close: () => app.close() };
}

/** The floor: parse the JSON body, answer the same object with JSON.stringify; no validation, no framework. */
async function startNodeHttp(): Promise<Running> {
  const server: Server = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== "POST" || request.url !== ROUTE) {
      response.writeHead(404).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      let body: ScoreRequest;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ScoreRequest;
      } catch {
        response.writeHead(400, { "content-type": "application/json; charset=utf-8" }).end('{"error":"Malformed JSON"}');
        return;
      }
      const text = JSON.stringify(scoreOf(body));
      response.writeHead(200, { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(text) }).end(text);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, HOST, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function start(kind: ServerKind, serverModule: string | undefined): Promise<Running> {
  switch (kind) {
    case "bento": return startGenerated(serverModule, {});
    case "bento-silent": return startGenerated(serverModule, { logLevel: "silent" });
    // As shipped, with the OTEL_* variables (set by the bench) asking for traces.
    case "bento-traced": return startGenerated(serverModule, {});
    case "generated": return startGenerated(serverModule, { logger: false });
    case "fastify": return startFastify(false);
    case "fastify-logger": return startFastify(true);
    case "node-http": return startNodeHttp();
  }
}

async function main(): Promise<void> {
  const kind = process.argv[2] as ServerKind;
  if (!SERVER_KINDS.includes(kind)) throw new Error(`usage: http-servers.js <${SERVER_KINDS.join("|")}> [server.mjs]; got ${JSON.stringify(kind)}`);
  if (!process.send) throw new Error("http-servers.js reports its port over IPC: start it with child_process.fork");
  const running = await start(kind, process.argv[3]);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    running.close().then(() => process.exit(0), (error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  };
  process.on("message", (message) => {
    if (message === "stop") stop();
    else if (message === "cpu") process.send!({ cpu: process.cpuUsage() } satisfies ServerCpu);
  });
  process.once("disconnect", stop);
  const ready: ServerReady = { kind, port: running.port };
  process.send(ready);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

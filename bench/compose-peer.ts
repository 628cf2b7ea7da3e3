// The peer of `npm run bench:compose` in split mode: what a developer would write by hand for a
// gateway in front of a preprocessing service, two Fastify servers with the bento's routes and
// schemas, the front one calling the back one over a keep-alive undici Pool.
//   node dist/bench/compose-peer.js back                 POST /normalize {values} → the unit vector
//   node dist/bench/compose-peer.js front <back origin>  POST /score {values} → { score, unit }
// Started with an IPC channel (child_process.fork): it listens on 127.0.0.1 at a free port,
// sends `{ port }`, and on "stop" (or when the parent goes away) closes and exits 0 (so
// `--cpu-prof` profiles get written).
import type { AddressInfo } from "node:net";
import Fastify, { type FastifyInstance } from "fastify";
import { Pool } from "undici";
import { DEPENDENCY_ROUTE, GATEWAY_ROUTE, SCORE_SCHEMA, UNIT_SCHEMA, VECTOR_BODY_SCHEMA, scoreOf, unitVector, type VectorRequest } from "./compose-fixture.js";

const HOST = "127.0.0.1";
/** How long the front waits for the back: nothing in the bench comes near it. */
const CALL_TIMEOUT_MS = 10_000;

function back(): { app: FastifyInstance; close(): Promise<void> } {
  const app = Fastify({ logger: false });
  app.post<{ Body: VectorRequest }>(DEPENDENCY_ROUTE, { schema: { body: VECTOR_BODY_SCHEMA, response: { 200: UNIT_SCHEMA } } }, async (request) => unitVector(request.body.values));
  return { app, close: () => app.close() };
}

function front(backOrigin: string): { app: FastifyInstance; close(): Promise<void> } {
  const pool = new Pool(backOrigin, { headersTimeout: CALL_TIMEOUT_MS, bodyTimeout: CALL_TIMEOUT_MS });
  const app = Fastify({ logger: false });
  app.post<{ Body: VectorRequest }>(GATEWAY_ROUTE, { schema: { body: VECTOR_BODY_SCHEMA, response: { 200: SCORE_SCHEMA } } }, async (request) => {
    const response = await pool.request({
      method: "POST",
      path: DEPENDENCY_ROUTE,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ values: request.body.values }),
    });
    if (response.statusCode !== 200) {
      const text = await response.body.text();
      throw new Error(`${DEPENDENCY_ROUTE} answered ${response.statusCode}: ${text.slice(0, 200)}`);
    }
    return scoreOf((await response.body.json()) as number[]);
  });
  return {
    app,
    close: async () => {
      await app.close();
      await pool.close();
    },
  };
}

async function main(): Promise<void> {
  const [role, backOrigin] = process.argv.slice(2);
  if (!(role === "back" || (role === "front" && backOrigin))) throw new Error(`usage: compose-peer.js back | front <back origin>; got ${JSON.stringify(process.argv.slice(2))}`);
  if (!process.send) throw new Error("compose-peer.js reports its port over IPC: start it with child_process.fork");
  const server = role === "back" ? back() : front(backOrigin!);
  await server.app.listen({ port: 0, host: HOST });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    server.close().then(() => process.exit(0), (error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  };
  process.on("message", (message) => message === "stop" && stop());
  process.once("disconnect", stop);
  process.send({ port: (server.app.server.address() as AddressInfo).port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

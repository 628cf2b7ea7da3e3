import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { BentocHttpError, notFound } from "./errors.js";
import type { ServerMetrics } from "./metrics.js";
import { echoRequestId } from "./request-id.js";

const require = createRequire(import.meta.url);

// Swagger UI is served from the installed package: the docs work with no network.
export const SWAGGER_FILES: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "application/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>API docs</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;
const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: "/docs.json", dom_id: "#swagger-ui", deepLinking: true });\n`;

/** What a worker of a multi-worker bento answers for the whole cluster, through its primary (runtime/workers). */
export interface ClusterOperations {
  /** Workers ready out of those the bento runs, as the primary last said. */
  readiness(): { ready: number; expected: number };
  /** Every worker's metrics, summed. */
  metrics(): Promise<{ contentType: string; text: string }>;
}

// One server per process: a worker process sets this before it builds its server.
let clusterOperations: ClusterOperations | undefined;

/** Makes `/readyz` and `/metrics` of this process answer for the cluster (called once in each worker). */
export function answerForCluster(operations: ClusterOperations): void {
  clusterOperations = operations;
}

/** /livez, /readyz, /metrics, /docs.json and /docs: what every bento server answers besides its APIs. */
export function registerOperationalRoutes(app: FastifyInstance, state: { isReady(): boolean; unreachableDependencies(): Promise<string[]>; metrics: ServerMetrics; openapi: object }): void {
  const noLog = { logLevel: "warn" as const, onRequest: echoRequestId };
  app.get("/livez", noLog, async () => ({ status: "ok" }));
  app.get("/readyz", noLog, async (_request, reply) => {
    if (!state.isReady()) return reply.code(503).header("retry-after", "1").send({ status: "starting", error: "Server is starting; retry later" });
    const unreachable = await state.unreachableDependencies();
    if (unreachable.length > 0) return reply.code(503).header("retry-after", "1").send({ status: "degraded", error: `Dependencies are unreachable: ${unreachable.join(", ")}; retry later` });
    const workers = clusterOperations?.readiness();
    if (!workers) return { status: "ready" };
    if (workers.ready >= workers.expected) return { status: "ready", workers };
    return reply.code(503).header("retry-after", "1").send({ status: "degraded", error: `${workers.ready} of ${workers.expected} workers are ready; retry later`, workers });
  });
  app.get("/metrics", noLog, async (_request, reply) => {
    if (!clusterOperations) return reply.type(state.metrics.contentType).send(await state.metrics.text());
    const cluster = await clusterOperations.metrics().catch((error: unknown) => {
      throw new BentocHttpError(503, `The workers' metrics could not be gathered (${(error as Error).message}); retry later`, {}, { "retry-after": "1" });
    });
    return reply.type(cluster.contentType).send(cluster.text);
  });
  app.get("/docs.json", { onRequest: echoRequestId }, async () => state.openapi);
  app.get("/docs", async (_request, reply) => reply.type("text/html; charset=utf-8").send(DOCS_PAGE));
  // A person who opens the server's address in a browser wants the docs; any other client gets
  // the usual JSON 404. Relative, so it holds behind a proxy that serves the bento under a path.
  app.get("/", { onRequest: echoRequestId }, async (request, reply) => {
    if (!/\btext\/html\b/i.test(request.headers.accept ?? "")) throw notFound("GET", "/");
    return reply.redirect("./docs", 302);
  });
  app.get("/docs/init.js", async (_request, reply) => reply.type("application/javascript; charset=utf-8").send(DOCS_INIT));
  const swaggerDir = path.dirname(require.resolve("swagger-ui-dist/package.json"));
  for (const [file, type] of Object.entries(SWAGGER_FILES)) {
    app.get(`/docs/${file}`, async (_request, reply) => reply.type(type).header("cache-control", "public, max-age=86400").send(fs.createReadStream(path.join(swaggerDir, file))));
  }
}

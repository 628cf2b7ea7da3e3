// Builds the generated server that the HTTP benchmarks measure (bench/http.bench.ts and
// bench/http-instructions.ts): the benchmark service compiled and bundled as `bentoc serve` does.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { bundleServer } from "../cli/bundle.js";
import { formatDiagnostics } from "../cli/code-frame.js";
import { compileService } from "../compiler/index.js";
import { BODY_SCHEMA, RESPONSE_SCHEMA, ROUTE, SERVICE_SOURCE } from "./http-fixture.js";
import { BenchFailure } from "./server-process.js";

/**
 * Compiles and bundles the benchmark service in `folder` (inside the package, so the service's
 * `import "bentoc"` resolves to dist/); returns the path of the bundled `server.mjs`.
 */
export async function buildGeneratedServer(folder: string, root: string): Promise<string> {
  mkdirSync(folder, { recursive: true });
  const servicePath = join(folder, "service.ts");
  writeFileSync(servicePath, SERVICE_SOURCE);
  const { manifest, diagnostics } = compileService(servicePath);
  if (!manifest) {
    throw new BenchFailure(`bentoc could not compile the benchmark service:\n${formatDiagnostics(diagnostics, { color: false, cwd: root })}`);
  }
  const api = manifest.services[0]?.apis.find((candidate) => candidate.route === ROUTE);
  if (!api) throw new BenchFailure(`the compiled service has no API at ${ROUTE}`);
  // The comparison is fair only if both servers validate and serialise through the same schemas.
  if (!isDeepStrictEqual(api.input.schema, BODY_SCHEMA)) {
    throw new BenchFailure(`the hand-written Fastify body schema differs from bentoc's:\n  bentoc: ${JSON.stringify(api.input.schema)}\n  Fastify: ${JSON.stringify(BODY_SCHEMA)}`);
  }
  if (!isDeepStrictEqual(api.output.schema, RESPONSE_SCHEMA)) {
    throw new BenchFailure(`the hand-written Fastify response schema differs from bentoc's:\n  bentoc: ${JSON.stringify(api.output.schema)}\n  Fastify: ${JSON.stringify(RESPONSE_SCHEMA)}`);
  }
  const outDir = join(folder, "server");
  await bundleServer(manifest, servicePath, outDir);
  return join(outDir, "server.mjs");
}

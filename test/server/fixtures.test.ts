import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleServer } from "../../cli/bundle.js";
import { readBentoYaml } from "../../manifest/bento-yaml.js";
import { MULTIPART_MEDIA_TYPE, type BentoManifest } from "../../manifest/types.js";
import type { BentoServer, ServerOptions } from "../../runtime/index.js";
import { ensureRuntimeBuilt, postJson, REPO_ROOT } from "../support/bento-server.js";
import { listFixtures } from "../support/fixtures.js";
import { manifestSchemaValidator } from "../support/json-schema.js";

interface SampleSet {
  valid?: unknown[];
  invalid?: { value: unknown; why: string }[];
}
type Samples = Record<string, { input?: SampleSet; output?: SampleSet }>;

// Every type-mapping fixture served for real: its golden manifest (kept current by the golden
// suite) bundled with its service, each valid input sample sent over HTTP, each invalid one refused.
const fixtures = listFixtures().filter((fixture) => !fixture.expectedCode);

// The server does not validate results; where a fixture's method returns what its own JSDoc
// constraints forbid, only the status is checked.
const OUTPUT_NOT_CHECKED: Record<string, string> = {
  "utility-types/patch": "returns name: \"\" when the patch has no name, which PublicUser's @minLength 1 forbids",
};

let work: string;
beforeAll(async () => {
  await ensureRuntimeBuilt();
  work = fs.mkdtempSync(path.join(REPO_ROOT, ".bentoc-tmp-"));
});
afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe.each(fixtures)("fixture $name served on 127.0.0.1", (fixture) => {
  it("answers every valid input sample with 200 and a result its output schema accepts, every invalid one with 400 and a path", async () => {
    const manifest: BentoManifest = readBentoYaml(fs.readFileSync(path.join(fixture.dir, "expected", "bento.yaml"), "utf8"));
    const samples = JSON.parse(fs.readFileSync(path.join(fixture.dir, "samples.json"), "utf8")) as Samples;
    const outDir = path.join(work, fixture.name);
    await bundleServer(manifest, fixture.serviceFile, outDir);
    const { createServer } = (await import(pathToFileURL(path.join(outDir, "server.mjs")).href)) as { createServer(options: ServerOptions): BentoServer };
    const server = createServer({ port: 0, host: "127.0.0.1", logger: false, processMetrics: false, taskStore: "memory" });
    const url = await server.listen();
    try {
      const validator = manifestSchemaValidator(manifest);
      for (const api of manifest.services.flatMap((service) => service.apis)) {
        if (api.input.mediaTypes.includes(MULTIPART_MEDIA_TYPE)) continue; // file uploads: multipart.test.ts
        if (api.kind === "websocket") continue; // a GET that upgrades: websocket.test.ts
        const validOutput = validator(OUTPUT_NOT_CHECKED[`${fixture.name}/${api.name}`] ? true : api.output.schema);
        // A task's arguments go to its submit route, which answers with the task's id (tasks.test.ts runs them).
        const route = api.kind === "task" ? `${api.route}/submit` : api.route;
        for (const input of samples[api.name]?.input?.valid ?? []) {
          const response = await postJson(`${url}${route}`, input, { accept: "application/x-ndjson, application/json" });
          const label = `${api.name}(${JSON.stringify(input)}) → ${response.text.slice(0, 300)}`;
          expect(response.status, label).toBe(200);
          if (api.kind === "task") {
            expect(response.body, label).toEqual({ task_id: expect.any(String), status: expect.any(String) });
          } else if (api.kind === "stream") {
            for (const line of response.text.split("\n").filter(Boolean)) expect(validOutput(JSON.parse(line)), `${label}: ${JSON.stringify(validOutput.errors)}`).toBe(true);
          } else if (api.output.mediaTypes.includes("application/json")) {
            expect(validOutput(JSON.parse(response.text)), `${label}: ${JSON.stringify(validOutput.errors)}`).toBe(true);
          }
        }
        for (const { value, why } of samples[api.name]?.input?.invalid ?? []) {
          const response = await postJson(`${url}${route}`, value);
          expect(response.status, `${api.name}(${JSON.stringify(value)}) should be refused: ${why}`).toBe(400);
          expect(typeof response.body.path, response.text).toBe("string");
        }
      }
    } finally {
      await server.close();
    }
  });
});

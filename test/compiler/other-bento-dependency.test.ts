// depends() on a service of another bento, named by the client class bentoc generated for it:
// the manifest lists it in `externalDependencies`, the project's own type check holds the calls
// to that client's types, a name whose URL variable another service reads too is BTC1017, and
// the Kubernetes Deployment finds it at the Service that bento's own manifests name it by.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileService } from "../../compiler/index.js";
import { generateClient } from "../../generators/client/index.js";
import { generateKubernetes } from "../../generators/k8s/index.js";
import { REPO_ROOT } from "../support/run-cli.js";
import { writeBelow } from "../support/write-below.js";

const work = fs.mkdtempSync(path.join(REPO_ROOT, ".bentoc-tmp-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const write = (relative: string, text: string): string => writeBelow(work, relative, text);

/** Compiles a one-service bento named `bento` and writes its generated client to `<clientDir>/`. */
function otherBento(bento: string, serviceName: string, clientDir: string): void {
  const file = write(`${bento}/service.ts`, `import { api, service, task } from "bentoc";
@service({ name: "${serviceName}" })
export class Impl {
  @api() async stamp(at: Date, count?: number): Promise<{ at: Date; count: number }> { return { at, count: count ?? 0 }; }
  @api() async *ticks(from: number): AsyncGenerator<number> { yield from; }
  @task() async tally(items: string[]): Promise<number> { return items.length; }
}
`);
  const result = compileService(file);
  expect(result.diagnostics).toEqual([]);
  for (const [name, text] of generateClient({ ...result.manifest!, name: bento })) write(`${clientDir}/${name}`, text);
}

const gateway = (imports: string, fields: string, body = "") => `import { api, depends, service, type Context } from "bentoc";
${imports}

@service()
export class Gateway {
${fields}

  @api()
  async when(at: string, ctx: Context): Promise<string> {
${body || "    return at;"}
  }
}
`;

/** The project's own type check of a service file. */
function typeErrors(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    useDefineForClassFields: true, skipLibCheck: true, noEmit: true, types: [], lib: ["lib.es2022.d.ts", "lib.dom.d.ts"],
    paths: { bentoc: [path.join(REPO_ROOT, "sdk/index.ts")] },
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
}

describe("depends() on the generated client of another bento's service", () => {
  beforeAll(() => otherBento("clock-bento", "Clock", "app/clock-client"));

  it("lists the service and its bento in the manifest's externalDependencies, not among this bento's services", () => {
    const entry = write("app/service.ts", gateway(`import { ClockClient } from "./clock-client/client.js";`, "  private readonly clock = depends(ClockClient);\n  private readonly again = depends(ClockClient);"));
    const result = compileService(entry);
    expect(result.diagnostics).toEqual([]);
    expect(result.manifest!.services.map((service) => [service.name, service.dependencies, service.externalDependencies])).toEqual([
      ["Gateway", [], [{ bento: "clock-bento", service: "Clock" }]],
    ]);
  });

  it("types each call by that client: named arguments, the result, a stream, a task's submit, and the dependency's call options", () => {
    const good = write("typed/service.ts", gateway(`import { ClockClient } from "../app/clock-client/client.js";`, "  private readonly clock = depends(ClockClient);", `    const stamped = await this.clock.stamp({ at: new Date(at) }, { context: ctx, timeoutMs: 100 });
    const year: number = stamped.at.getUTCFullYear();
    for await (const tick of this.clock.ticks({ from: year })) void (tick satisfies number);
    const handle = await this.clock.tally.submit({ items: ["a"] }, { signal: ctx.signal });
    const count: number = await handle.result();
    return String(count);`));
    expect(typeErrors(good)).toEqual([]);
    const bad = write("untyped/service.ts", gateway(`import { ClockClient } from "../app/clock-client/client.js";`, "  private readonly clock = depends(ClockClient);", `    await this.clock.stamp({ at });
    await this.clock.tally({ items: [] });
    return "";`));
    const errors = typeErrors(bad);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/Type 'string' is not assignable to type 'Date'/);
    expect(errors[1]).toMatch(/not callable|has no call signatures/);
  });

  it("reports BTC1017 where the service's URL variable is read for a service of this bento, or of a third bento, too", () => {
    otherBento("other-clocks", "clock", "clash/other-clock-client");
    const local = write("clash/local.ts", `${gateway(`import { ClockClient } from "../app/clock-client/client.js";`, "  private readonly clock = depends(ClockClient);")}
@service({ name: "CLOCK" })
export class LocalClock {
  @api() async now(): Promise<string> { return ""; }
}
`);
    expect(compileService(local).diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message])).toEqual([[
      "BTC1017",
      "depends(ClockClient) calls the service 'Clock' of the bento 'clock-bento' at the URL in BENTOC_DEPENDENCY_CLOCK_URL, which already reaches this bento's service 'CLOCK'. Services called over HTTP need names that differ once upper-cased: rename one of them.",
    ]]);
    const third = write("clash/third.ts", gateway(`import { ClockClient } from "../app/clock-client/client.js";\nimport { clockClient as OtherClock } from "./other-clock-client/client.js";`, "  private readonly clock = depends(ClockClient);\n  private readonly other = depends(OtherClock);"));
    expect(compileService(third).diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message])).toEqual([[
      "BTC1017",
      "depends(OtherClock) calls the service 'clock' of the bento 'other-clocks' at the URL in BENTOC_DEPENDENCY_CLOCK_URL, which already reaches the service 'Clock' of the bento 'clock-bento'. Services called over HTTP need names that differ once upper-cased: rename one of them.",
    ]]);
  });

  it("reports BTC1015 for a class whose bentoService is not what a generated client states", () => {
    const entry = write("forged/service.ts", gateway(`class Forged {\n  static readonly bentoService = { bento: "Not A Bento Name", service: "Clock" } as const;\n}`, "  private readonly forged = depends(Forged as never);"));
    const codes = compileService(entry).diagnostics.map((diagnostic) => diagnostic.code);
    expect(codes).toEqual(["BTC1015"]);
  });

  it("sets the Deployment's BENTOC_DEPENDENCY_CLOCK_URL to the other bento's Kubernetes Service, unless the service sets it itself", () => {
    const urlOf = (yamlText: string) => {
      const deployment = parseAllDocuments(yamlText).map((document) => document.toJS()).find((object) => object?.kind === "Deployment");
      return deployment.spec.template.spec.containers[0].env.filter((variable: { name: string }) => variable.name === "BENTOC_DEPENDENCY_CLOCK_URL");
    };
    const entry = write("k8s/service.ts", gateway(`import { ClockClient } from "../app/clock-client/client.js";`, "  private readonly clock = depends(ClockClient);"));
    const manifest = compileService(entry).manifest!;
    const files = (m: typeof manifest) => [...generateKubernetes(m).values()].join("\n---\n");
    expect(urlOf(files(manifest))).toEqual([{ name: "BENTOC_DEPENDENCY_CLOCK_URL", value: "http://clock-bento-clock:3000" }]);
    const own = { ...manifest, services: manifest.services.map((service) => ({ ...service, config: { ...service.config, envs: [{ name: "BENTOC_DEPENDENCY_CLOCK_URL", value: "http://clock.ml.svc:3000" }] } })) };
    expect(urlOf(files(own))).toEqual([{ name: "BENTOC_DEPENDENCY_CLOCK_URL", value: "http://clock.ml.svc:3000" }]);
  });
});

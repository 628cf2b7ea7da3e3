import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDiagnostics } from "../../cli/code-frame.js";
import { compileService } from "../../compiler/index.js";
import { generateServer } from "../../generators/server/index.js";
import { readBentoYaml } from "../../manifest/bento-yaml.js";
import type { BentoManifest } from "../../manifest/types.js";
import { ensureRuntimeBuilt, REPO_ROOT } from "../support/bento-server.js";
import { listFixtures } from "../support/fixtures.js";

interface Case {
  name: string;
  serviceFile: string;
  manifest(): BentoManifest;
}

// The goldens are the compiled manifests (the golden suite keeps them current), so no fixture is compiled again here.
const cases: Case[] = [
  ...listFixtures()
    .filter((fixture) => !fixture.expectedCode)
    .map((fixture) => ({
      name: fixture.name,
      serviceFile: fixture.serviceFile,
      manifest: () => readBentoYaml(fs.readFileSync(path.join(fixture.dir, "expected", "bento.yaml"), "utf8")),
    })),
  {
    name: "example-quickstart",
    serviceFile: path.join(REPO_ROOT, "examples/quickstart/service.ts"),
    manifest: () => {
      const result = compileService(path.join(REPO_ROOT, "examples/quickstart/service.ts"));
      if (!result.manifest) throw new Error(formatDiagnostics(result.diagnostics, { color: false, cwd: REPO_ROOT }));
      return result.manifest;
    },
  },
];

// How a service author's project would check it: strict, Node's ESM resolution, standard decorators.
const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ["lib.es2023.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
  types: ["node"],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  esModuleInterop: true,
  forceConsistentCasingInFileNames: true,
};

// A control: a manifest that names a method its class lacks must fail the same check.
const CONTROL = "control-missing-method";

let work: string;
const generated: string[] = [];
beforeAll(async () => {
  await ensureRuntimeBuilt(); // "bentoc" and "bentoc/runtime" resolve to dist/ through the package's self-reference
  work = fs.mkdtempSync(path.join(REPO_ROOT, ".bentoc-tmp-"));
  const control: Case = {
    name: CONTROL,
    serviceFile: cases[0]!.serviceFile,
    manifest: () => {
      const manifest = cases[0]!.manifest();
      manifest.services[0]!.apis[0]!.method = "noSuchMethod";
      return manifest;
    },
  };
  for (const entry of [...cases, control]) {
    const outDir = path.join(work, entry.name);
    fs.mkdirSync(outDir, { recursive: true });
    let serviceModule = path.relative(outDir, entry.serviceFile).split(path.sep).join("/").replace(/\.ts$/, ".js");
    if (!serviceModule.startsWith(".")) serviceModule = `./${serviceModule}`;
    for (const [file, contents] of generateServer(entry.manifest(), { serviceModule })) {
      fs.writeFileSync(path.join(outDir, file), contents);
      generated.push(path.join(outDir, file));
    }
  }
});
afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe("generated servers", () => {
  it(`type-check with their services under strict NodeNext settings (${cases.length} bentos, one program)`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(31);
    const program = ts.createProgram({ rootNames: generated, options: COMPILER_OPTIONS });
    const all = ts.getPreEmitDiagnostics(program);
    const inControl = (diagnostic: ts.Diagnostic) => diagnostic.file?.fileName.includes(`/${CONTROL}/`) === true;
    expect(all.filter(inControl).map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")).join("\n")).toMatch(/noSuchMethod/);
    const diagnostics = all.filter((diagnostic) => !inControl(diagnostic));
    const text = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (file) => file,
      getCurrentDirectory: () => REPO_ROOT,
      getNewLine: () => "\n",
    });
    expect(text).toBe("");
    // Each generated server really was part of the program, with its service and the runtime's types.
    const files = new Set(program.getSourceFiles().map((file) => path.resolve(file.fileName)));
    for (const file of generated) expect(files.has(file), file).toBe(true);
    for (const entry of cases) expect(files.has(path.resolve(entry.serviceFile)), entry.serviceFile).toBe(true);
    expect([...files].some((file) => file.endsWith(path.join("dist", "runtime", "index.d.ts")))).toBe(true);
  });
});

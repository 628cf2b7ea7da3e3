import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileService, type CompileResult } from "../../compiler/index.js";
import type { BentoManifest, JsonSchema } from "../../manifest/types.js";
import { manifestSchemaValidator } from "../support/json-schema.js";
import { REPO_ROOT } from "../support/run-cli.js";

// Inside the repo so "bentoc" resolves to this package, as it does for an installed one.
const work = fs.mkdtempSync(path.join(REPO_ROOT, ".bentoc-tmp-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const TREE_LIB = `/** A binary tree of numbers. */
export interface Tree { value: number; left?: Tree; right?: Tree }
export interface List { value: number; next?: List }
export type Forest = Tree[];
`;

/** A project with a fake package in node_modules and TypeScript's DOM libs, as a browser-minded author has. */
function project(name: string, service: string): string {
  const dir = path.join(work, name);
  fs.mkdirSync(path.join(dir, "node_modules", "tree-lib"), { recursive: true });
  fs.writeFileSync(path.join(dir, "node_modules", "tree-lib", "package.json"), JSON.stringify({ name: "tree-lib", version: "1.0.0", types: "index.d.ts" }));
  fs.writeFileSync(path.join(dir, "node_modules", "tree-lib", "index.d.ts"), TREE_LIB);
  const compilerOptions = { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, skipLibCheck: true, noEmit: true, lib: ["ES2023", "DOM", "DOM.Iterable"] };
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["service.ts"] }));
  fs.writeFileSync(path.join(dir, "service.ts"), `import { api, service } from "bentoc";\n${service}`);
  return path.join(dir, "service.ts");
}

function codes(result: CompileResult): string[] {
  return result.diagnostics.map((diagnostic) => `${diagnostic.code}@${diagnostic.line}`);
}

function apiOf(manifest: BentoManifest, name: string) {
  return manifest.services[0]!.apis.find((candidate) => candidate.name === name)!;
}

describe("recursive types declared in a package", () => {
  const result = compileService(project("tree-lib", `import type { Forest, List, Tree } from "tree-lib";
@service() export class Trees {
  @api() async sum(tree: Tree): Promise<number> { return tree.value; }
  @api() async len(list: List): Promise<List> { return list; }
  @api() async plant(forest: Forest): Promise<Tree[]> { return forest; }
}
`));

  it("compile at once, with a $defs entry that refers back to itself", () => {
    expect(codes(result)).toEqual([]);
    const manifest = result.manifest!;
    expect(apiOf(manifest, "sum").input.schema).toMatchObject({ properties: { tree: { $ref: "#/$defs/Tree" } } });
    expect(manifest.$defs.Tree).toMatchObject({
      description: "A binary tree of numbers.",
      properties: { value: { type: "number" }, left: { $ref: "#/$defs/Tree" }, right: { $ref: "#/$defs/Tree" } },
      required: ["value"],
    });
    expect(manifest.$defs.List).toMatchObject({ properties: { next: { $ref: "#/$defs/List" } } });
    expect(apiOf(manifest, "len").output.schema).toEqual({ $ref: "#/$defs/List" });
    expect(manifest.$defs.Forest).toEqual({ type: "array", items: { $ref: "#/$defs/Tree" } });
  });

  it("accept a deep tree and refuse a bad node at any depth", () => {
    const manifest = result.manifest!;
    const validate = manifestSchemaValidator(manifest)(apiOf(manifest, "sum").input.schema as JsonSchema);
    const deep = { value: 1, left: { value: 2, right: { value: 3, left: { value: 4 } } } };
    expect(validate({ tree: deep })).toBe(true);
    expect(validate({ tree: { value: 1, left: { value: 2, right: { value: "3" } } } })).toBe(false);
  });
});

describe("a package's type and the user's own of the same name", () => {
  const result = compileService(project("clash", `import type { Tree as LibTree } from "tree-lib";
interface Tree { label: string }
@service() export class Clash {
  @api() async mine(tree: Tree): Promise<string> { return tree.label; }
  @api() async theirs(tree: LibTree): Promise<number> { return tree.value; }
}
`));

  it("get two $defs entries, the second suffixed", () => {
    expect(codes(result)).toEqual([]);
    const manifest = result.manifest!;
    expect(apiOf(manifest, "mine").input.schema).toMatchObject({ properties: { tree: { $ref: "#/$defs/Tree" } } });
    expect(apiOf(manifest, "theirs").input.schema).toMatchObject({ properties: { tree: { $ref: "#/$defs/Tree_2" } } });
    expect(manifest.$defs.Tree).toMatchObject({ properties: { label: { type: "string" } } });
    expect(manifest.$defs.Tree_2).toMatchObject({ properties: { left: { $ref: "#/$defs/Tree_2" } } });
  });
});

// A guard against hangs, not a timing assert: each of these used to run for minutes.
const HANG_GUARD_MS = 30_000;

describe("objects of the JavaScript host, from TypeScript's own libs", () => {
  it.each(["typeof globalThis", "typeof window", "Window", "Node", "NodeList", "Document", "HTMLElement", "CSSStyleDeclaration", "Math", "Console"])(
    "%s is refused with BTC2006 as a parameter and as a result",
    (typeText) => {
      const name = typeText.replace(/\W/g, "");
      const result = compileService(project(`host-${name}`, `@service() export class Host {
  @api() async echo(x: ${typeText}): Promise<${typeText}> { return x; }
}
`));
      expect(codes(result)).toEqual(["BTC2006@3", "BTC2006@3"]);
      expect(result.diagnostics[0]!.message).toMatch(/which JSON cannot carry\. It is a runtime object/);
    },
    HANG_GUARD_MS,
  );

  it("inside a value is refused where it appears, and the rest still maps", () => {
    const result = compileService(project("host-property", `interface Widget { id: string; root: HTMLElement; style?: CSSStyleDeclaration }
@service() export class Widgets {
  @api() async render(id: string): Promise<Widget> { return { id, root: document.body }; }
}
`));
    expect(codes(result)).toEqual(["BTC2006@2", "BTC2006@2"]);
  }, HANG_GUARD_MS);
});

describe("data types of TypeScript's own libs", () => {
  it("still map, inline", () => {
    const result = compileService(project("lib-data", `interface Order { id: string; total: number; note?: string }
@service() export class Data {
  @api() async when(at: Date): Promise<Date> { return at; }
  @api() async bytes(xs: Float32Array): Promise<Int16Array> { return new Int16Array(xs.length); }
  @api() async settle(xs: PromiseSettledResult<number>[]): Promise<ArrayLike<number>> { return []; }
  @api() async step(r: IteratorResult<number, string>): Promise<Partial<Order>> { return {}; }
  @api() async pick(o: Pick<Order, "id" | "total">): Promise<Record<string, Readonly<Order>>> { return {}; }
  @api() async rect(r: DOMRectInit): Promise<Required<DOMRectInit>> { return { x: 0, y: 0, width: 0, height: 0 }; }
}
`));
    expect(codes(result)).toEqual([]);
    const manifest = result.manifest!;
    expect(manifest.$defs).toEqual({});
    expect(apiOf(manifest, "when").output.schema).toMatchObject({ type: "string", format: "date-time" });
    expect(apiOf(manifest, "settle").input.schema).toMatchObject({ properties: { xs: { type: "array", items: { oneOf: [{ type: "object" }, { type: "object" }] } } } });
    expect(apiOf(manifest, "settle").output.schema).toMatchObject({ type: "object", properties: { length: { type: "number" } } });
    expect(apiOf(manifest, "step").input.schema).toMatchObject({ properties: { r: { anyOf: [{ type: "object" }, { type: "object" }] } } });
    expect(apiOf(manifest, "pick").output.schema).toMatchObject({ type: "object", additionalProperties: { required: ["id", "total"] } });
    expect(apiOf(manifest, "rect").output.schema).toMatchObject({ type: "object", required: ["height", "width", "x", "y"] });
  }, HANG_GUARD_MS);
});

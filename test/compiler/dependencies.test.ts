// depends() across files: a service of the compiled file may depend on a @service() class
// imported from another file (in its folder, below it or beside it); the manifest names each
// service's module relative to the compiled file, and the generated server imports it from there.
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compileService } from "../../compiler/index.js";
import { generateServer } from "../../generators/server/index.js";
import { REPO_ROOT } from "../support/run-cli.js";
import { writeBelow } from "../support/write-below.js";

const work = fs.mkdtempSync(path.join(REPO_ROOT, ".bentoc-tmp-"));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const write = (relative: string, text: string): string => writeBelow(work, relative, text);

const service = (name: string, body: string, imports = "") => `import { api, depends, service } from "bentoc";\n${imports}\n@service()\nexport class ${name} {\n${body}\n}\n`;

describe("depends() on services of other files", () => {
  it("compiles the services it reaches, transitively, each with its module relative to the compiled file", () => {
    write("app/models/embedder.ts", service("Embedder", `  private readonly tokenizer = depends(Tokenizer);\n  @api() async embed(texts: string[]): Promise<number[][]> { return texts.map(() => [1]); }`, `import { Tokenizer } from "../../shared/tokenizer.js";`));
    write("shared/tokenizer.ts", service("Tokenizer", `  @api() async tokens(text: string): Promise<string[]> { return text.split(" "); }`));
    const entry = write("app/service.ts", service("Gateway", `  private readonly embedder = depends(Embedder);\n  @api() async query(text: string): Promise<number> { return (await this.embedder.embed({ texts: [text] })).length; }`, `import { Embedder } from "./models/embedder.js";`));
    const result = compileService(entry);
    expect(result.diagnostics).toEqual([]);
    const services = result.manifest!.services.map((each) => [each.name, each.module, each.dependencies]);
    expect(services).toEqual([
      ["Gateway", "service.ts", ["Embedder"]],
      ["Embedder", "models/embedder.ts", ["Tokenizer"]],
      ["Tokenizer", "../shared/tokenizer.ts", []],
    ]);
    const server = generateServer(result.manifest!, { serviceModule: "../../service.js" }).get("server.ts")!;
    expect(server).toContain(`import { Gateway as GatewayService } from "../../service.js";`);
    expect(server).toContain(`import { Embedder as EmbedderService } from "../../models/embedder.js";`);
    expect(server).toContain(`import { Tokenizer as TokenizerService } from "../../../shared/tokenizer.js";`);
  });

  it("reports with BTC1015 a class of another file that is not a service, and a constant where a class belongs", () => {
    write("plain/helper.ts", `export class Helper {\n  async help(): Promise<string> { return "x"; }\n}\n`);
    write("plain/hidden.ts", `import { api, service } from "bentoc";\n@service()\nclass Hidden {\n  @api() async ping(): Promise<string> { return "pong"; }\n}\nexport const hidden = Hidden;\n`);
    const entry = write("plain/service.ts", service("Front", `  private readonly helper = depends(Helper);\n  private readonly hidden = depends(hidden);\n  @api() async ping(): Promise<string> { return "pong"; }`, `import { Helper } from "./helper.js";\nimport { hidden } from "./hidden.js";`));
    const codes = compileService(entry).diagnostics.map((diagnostic) => [diagnostic.code, diagnostic.message]);
    expect(codes).toContainEqual(["BTC1015", "depends(Helper) cannot be served: it is neither a @service() class nor a client that bentoc generated for another bento's service."]);
    expect(codes).toContainEqual(["BTC1015", "depends(hidden) cannot be served: its argument must be a @service() class, e.g. `depends(Embedder)`, or the generated client of another bento's service."]);
  });
});

import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BentoStore } from "../../store/bento-store.js";
import { runCli, tempDir } from "../support/run-cli.js";
import { startFakeHub } from "./fake-hub.js";
import { runCliAsync } from "./run-cli-async.js";
import { bentoManifest, stageBento, treeOf } from "./store-fixtures.js";
import { rawTarGz } from "./tar-bytes.js";

let work: string;
let env: NodeJS.ProcessEnv;
const bentoc = (...args: string[]) => runCli(args, { cwd: work, env });

beforeAll(() => {
  expect(fs.existsSync(new URL("../../dist/cli/commands/models.js", import.meta.url)), "run `npm run build` first").toBe(true);
});
beforeEach(() => {
  work = tempDir("store-cli");
  env = { BENTOC_HOME: path.join(work, "home") };
  fs.mkdirSync(path.join(work, "iris"));
  fs.writeFileSync(path.join(work, "iris", "model.onnx"), "weights");
  fs.writeFileSync(path.join(work, "iris", "labels.txt"), "setosa\n");
});
afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

describe("bentoc models", () => {
  it("round-trips import → list → export → delete → import with identical sha256s", () => {
    const imported = bentoc("models", "import", "iris", "--name", "iris", "--label", "team=ml", "--metadata", "framework=onnx");
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toMatch(/^Stored model iris:[a-z2-7]{16} \(2 files, 14 B\)\n$/);
    const tag = /iris:[a-z2-7]{16}/.exec(imported.stdout)![0];

    expect(bentoc("models", "list").stdout).toMatch(new RegExp(`^TAG +SIZE +CREATED\\n${tag} +14 B +\\d{4}-`));
    const before = JSON.parse(bentoc("models", "get", "iris:latest", "--json").stdout);
    expect(before).toMatchObject({ tag, name: "iris", labels: { team: "ml" }, metadata: { framework: "onnx" } });

    expect(bentoc("models", "export", "iris", "iris.tar.gz").stdout).toBe(`Exported model ${tag} → iris.tar.gz\n`);
    expect(bentoc("models", "delete", tag, "--yes").stdout).toBe(`Deleted model ${tag}\n`);
    expect(bentoc("models", "list").stdout).toBe("No models stored yet.\n");
    expect(bentoc("models", "import", "iris.tar.gz").stdout).toBe(`Imported model ${tag}\n`);

    const after = JSON.parse(bentoc("models", "get", tag, "--json").stdout);
    expect(after.files).toEqual(before.files);
    expect(after.files.map((f: { sha256: string }) => f.sha256)).toHaveLength(2);
  });

  it("prints one-line errors for user mistakes", () => {
    const cases: [string[], RegExp][] = [
      [["models", "import", "iris"], /Name the model: `bentoc models import iris --name <name>`/],
      [["models", "import", "iris", "--name", "Iris!"], /"Iris!" is not a valid model name/],
      [["models", "import", "iris", "--name", "iris", "--label", "oops"], /--label "oops" is not key=value/],
      [["models", "get", "iris"], /No model iris:latest in the store .*bentoc models list/],
      [["models", "import", "missing", "--name", "iris"], /missing does not exist/],
      [["models", "import", "missing.tar.gz"], /missing\.tar\.gz does not exist/],
      [["models", "import", "iris.tar.gz", "--label", "a=b"], /--version, --label and --metadata go with --name/],
    ];
    for (const [args, message] of cases) {
      const run = bentoc(...args);
      expect(run.status, args.join(" ")).toBe(1);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  it("asks for --yes when it cannot prompt", () => {
    bentoc("models", "import", "iris", "--name", "iris", "--version", "v1");
    const run = bentoc("models", "delete", "iris:v1");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/pass --yes/);
    expect(bentoc("models", "list", "--json").stdout).toMatch(/"tag": "iris:v1"/);
  });

  it("pulls from HF_ENDPOINT with plain progress lines off a terminal", async () => {
    const hub = await startFakeHub({ models: { "acme/tiny": { main: { sha: "c".repeat(40), files: { "config.json": "{}", "model.bin": "0123456789" } } } } });
    try {
      const run = await runCliAsync(["models", "pull", "acme/tiny", "--exclude", "*.json"], { cwd: work, env: { ...env, HF_ENDPOINT: hub.endpoint } });
      expect(run.stderr).toBe("Downloading model.bin (1/1, 10 B)\n");
      expect(run.stdout).toBe(`Stored model acme--tiny:${"c".repeat(40)} (1 files, 10 B) from acme/tiny@main\n`);
      expect(run.status).toBe(0);
    } finally {
      await hub.close();
    }
  });

  it("draws a progress bar on a terminal", async () => {
    const hub = await startFakeHub({ models: { "acme/tiny": { main: { sha: "d".repeat(40), files: { "model.bin": Buffer.alloc(50_000, 1) } } } } });
    try {
      const run = await runCliAsync(["models", "pull", "acme/tiny"], { cwd: work, env: { ...env, HF_ENDPOINT: hub.endpoint }, tty: true });
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/model\.bin \[[█░]+\] \d+% .*\/48\.8 KiB \(1\/1\)/);
      expect(run.stdout).not.toContain("Downloading model.bin");
      expect(run.stdout).toContain(`Stored model acme--tiny:${"d".repeat(40)}`);
    } finally {
      await hub.close();
    }
  });
});

describe("bentoc list|get|delete|export|import", () => {
  it("manages bentos in BENTOC_HOME", () => {
    const store = new BentoStore(env.BENTOC_HOME);
    store.add(stageBento(store, bentoManifest("shop", "v1")));
    expect(bentoc("list").stdout).toMatch(/^TAG +SIZE +CREATED\nshop:v1 +\d/);
    const summary = bentoc("get", "shop").stdout;
    expect(summary).toMatch(/^shop:v1\n {2}path: /);
    expect(summary).toContain("service IrisClassifier:");
    expect(JSON.parse(bentoc("get", "shop:v1", "--json").stdout).manifest.name).toBe("shop");

    expect(bentoc("export", "shop").stdout).toBe("Exported bento shop:v1 → shop-v1.tar.gz\n");
    expect(bentoc("delete", "shop", "--yes").stdout).toBe("Deleted bento shop:v1\n");
    expect(bentoc("list").stdout).toBe("No bentos stored yet.\n");
    expect(bentoc("import", "shop-v1.tar.gz").stdout).toBe("Imported bento shop:v1\n");
    expect(bentoc("list", "--json").stdout).toMatch(/"tag": "shop:v1"/);
  });

  it("get lists what a client can call: a task's five endpoints, not its bare route", () => {
    const store = new BentoStore(env.BENTOC_HOME);
    store.add(stageBento(store, bentoManifest("shop", "v1")));
    const summary = bentoc("get", "shop").stdout;
    expect(summary).toContain([
      "    POST /train/submit  (task)",
      "    GET  /train/status  (task)",
      "    GET  /train/get  (task)",
      "    PUT  /train/cancel  (task)",
      "    POST /train/retry  (task)",
    ].join("\n"));
    expect(summary).not.toMatch(/ \/train {2}/);
    expect(summary).toContain("    POST /classify  (unary)");
  });

  it("refuses a hostile archive with one line and writes nothing", () => {
    fs.writeFileSync(path.join(work, "evil.tar.gz"), rawTarGz([{ path: "bento.yaml", data: "x" }, { path: "../../owned", data: "!" }]));
    const before = treeOf(work);
    const run = bentoc("import", "evil.tar.gz");
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`bentoc: error: Refused to import evil.tar.gz: "../../owned" contains ".."; nothing was written\n`);
    expect(treeOf(work)).toEqual(before);
  });
});

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBento, postJson, type BuiltBento, type SpawnedBento } from "../support/bento-server.js";

const SERVICE = `
import { api, service, type int32 } from "bentoc";

@service()
export class Adder {
  @api()
  async add(a: int32, b: int32): Promise<int32> {
    return a + b;
  }
}
`;

// Preloaded into the server process: reports every async hook created, with where it came from.
const PROBE = `import asyncHooks from "node:async_hooks";
import { syncBuiltinESMExports } from "node:module";
const createHook = asyncHooks.createHook;
asyncHooks.createHook = (...callbacks) => {
  process.stderr.write("ASYNC HOOK CREATED " + new Error().stack.split("\\n").slice(2, 6).join(" | ") + "\\n");
  return createHook(...callbacks);
};
syncBuiltinESMExports();
`;

let built: BuiltBento;
let bento: SpawnedBento;
let probeDir: string;
beforeAll(async () => {
  built = await buildBento(SERVICE);
  probeDir = fs.mkdtempSync(path.join(os.tmpdir(), "bentoc-async-hook-probe-"));
  const probe = path.join(probeDir, "probe.mjs");
  fs.writeFileSync(probe, PROBE);
  bento = await built.spawn({ env: { NODE_OPTIONS: `--import=${pathToFileURL(probe).href}` } });
});
afterAll(async () => {
  await bento?.close();
  built?.remove();
  fs.rmSync(probeDir, { recursive: true, force: true });
});

describe("the generated server and async hooks", () => {
  // Enabling an async hook, even for a moment, installs V8 promise hooks, and V8 then leaves its
  // fast promise paths for the rest of the process: every request pays (docs/performance.md).
  it("creates none, from start-up through serving API calls", async () => {
    for (let call = 0; call < 5; call++) {
      const response = await postJson(`${bento.url}/add`, { a: call, b: 1 });
      expect(response.status).toBe(200);
      expect(response.body).toBe(call + 1);
    }
    expect(bento.output()).not.toContain("ASYNC HOOK CREATED");
  });

  it("the probe does see a hook when one is created (so the check above can fail)", () => {
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", "const { createHook } = await import('node:async_hooks'); createHook({ init() {} }).enable().disable();"], {
      env: { ...process.env, NODE_OPTIONS: `--import=${pathToFileURL(path.join(probeDir, "probe.mjs")).href}` },
      encoding: "utf8",
    });
    expect(child.status).toBe(0);
    expect(child.stderr).toContain("ASYNC HOOK CREATED");
  });
});

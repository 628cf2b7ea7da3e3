import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { retainTickShape } from "../../runtime/tick-shape.js";

const BUILT_MODULE = fileURLToPath(new URL("../../dist/runtime/tick-shape.js", import.meta.url));

/** Runs the built module in a fresh node with `env` and prints what retainTickShape() kept. */
function retainedInChild(env: NodeJS.ProcessEnv): string {
  const script = `const { retainTickShape } = await import(${JSON.stringify(BUILT_MODULE)});
retainTickShape();
await new Promise((resolve) => setImmediate(resolve));
const kept = retainTickShape();
console.log(kept === undefined ? "none" : Object.getOwnPropertySymbols(kept).map((symbol) => symbol.description).join(",") + ";" + typeof kept.callback);`;
  return execFileSync(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, ...env }, encoding: "utf8" }).trim();
}

describe("retainTickShape (runtime/tick-shape.ts)", () => {
  it("keeps one of Node's own nextTick objects alive, from the first tick on, the same one on every call", async () => {
    retainTickShape();
    await new Promise((resolve) => setImmediate(resolve));
    const kept = retainTickShape();
    expect(kept).toBeDefined();
    const symbols = Object.getOwnPropertySymbols(kept).map((symbol) => symbol.description);
    expect(symbols).toEqual(expect.arrayContaining(["async_id_symbol", "trigger_async_id_symbol"]));
    expect(typeof (kept as { callback?: unknown }).callback).toBe("function");
    expect(retainTickShape()).toBe(kept);
  });

  it("is on in a fresh process when the runtime loads, and off with BENTOC_KEEP_TICK_SHAPE=0", () => {
    expect(retainedInChild({})).toBe("async_id_symbol,trigger_async_id_symbol;function");
    expect(retainedInChild({ BENTOC_KEEP_TICK_SHAPE: "0" })).toBe("none");
  });
});

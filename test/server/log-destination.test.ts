import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChunkedLogDestination } from "../../runtime/log-destination.js";
import { ensureRuntimeBuilt, until } from "../support/bento-server.js";
import { REPO_ROOT } from "../support/run-cli.js";
import { seededRandom } from "../support/seeded-random.js";

let dir: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "bentoc-log-destination-"));
  await ensureRuntimeBuilt();
  // A process that writes numbered lines of varied length through the built destination to its stdout (a pipe).
  fs.writeFileSync(path.join(dir, "writer.mjs"), `
import { ChunkedLogDestination } from ${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, "dist/runtime/log-destination.js")).href)};
const [name, count, seed] = process.argv.slice(2);
process.stdout.isTTY; // as the server does: Node opens the stdout pipe (non-blocking)
const out = new ChunkedLogDestination(1);
let state = Number(seed);
const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
for (let n = 0; n < Number(count); n++) {
  out.append(JSON.stringify({ w: name, n, pad: "x".repeat(Math.floor(random() * 3000)) }) + "\\n");
  if (n % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
}
out.flushSync();
`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Lines of 1 to 2000 characters (some beyond ASCII), a few longer than a whole chunk. */
function sampleLines(count: number): string[] {
  const random = seededRandom(3);
  return Array.from({ length: count }, (_, n) => {
    const length = n % 997 === 0 ? 70_000 : 1 + Math.floor(random() * 2000);
    return `${JSON.stringify({ n, text: (n % 7 === 0 ? "é日" : "a").repeat(length / 2) })}\n`;
  });
}

describe("buffered log lines (ChunkedLogDestination)", () => {
  it("to a file: flushSync writes every line, in order, before it returns", () => {
    const file = path.join(dir, "sync.log");
    const fd = fs.openSync(file, "w");
    const lines = sampleLines(3000);
    const out = new ChunkedLogDestination(fd);
    for (const line of lines) out.append(line);
    out.flushSync();
    expect(fs.readFileSync(file, "utf8") === lines.join("")).toBe(true);
    fs.closeSync(fd);
  });

  it("to a file: flush writes every line asynchronously, in order", async () => {
    const file = path.join(dir, "async.log");
    const fd = fs.openSync(file, "w");
    const lines = sampleLines(3000);
    const expected = lines.join("");
    const out = new ChunkedLogDestination(fd);
    lines.forEach((line, n) => {
      out.append(line);
      if (n % 1000 === 0) out.flush();
    });
    out.flush();
    await until(() => (fs.statSync(file).size === Buffer.byteLength(expected) ? true : undefined), "every line to be written", 10_000);
    expect(fs.readFileSync(file, "utf8") === expected).toBe(true);
    fs.closeSync(fd);
  });

  it("to a pipe shared by two processes, read late: every line arrives whole and in its writer's order", async () => {
    const count = 4000;
    const child = spawn("sh", ["-c", `"${process.execPath}" writer.mjs A ${count} 1 & "${process.execPath}" writer.mjs B ${count} 2 & wait`], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    // Nothing is read for a while: the pipe fills, and the writers wait for it.
    child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const seen: Record<string, number[]> = { A: [], B: [] };
    for (const line of Buffer.concat(chunks).toString("utf8").split("\n").slice(0, -1)) {
      const parsed = JSON.parse(line) as { w: string; n: number }; // a line torn by the other writer would not parse
      seen[parsed.w]!.push(parsed.n);
    }
    const inOrder = Array.from({ length: count }, (_, n) => n);
    expect(seen.A).toEqual(inOrder);
    expect(seen.B).toEqual(inOrder);
  });

  it("to a pipe whose reader has gone: lines are dropped, and the process goes on and exits normally", async () => {
    const child = spawn(process.execPath, ["writer.mjs", "A", "3000", "1"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise<number | null>((resolve) => child.on("close", resolve))).toBe(0);
    expect(stderr).toBe("");
  });
});

import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect, it } from "vitest";
import { REPO_ROOT } from "../support/bento-server.js";

// Terminating onnxruntime's thread while a run is in flight aborts the whole process ("terminate
// called after throwing an instance of 'Napi::Error'", exit 134), so this runs in a child process:
// the built classifier starts a long run (many copies of the data), and is released at once.
const SCRIPT = `
const { OnnxClassifier } = await import(${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, "dist/examples/iris/onnx-classifier.js")).href)});
const classifier = await OnnxClassifier.load(${JSON.stringify(path.join(REPO_ROOT, "examples/iris/model/iris.onnx"))}, 1);
const rows = Array.from({ length: 200_000 }, (_, i) => [5 + (i % 3), 3.5, 1.4, 0.2]);
const inFlight = classifier.probabilities(rows).then((result) => result.length, (error) => error.message);
await new Promise((resolve) => setTimeout(resolve, 5));
await classifier.release();
console.log(JSON.stringify({ inFlight: await inFlight, afterRelease: await classifier.probabilities([[5, 3.5, 1.4, 0.2]]).catch((error) => error.message) }));
process.exit(0);
`;

it("releasing the model lets a run in flight finish, refuses new runs, and ends the thread without aborting the process", () => {
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", SCRIPT], { encoding: "utf8", timeout: 60_000 });
  expect(child.stderr).not.toContain("terminate called");
  expect(child.status).toBe(0);
  expect(JSON.parse(child.stdout.trim())).toEqual({ inFlight: 200_000, afterRelease: "the model was released" });
});

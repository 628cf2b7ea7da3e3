import { createHash, randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, REPO_ROOT, startBento, type RunningBento } from "../support/bento-server.js";

// The example a newcomer serves first: each of its APIs called as its README's curl lines do.
let bento: RunningBento;
beforeAll(async () => {
  bento = await startBento({ file: path.join(REPO_ROOT, "examples/quickstart/service.ts") });
});
afterAll(() => bento?.close());

describe("examples/quickstart served on 127.0.0.1", () => {
  it("sentiment: a unary JSON API", async () => {
    const response = await postJson(`${bento.url}/sentiment`, { text: "I love this, it is great" });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ label: "positive", score: 1 });
    expect((await postJson(`${bento.url}/sentiment`, { text: "" })).body.path).toBe("/text");
  });

  it("echo: a stream of words as SSE and NDJSON", async () => {
    const sse = await fetch(`${bento.url}/echo`, { method: "POST", headers: { "content-type": "application/json", accept: "text/event-stream" }, body: JSON.stringify({ prompt: "hello brave  new world", delayMs: 0 }) });
    expect(sse.status).toBe(200);
    expect(await sse.text()).toBe('data: "hello"\n\ndata: "brave"\n\ndata: "new"\n\ndata: "world"\n\n');
    const ndjson = await fetch(`${bento.url}/echo`, { method: "POST", headers: { "content-type": "application/json", accept: "application/x-ndjson" }, body: JSON.stringify({ prompt: "a b", delayMs: 1 }) });
    expect(await ndjson.text()).toBe('"a"\n"b"\n');
  });

  it("digest: a file upload, checked by sha256", async () => {
    const bytes = randomBytes(200_000);
    const form = new FormData();
    form.append("file", new File([bytes], "model.bin"));
    const response = await fetch(`${bento.url}/digest`, { method: "POST", body: form });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ name: "model.bin", bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") });
  });
});

// examples/captions as its README shows it: a 404 of the service's own, and the WebSocket
// endpoint with a raw `ws` client (replies, a bad message, the quota's 4429).
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { buildBento, postJson, REPO_ROOT, type BuiltBento, type SpawnedBento } from "../support/bento-server.js";

let built: BuiltBento;
let bento: SpawnedBento;
beforeAll(async () => {
  built = await buildBento({ file: path.join(REPO_ROOT, "examples/captions/service.ts") });
  bento = await built.spawn();
}, 60_000);
afterAll(async () => {
  await bento?.close();
  built?.remove();
});

/** Sends the frames (an empty one last, unless told not to), and collects the replies and the close. */
async function session(frames: string[]): Promise<{ replies: unknown[]; code: number; reason: string }> {
  const socket = new WebSocket(`${bento.url.replace(/^http/, "ws")}/caption`);
  const replies: unknown[] = [];
  socket.on("message", (data) => replies.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on("close", (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  for (const frame of frames) socket.send(frame);
  return { replies, ...(await closed) };
}

describe("the captions example", () => {
  it("answers a language it knows, and a 404 of its own with its code and details for one it does not", async () => {
    expect((await postJson(`${bento.url}/language`, { code: "fr" })).body).toEqual({ code: "fr", name: "French" });
    const missing = await postJson(`${bento.url}/language`, { code: "xx" }, { "x-request-id": "readme-1" });
    expect([missing.status, missing.body]).toEqual([404, { error: "no caption model for 'xx'", code: "no_such_language", details: { known: ["en", "fr", "de"] }, request_id: "readme-1" }]);
  });

  it("captions over the WebSocket as the README shows, and closes 1000 after the empty frame", async () => {
    const result = await session([
      JSON.stringify({ text: "hello   there", at: "2026-12-07T10:00:00Z" }),
      JSON.stringify({ text: "general kenobi!", at: "2026-12-07T10:00:02.5Z" }),
      "",
    ]);
    expect(result).toEqual({ replies: [{ text: "Hello there.", offset: 0 }, { text: "General kenobi!", offset: 2.5 }], code: 1000, reason: "" });
  });

  it("closes 1007 for an utterance without text", async () => {
    const result = await session([JSON.stringify({ text: "", at: "2026-12-07T10:00:00Z" })]);
    expect([result.code, result.reason]).toEqual([1007, "message 1: /text must NOT have fewer than 1 characters"]);
  });

  it("closes 4429 once the session has used its quota, after captioning up to it", async () => {
    const frames = Array.from({ length: 1001 }, (_, i) => JSON.stringify({ text: `line ${i}`, at: new Date(Date.UTC(2026, 11, 7, 10, 0, i)).toISOString() }));
    const result = await session([...frames, ""]);
    expect([result.code, result.reason]).toEqual([4429, "this session used its 1000 captions"]);
    expect(result.replies).toHaveLength(1000);
  }, 30_000);
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBento, type RunningBento } from "../support/bento-server.js";

const SERVICE = `
import { api, service } from "bentoc";

@service()
export class Upload {
  @api()
  async size(file: File, note: string): Promise<{ bytes: number; note: string }> {
    return { bytes: (await file.arrayBuffer()).byteLength, note };
  }
}
`;

const MAX_FILE = 64 * 1024;
let bento: RunningBento;
beforeAll(async () => {
  bento = await startBento(SERVICE, { maxFileSize: MAX_FILE });
});
afterAll(() => bento?.close());

/** A multipart body written by hand, so that it can be wrong. */
function formBody(boundary: string, closed = true): string {
  const parts = [
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="a.bin"\r\ncontent-type: application/octet-stream\r\n\r\nhello\r\n`,
    `--${boundary}\r\ncontent-disposition: form-data; name="note"\r\n\r\nn\r\n`,
  ];
  return parts.join("") + (closed ? `--${boundary}--\r\n` : "");
}

const post = async (contentType: string, body: string) => {
  const response = await fetch(`${bento.url}/size`, { method: "POST", headers: { "content-type": contentType }, body, signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: await response.json() };
};

/** The server still serves a well-formed upload. */
async function expectAlive(): Promise<void> {
  const good = await post("multipart/form-data; boundary=good-boundary", formBody("good-boundary"));
  expect(good).toEqual({ status: 200, body: { bytes: 5, note: "n" } });
}

describe("malformed multipart bodies", () => {
  it("a boundary longer than 256 characters → 400 naming the boundary", async () => {
    const boundary = "b".repeat(300);
    const response = await post(`multipart/form-data; boundary=${boundary}`, formBody(boundary));
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/^Malformed multipart body: .*boundary is too long/);
    expect(response.body.request_id).toEqual(expect.any(String));
    await expectAlive();
  });

  it("an empty boundary → 400 naming the boundary", async () => {
    const response = await post("multipart/form-data; boundary=", formBody(""));
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/^Malformed multipart body: .*boundary.*empty/);
    await expectAlive();
  });

  it("a body cut off before its closing boundary → 400", async () => {
    for (const body of [formBody("cut", false), formBody("cut").slice(0, 60)]) {
      const response = await post("multipart/form-data; boundary=cut", body);
      expect(response.status, body).toBe(400);
      expect(response.body.error).toMatch(/^Malformed multipart body: .*ends before/);
    }
    await expectAlive();
  });

  it("a file over the size limit → 413 that names the limit, like the body limit does", async () => {
    const boundary = "big-boundary";
    const body = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="big.bin"\r\n\r\n${"x".repeat(MAX_FILE + 1)}\r\n--${boundary}--\r\n`;
    const response = await post(`multipart/form-data; boundary=${boundary}`, body);
    expect(response.status).toBe(413);
    expect(response.body.error).toBe(`Request file 'file' is larger than the limit of ${MAX_FILE} bytes`);
    await expectAlive();
  });
});

import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, startBento, until, type RunningBento } from "../support/bento-server.js";

const SERVICE = `
import { createHash } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { api, service, type int32 } from "bentoc";

export interface Digest {
  name: string;
  type: string;
  bytes: int32;
  sha256: string;
}

export interface Options {
  language: string;
  dpi?: int32;
}

async function digestOf(file: File): Promise<Digest> {
  const bytes = Buffer.from(await file.arrayBuffer());
  return { name: file.name, type: file.type, bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
}

/** The upload folders that exist while the method runs, with their files. */
function uploads(): string[] {
  return fs.readdirSync(os.tmpdir())
    .filter((name) => name.startsWith("bentoc-upload-"))
    .flatMap((name) => [path.join(os.tmpdir(), name), ...fs.readdirSync(path.join(os.tmpdir(), name)).map((file) => path.join(os.tmpdir(), name, file))]);
}

@service()
export class Files {
  @api()
  async digest(file: File, others: File[], note: string, options: Options, count: int32 = 1): Promise<{ file: Digest; others: Digest[]; note: string; options: Options; count: number; uploads: string[] }> {
    return { file: await digestOf(file), others: await Promise.all(others.map(digestOf)), note, options, count, uploads: uploads() };
  }

  @api()
  async tag(file: File, meta: Record<string, unknown>): Promise<string[]> {
    return Object.keys(meta);
  }

  @api()
  async echo(word: string): Promise<string> {
    return word;
  }

  @api()
  async concat(parts: File[]): Promise<Uint8Array> {
    const buffers = await Promise.all(parts.map(async (part) => new Uint8Array(await part.arrayBuffer())));
    return Buffer.concat(buffers);
  }
}
`;

const MAX_FILE = 512 * 1024;
let bento: RunningBento;
beforeAll(async () => {
  bento = await startBento(SERVICE, { maxFileSize: MAX_FILE });
});
afterAll(() => bento?.close());

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
const upload = (route: string, form: FormData) => fetch(`${bento.url}${route}`, { method: "POST", body: form, signal: AbortSignal.timeout(15_000) });
const existingUploads = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith("bentoc-upload-")).map((name) => path.join(os.tmpdir(), name));
const gone = (paths: string[]) => (paths.every((entry) => !fs.existsSync(entry)) ? true : undefined);

describe("multipart uploads", () => {
  it("round-trips a File and a File[] byte for byte (sha256), fields beside them, and deletes the temp files after the call", async () => {
    const main = randomBytes(300 * 1024);
    const others = [randomBytes(100 * 1024), randomBytes(1), new Uint8Array(0)];
    const form = new FormData();
    form.append("file", new File([main], "main.bin", { type: "application/octet-stream" }));
    others.forEach((bytes, index) => form.append("others", new File([bytes], `other-${index}.dat`, { type: "image/png" })));
    form.append("note", "42"); // a string parameter keeps the text as it is
    form.append("options", JSON.stringify({ language: "en", dpi: 300 }));
    const before = new Set(existingUploads());

    const response = await upload("/digest", form);
    expect(response.status).toBe(200);
    const result = await response.json();
    expect(result.file).toEqual({ name: "main.bin", type: "application/octet-stream", bytes: main.length, sha256: sha256(main) });
    expect(result.others).toEqual(others.map((bytes, index) => ({ name: `other-${index}.dat`, type: "image/png", bytes: bytes.length, sha256: sha256(bytes) })));
    expect(result).toMatchObject({ note: "42", options: { language: "en", dpi: 300 }, count: 1 });

    const created = (result.uploads as string[]).filter((entry) => ![...before].some((old) => entry.startsWith(old)));
    expect(created.length).toBeGreaterThanOrEqual(1 + others.length); // the folder and its files existed during the call
    await until(() => gone(created), "the uploaded temp files to be deleted", 3_000);
  });

  it("returns binary results as application/octet-stream", async () => {
    const parts = [randomBytes(70_000), randomBytes(3)];
    const form = new FormData();
    parts.forEach((bytes, index) => form.append("parts", new Blob([bytes]), `p${index}`));
    const response = await upload("/concat", form);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/octet-stream");
    expect(sha256(new Uint8Array(await response.arrayBuffer()))).toBe(sha256(Buffer.concat(parts)));
  });

  it("validates the parts: a missing file, a wrong field type, an unknown file part → 400", async () => {
    const noFile = new FormData();
    noFile.append("note", "n");
    noFile.append("options", JSON.stringify({ language: "en" }));
    const missing = await upload("/digest", noFile);
    expect(missing.status).toBe(400);
    expect((await missing.json()).path).toBe("/file");

    const badOptions = new FormData();
    badOptions.append("file", new Blob(["x"]), "x");
    badOptions.append("others", new Blob(["y"]), "y");
    badOptions.append("note", "n");
    badOptions.append("options", JSON.stringify({ language: 5 }));
    const invalid = await upload("/digest", badOptions);
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).path).toBe("/options/language");

    const stray = new FormData();
    stray.append("note", new Blob(["x"]), "x");
    expect((await upload("/digest", stray)).status).toBe(400);
  });

  it("rejects a prototype-poisoning JSON field → 400", async () => {
    for (const meta of ['{"a": 1, "__proto__": {"polluted": true}}', '{"a": {"constructor": {"prototype": {"polluted": true}}}}']) {
      const form = new FormData();
      form.append("file", new Blob(["x"]), "x");
      form.append("meta", meta);
      const response = await upload("/tag", form);
      expect(response.status, meta).toBe(400);
    }
    const form = new FormData();
    form.append("file", new Blob(["x"]), "x");
    form.append("meta", '{"a": 1, "constructor": "fine", "prototype": 2}');
    const fine = await upload("/tag", form);
    expect(fine.status).toBe(200);
    expect(await fine.json()).toEqual(["a", "constructor", "prototype"]);
  });

  it("a file over the size limit → 413, and nothing is left behind", async () => {
    const before = new Set(existingUploads());
    const form = new FormData();
    form.append("file", new Blob([randomBytes(MAX_FILE + 1)]), "big.bin");
    form.append("note", "n");
    form.append("options", JSON.stringify({ language: "en" }));
    const response = await upload("/digest", form);
    expect(response.status).toBe(413);
    await until(() => gone(existingUploads().filter((entry) => !before.has(entry))), "the partial upload to be deleted", 3_000);
  });

  it("a client that goes away mid-upload leaves no temp files behind", async () => {
    const before = new Set(existingUploads());
    const boundary = "----bentoc-test-boundary";
    const head = `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="half.bin"\r\ncontent-type: application/octet-stream\r\n\r\n`;
    const url = new URL(bento.url);
    const socket = net.connect(Number(url.port), url.hostname);
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(`POST /digest HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: multipart/form-data; boundary=${boundary}\r\ncontent-length: ${head.length + 400_000}\r\n\r\n${head}`);
    socket.write(randomBytes(200_000));
    const created = await until(() => {
      const fresh = existingUploads().filter((entry) => !before.has(entry));
      return fresh.length > 0 ? fresh : undefined;
    }, "the upload to start", 3_000);
    socket.destroy();
    await until(() => gone(created), "the partial upload to be deleted", 3_000);
  });

  it("a compressed multipart body → 415 (its parts are streamed as they come, never decoded)", async () => {
    const form = new FormData();
    form.set("note", "n");
    const request = new Request(`${bento.url}/digest`, { method: "POST", body: form });
    const response = await fetch(request.url, { method: "POST", body: zlib.gzipSync(Buffer.from(await request.arrayBuffer())), headers: { "content-type": request.headers.get("content-type")!, "content-encoding": "gzip" } });
    expect(response.status).toBe(415);
    expect((await response.json()).error).toContain("'gzip (for multipart/form-data)'");
  });

  it("a JSON body for an API that takes files → 415", async () => {
    const response = await postJson(`${bento.url}/digest`, { note: "n" });
    expect(response.status).toBe(415);
    expect(response.body.error).toContain("multipart/form-data");
  });

  it("a multipart body for a JSON API beside them → 415, though the server parses multipart for its file APIs", async () => {
    const form = new FormData();
    form.set("word", "hi");
    const response = await fetch(`${bento.url}/echo`, { method: "POST", body: form });
    expect(response.status).toBe(415);
    expect((await response.json()).error).toContain("application/json");
    expect((await postJson(`${bento.url}/echo`, { word: "hi" })).body).toBe("hi");
  });
});

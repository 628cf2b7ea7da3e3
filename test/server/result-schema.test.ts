// A response body never goes out that does not match the API's response schema, and a text
// part is no file (issue #19): a served bento on 127.0.0.1, called over plain HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, spawnBento, until, type SpawnedBento } from "../support/bento-server.js";

const SERVICE = `
import { api, service } from "bentoc";

export interface Digest {
  name: string;
  size: number;
}

@service()
export class Results {
  /** Returns what its type forbids (a cast hides it from the checker), as buggy code does. */
  @api()
  async broken(withName: boolean): Promise<Digest> {
    return (withName ? { name: "a", size: 1 } : { size: 1 }) as unknown as Digest;
  }

  @api()
  async sparse(n: number): Promise<(number | undefined)[]> {
    return Array.from({ length: n }, (_, index) => (index % 2 === 0 ? index : undefined));
  }

  @api()
  async digest(file: File, label: string): Promise<Digest> {
    return { name: label + ":" + file.name, size: file.size };
  }
}
`;

let bento: SpawnedBento;

// As the image runs it (main.mjs, JSON logs on stdout), so the test reads the log line a deployer would.
beforeAll(async () => {
  bento = await spawnBento(SERVICE);
});
afterAll(async () => {
  await bento?.close();
});

describe("results and the response schema", () => {
  it("answers a result missing a required field with a 500 and logs the API and the field", async () => {
    const response = await postJson(`${bento.url}/broken`, { withName: false });
    expect(response.status).toBe(500);
    expect(response.body).toEqual({ error: "Internal server error", request_id: expect.any(String) });
    const line = await until(() => bento.output().split("\n").find((text) => text.includes("does not match its response schema")), "the log line of the mismatch");
    expect(JSON.parse(line)).toMatchObject({ level: 50, err: { message: "The result of API 'broken' does not match its response schema: /name is required" } });
    expect((await postJson(`${bento.url}/broken`, { withName: true })).body).toEqual({ name: "a", size: 1 });
  });

  it("still writes undefined items of an array as null, which the schema allows", async () => {
    const response = await postJson(`${bento.url}/sparse`, { n: 3 });
    expect(response.status).toBe(200);
    expect(response.body).toEqual([0, null, 2]);
  });
});

describe("a text part where the API takes a file", () => {
  it("is a 400 naming the part, and a file part still works", async () => {
    const text = new FormData();
    text.set("file", "hello");
    text.set("label", "x");
    const refused = await fetch(`${bento.url}/digest`, { method: "POST", body: text });
    expect(refused.status).toBe(400);
    expect((await refused.json()) as { error: string }).toMatchObject({ error: expect.stringMatching(/Part 'file' must be a file/) });

    const upload = new FormData();
    upload.set("file", new File(["hello"], "a.txt"));
    upload.set("label", "x");
    const accepted = await fetch(`${bento.url}/digest`, { method: "POST", body: upload });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ name: "x:a.txt", size: 5 });
  });
});

// `undefined` is absence, never null (issue #18, bugs 1 and 3): the fixture's methods report what
// they received, served for real on 127.0.0.1 and called over plain HTTP and through the
// generated client, bundled and imported as an app would.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFilesAtomically } from "../../cli/write-files.js";
import { generateClient } from "../../generators/client/index.js";
import { buildBento, postJson, type BuiltBento, type RunningBento } from "../support/bento-server.js";
import { FIXTURES_DIR } from "../support/fixtures.js";

interface Readings {
  values: (number | null)[];
  pair: [string, number?];
  holes: (string | null)[];
}
interface UndefClient {
  patch(args: { p: { id: string; both?: null; loose?: unknown } }): Promise<string[]>;
  nothing(args?: Record<string, never>): Promise<string>;
  maybeNull(args: { p?: null }): Promise<string>;
  readings(args: { r: Readings }): Promise<Readings>;
  holes(args: { n: number }): Promise<(number | null)[]>;
}

let built: BuiltBento;
let bento: RunningBento;
let client: UndefClient;

beforeAll(async () => {
  built = await buildBento({ file: path.join(FIXTURES_DIR, "undefined-absence", "service.ts") });
  bento = await built.start();
  const clientDir = path.join(built.dir, "client");
  writeFilesAtomically(clientDir, generateClient(built.manifest));
  await build({ entryPoints: [path.join(clientDir, "client.ts")], outfile: path.join(clientDir, "client.mjs"), bundle: true, format: "esm", platform: "neutral", target: "es2022", logLevel: "silent" });
  const generated = (await import(pathToFileURL(path.join(clientDir, "client.mjs")).href)) as { UndefSvcClient: new (options: { baseUrl: string }) => UndefClient };
  client = new generated.UndefSvcClient({ baseUrl: bento.url });
});

afterAll(async () => {
  await bento?.close();
  built?.remove();
});

const post = (api: string, body: unknown) => postJson(`${bento.url}/${api}`, body);

describe("a request never brings null where the type says undefined", () => {
  it("refuses null for properties typed undefined, void or never, naming the property", async () => {
    for (const key of ["u", "v", "gone"]) {
      const response = await post("patch", { p: { id: "a", [key]: null } });
      expect(response.status, key).toBe(400);
      expect(response.body.error, key).toContain(`/p/${key}`);
    }
  });

  it("hands the method only what was sent: absent stays absent, null only where the type has null", async () => {
    expect((await post("patch", { p: { id: "a" } })).body).toEqual(["id:string"]);
    expect((await post("patch", { p: { id: "a", both: null, loose: null, extra: 1 } })).body).toEqual(["id:string", "both:null", "loose:null", "extra:number"]);
    expect((await post("maybeNull", { p: null })).body).toBe("null undefined");
    expect((await post("maybeNull", { q: null })).status).toBe(400);
  });

  it("takes a parameter typed undefined only when absent", async () => {
    expect((await post("nothing", {})).body).toBe("undefined");
    expect((await post("nothing", { p: null })).status).toBe(400);
  });

  it("refuses null items in an array of number | undefined, so the method never counts one", async () => {
    expect((await post("sparse", { xs: [1, null] })).status).toBe(400);
    expect((await post("sparse", { xs: [1, 2] })).body).toBe(0);
  });
});

describe("a response writes null where JSON.stringify does, and the client gets it", () => {
  it("answers undefined array items as null, over HTTP and through the generated client", async () => {
    const sent: Readings = { values: [1], pair: ["a", 2], holes: ["x"] };
    const expected = { values: [1, null], pair: ["a"], holes: ["x", null, null] };
    expect((await post("readings", { r: sent })).body).toEqual(expected);
    expect(await client.readings({ r: sent })).toEqual(expected);
    expect(await client.holes({ n: 3 })).toEqual([0, null, 2]);
  });

  it("calls through the generated client with absent properties, and unknown and any ones left out", async () => {
    expect(await client.patch({ p: { id: "a" } })).toEqual(["id:string"]);
    expect(await client.patch({ p: { id: "a", both: null } })).toEqual(["id:string", "both:null"]);
    expect(await client.maybeNull({})).toBe("undefined undefined");
    expect(await client.nothing()).toBe("undefined");
  });
});

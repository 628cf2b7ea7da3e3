// Errors a service throws with a status of its own (sdk/errors.ts), end to end: the server's
// answer (status, body with code and details, Retry-After, nothing else of the error), the
// OpenAPI document's declared responses, and the generated client's typed errors, for unary
// calls, a stream, a batch, and a status only the server may answer.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeFilesAtomically } from "../../cli/write-files.js";
import { generateClient } from "../../generators/client/index.js";
import { buildBento, postJson, until, type BuiltBento, type SpawnedBento } from "../support/bento-server.js";
import { logLines } from "../support/log-lines.js";

const SERVICE = `
import { api, BadRequest, Conflict, Forbidden, NotFound, ServiceError, service, TooManyRequests, Unauthorized, Unavailable, Unprocessable } from "bentoc";

/** The caller's quota is used up. */
export class QuotaExceeded extends TooManyRequests {
  constructor(used: number) {
    super(\`quota exhausted after \${used} calls\`, { code: "quota_exhausted", details: { used, limit: 100 }, retryAfterS: 60, cause: new Error("secret internals") });
  }
}

const CLASSES = { BadRequest, Unauthorized, Forbidden, NotFound, Conflict, Unprocessable, Unavailable } as const;

@service()
export class Models {
  /**
   * Describes a model.
   * @throws {NotFound} when no model has that name
   * @throws {QuotaExceeded} when the caller's quota is used up
   */
  @api()
  async describe(name: string): Promise<{ name: string }> {
    if (name === "spent") throw new QuotaExceeded(100);
    if (name !== "iris") throw new NotFound(\`no model named '\${name}'\`, { code: "no_such_model" });
    return { name };
  }

  /** Throws the named class, or a ServiceError of any status (one the server keeps for itself too). */
  @api()
  async fail(kind: string, status: number): Promise<string> {
    if (kind === "ServiceError") throw new ServiceError(status, "status of the caller's choosing", { details: { status } });
    if (kind === "bigint") throw new Conflict("details that are not JSON", { details: { n: 1n } as never });
    throw new CLASSES[kind as keyof typeof CLASSES]("thrown by name");
  }

  /**
   * Streams a model's layers.
   * @throws {NotFound} when no model has that name
   */
  @api()
  async *layers(name: string): AsyncGenerator<string> {
    if (name !== "iris") throw new NotFound(\`no model named '\${name}'\`);
    yield "dense";
  }

  @api({ batchable: true, maxBatchSize: 8, maxLatencyMs: 200 })
  async lengths(texts: string[]): Promise<number[]> {
    if (texts.includes("too long")) throw new BadRequest("a text in this batch is too long for the model", { code: "too_long" });
    return texts.map((text) => text.length);
  }
}
`;

interface ClientError extends Error {
  status: number;
  code: string | undefined;
  requestId: string | undefined;
  body: { details?: unknown } | undefined;
  retryAfterMs?: number;
}
type ClientModule = Record<string, new (...args: never[]) => unknown> & {
  ModelsClient: new (options: { baseUrl: string }) => {
    describe(args: { name: string }): Promise<unknown>;
    fail(args: { kind: string; status: number }): Promise<unknown>;
    layers(args: { name: string }): AsyncIterable<string>;
  };
};

let built: BuiltBento;
let bento: SpawnedBento;
let generated: ClientModule;
beforeAll(async () => {
  built = await buildBento(SERVICE);
  bento = await built.spawn();
  const clientDir = path.join(built.dir, "client");
  writeFilesAtomically(clientDir, generateClient(built.manifest));
  await build({ entryPoints: [path.join(clientDir, "client.ts")], outfile: path.join(clientDir, "client.mjs"), bundle: true, format: "esm", platform: "neutral", target: "es2022", logLevel: "silent" });
  generated = (await import(pathToFileURL(path.join(clientDir, "client.mjs")).href)) as ClientModule;
}, 60_000);
afterAll(async () => {
  await bento?.close();
  built?.remove();
});

const clientError = async (call: () => Promise<unknown>): Promise<ClientError> => {
  const error = await call().then(() => undefined, (failure: unknown) => failure);
  expect(error).toBeInstanceOf(Error);
  return error as ClientError;
};

describe("a ServiceError thrown by a method", () => {
  it("answers its status with its message, code and details, and nothing else of it", async () => {
    const missing = await postJson(`${bento.url}/describe`, { name: "nope" }, { "x-request-id": "req-404" });
    expect([missing.status, missing.body]).toEqual([404, { error: "no model named 'nope'", code: "no_such_model", request_id: "req-404" }]);
    const spent = await postJson(`${bento.url}/describe`, { name: "spent" });
    expect([spent.status, spent.headers.get("retry-after"), spent.body.code, spent.body.details, spent.body.error]).toEqual([429, "60", "quota_exhausted", { used: 100, limit: 100 }, "quota exhausted after 100 calls"]);
    expect(spent.text).not.toContain("secret internals");
    expect(spent.text).not.toContain("QuotaExceeded");
  });

  it.each([
    ["BadRequest", 400], ["Unauthorized", 401], ["Forbidden", 403], ["NotFound", 404], ["Conflict", 409], ["Unprocessable", 422], ["Unavailable", 503],
  ])("%s answers %i", async (kind, status) => {
    const answer = await postJson(`${bento.url}/fail`, { kind, status: 0 });
    expect([answer.status, answer.body.error]).toEqual([status, "thrown by name"]);
  });

  it("answers 500 for a status only the server answers, and logs why; details that are not JSON are left out and logged", async () => {
    for (const status of [504, 302, 200, 415]) {
      const answer = await postJson(`${bento.url}/fail`, { kind: "ServiceError", status }, { "x-request-id": `bad-${status}` });
      expect([answer.status, answer.body]).toEqual([500, { error: "Internal server error", request_id: `bad-${status}` }]);
    }
    const teapot = await postJson(`${bento.url}/fail`, { kind: "ServiceError", status: 418 });
    expect([teapot.status, teapot.body.details]).toEqual([418, { status: 418 }]);
    const unsent = await postJson(`${bento.url}/fail`, { kind: "bigint", status: 0 }, { "x-request-id": "bigint-details" });
    expect([unsent.status, unsent.body]).toEqual([409, { error: "details that are not JSON", request_id: "bigint-details" }]);
    const logged = await until(() => {
      const lines = logLines(bento.output()).filter((line) => line.msg === "the API method threw");
      return lines.length >= 5 ? lines : undefined;
    }, "the failures to be logged");
    const byRequest = new Map(logged.map((line) => [line.reqId, String((line.err as { message?: string } | undefined)?.message)]));
    expect(byRequest.get("bad-504")).toContain("A method threw a ServiceError with status 504, which only the server answers");
    expect(byRequest.get("bigint-details")).toContain("The details of a ServiceError (409) are not JSON");
  });

  it("reaches every caller of a batch it failed", async () => {
    const answers = await Promise.all(["short", "too long", "fine"].map((text) => postJson(`${bento.url}/lengths`, { texts: [text] })));
    const statuses = answers.map((answer) => answer.status);
    // The three may land in one batch or in several: each caller in the failed batch gets its 400.
    expect(statuses[1]).toBe(400);
    expect(answers[1]!.body).toMatchObject({ error: "a text in this batch is too long for the model", code: "too_long" });
    for (const answer of answers) expect([200, 400]).toContain(answer.status);
  });

  it("is listed in the OpenAPI document where the method declares it with @throws", async () => {
    const document = (await (await fetch(`${bento.url}/docs.json`)).json()) as { paths: Record<string, { post: { responses: Record<string, { description: string; headers?: object }> } }> };
    const describe = document.paths["/describe"]!.post.responses;
    expect(describe["404"]!.description).toBe("NotFound: when no model has that name");
    expect(describe["429"]).toMatchObject({ description: "QuotaExceeded: when the caller's quota is used up", headers: { "Retry-After": expect.any(Object) } });
    expect(document.paths["/layers"]!.post.responses["404"]!.description).toBe("NotFound: when no model has that name");
    expect(document.paths["/fail"]!.post.responses["409"]).toBeUndefined();
  });
});

describe("the generated client", () => {
  it("throws the typed error of each status, with the code, details, request id and Retry-After", async () => {
    const client = new generated.ModelsClient({ baseUrl: bento.url });
    const missing = await clientError(() => client.describe({ name: "nope" }));
    expect(missing).toBeInstanceOf(generated.NotFoundError!);
    expect([missing.status, missing.code, missing.message]).toEqual([404, "no_such_model", "POST /describe failed with 404: no model named 'nope'"]);
    const spent = await clientError(() => client.describe({ name: "spent" }));
    expect(spent).toBeInstanceOf(generated.TooManyRequestsError!);
    expect([spent.code, spent.body?.details, spent.retryAfterMs]).toEqual(["quota_exhausted", { used: 100, limit: 100 }, 60_000]);
    const expected = { BadRequest: "ValidationError", Unauthorized: "UnauthorizedError", Forbidden: "ForbiddenError", Conflict: "ConflictError", Unprocessable: "UnprocessableError", Unavailable: "UnavailableError" };
    for (const [kind, className] of Object.entries(expected)) {
      const error = await clientError(() => client.fail({ kind, status: 0 }));
      expect([kind, error.name]).toEqual([kind, className]);
      expect(error).toBeInstanceOf(generated[className]!);
    }
  });

  it("throws a stream's in-band error as the typed error of the status it names", async () => {
    const client = new generated.ModelsClient({ baseUrl: bento.url });
    const layers: string[] = [];
    const error = await clientError(async () => {
      for await (const layer of client.layers({ name: "nope" })) layers.push(layer);
    });
    expect(layers).toEqual([]);
    expect(error).toBeInstanceOf(generated.NotFoundError!);
    expect(error.message).toContain("no model named 'nope'");
    for await (const layer of client.layers({ name: "iris" })) layers.push(layer);
    expect(layers).toEqual(["dense"]);
  });
});

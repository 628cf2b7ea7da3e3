import { describe, expect, it } from "vitest";
import { openApiDocument, type OpenApiDocument } from "../../generators/openapi/index.js";
import type { OperationObject, ResponseObject } from "../../generators/openapi/types.js";
import { routesOf } from "../../manifest/index.js";
import { collidingManifest, irisManifest, minimalManifest } from "./manifests.js";

const BODY_ERRORS = ["400", "404", "413", "415", "500", "503"];
const QUERY_ERRORS = ["400", "404", "500", "503"];

function operations(doc: OpenApiDocument): [string, string, OperationObject][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, operation]): [string, string, OperationObject] => [path, method, operation]),
  );
}

function operation(doc: OpenApiDocument, path: string, method: "get" | "put" | "post"): OperationObject {
  const found = doc.paths[path]?.[method];
  if (found === undefined) throw new Error(`no ${method} ${path}`);
  return found;
}

function ok(op: OperationObject): ResponseObject {
  return op.responses["200"] as ResponseObject;
}

describe("openApiDocument", () => {
  const doc = openApiDocument(irisManifest());

  it("describes the bento from its entry service", () => {
    expect(doc.openapi).toBe("3.1.0");
    // The default dialect (JSON Schema 2020-12 with the OpenAPI vocabulary): the field is left out.
    expect("jsonSchemaDialect" in doc).toBe(false);
    expect(doc.info).toEqual({
      title: "IrisClassifier",
      version: "k3f9a2c1d0e4b5a6",
      summary: "Classifies iris flowers.",
      description: "Classifies iris flowers from their measurements.",
    });
    expect(doc.tags).toEqual([
      { name: "IrisClassifier", description: "Classifies iris flowers from their measurements." },
      { name: "Preprocessor", description: "Cleans measurements before classification." },
      { name: "bentoc", description: expect.stringContaining("Infrastructure") },
    ]);
  });

  it("has exactly the expected operations, with unique operationIds", () => {
    expect(operations(doc).map(([path, method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`)).toEqual([
      "POST /classify IrisClassifier_classify",
      "POST /caption caption",
      "POST /generate generate",
      "POST /tokens tokens",
      "POST /train/submit train_submit",
      "GET /train/status train_status",
      "GET /train/get train_get",
      "PUT /train/cancel train_cancel",
      "POST /train/retry train_retry",
      "POST /ping ping",
      "POST /preprocess/classify Preprocessor_classify",
      "POST /normalize normalize",
      "GET /livez livez",
      "GET /readyz readyz",
      "GET /metrics metrics",
    ]);
  });

  it("takes summary, description, deprecation, tags and batching from the API", () => {
    const classify = operation(doc, "/classify", "post");
    expect(classify.summary).toBe("Classify flowers.");
    expect(classify.description).toBe("One species per row of features.");
    expect(classify.tags).toEqual(["IrisClassifier", "inference"]);
    expect(classify["x-bentoc-batching"]).toEqual({ maxBatchSize: 64, maxLatencyMs: 10, batchDim: 0 });
    expect(operation(doc, "/normalize", "post").deprecated).toBe(true);
    expect(operation(doc, "/tokens", "post").summary).toBe("tokens");
    expect("deprecated" in classify).toBe(false);
  });

  it("sends JSON arguments as a JSON body", () => {
    const body = operation(doc, "/classify", "post").requestBody!;
    expect(body.required).toBe(true);
    expect(Object.keys(body.content)).toEqual(["application/json"]);
    expect(body.content["application/json"]!.schema).toEqual(irisManifest().services[0]!.apis[0]!.input.schema);
  });

  it("sends files as multipart parts with an encoding for each file argument", () => {
    const body = operation(doc, "/caption", "post").requestBody!;
    expect(Object.keys(body.content)).toEqual(["multipart/form-data"]);
    expect(body.content["multipart/form-data"]!.encoding).toEqual({
      image: { contentType: "application/octet-stream" },
      extra: { contentType: "application/octet-stream" },
    });
  });

  it("gives an API without arguments an optional object body", () => {
    const body = operation(doc, "/ping", "post").requestBody!;
    expect(body.required).toBe(false);
    expect(body.content["application/json"]!.schema).toEqual({ type: "object", properties: {} });
  });

  it("answers a unary API with its output as JSON", () => {
    expect(ok(operation(doc, "/classify", "post")).content).toEqual({
      "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/Species" } } },
    });
  });

  it("answers a stream API with one content entry per stream media type", () => {
    const strings = ok(operation(doc, "/generate", "post"));
    expect(strings.content).toEqual({
      "text/event-stream": { schema: { type: "string" } },
      "application/x-ndjson": { schema: { type: "string" } },
      "text/plain": { schema: { type: "string" } },
    });
    const objects = ok(operation(doc, "/tokens", "post"));
    expect(objects.content).toEqual({
      "text/event-stream": { schema: { $ref: "#/components/schemas/Token" } },
      "application/x-ndjson": { schema: { $ref: "#/components/schemas/Token" } },
    });
    expect(objects.description).toMatch(/each event is one JSON-encoded element/);
    expect(objects.description).toMatch(/each line is one JSON-encoded element/);
  });

  it("turns a task API into submit, status, get, cancel and retry", () => {
    const submit = operation(doc, "/train/submit", "post");
    expect(Object.keys(submit.requestBody!.content)).toEqual(["application/json"]);
    expect(ok(submit).content).toEqual({
      "application/json": { schema: { $ref: "#/components/schemas/BentocTaskSubmitted" } },
    });
    for (const [path, method] of [["/train/status", "get"], ["/train/cancel", "put"], ["/train/retry", "post"]] as const) {
      const op = operation(doc, path, method);
      expect(op.parameters).toEqual([{ $ref: "#/components/parameters/BentocTaskId" }]);
      expect(op.requestBody).toBeUndefined();
      expect(ok(op).content).toEqual({ "application/json": { schema: { $ref: "#/components/schemas/BentocTaskStatus" } } });
    }
    const get = operation(doc, "/train/get", "get");
    expect(ok(get).content).toEqual({ "application/json": { schema: { $ref: "#/components/schemas/Report" } } });
    expect(Object.keys(get.responses)).toEqual(["200", "400", "404", "409", "500", "503"]);
    expect(doc.components.parameters).toEqual({
      BentocTaskId: expect.objectContaining({ name: "task_id", in: "query", required: true, schema: { type: "string" } }),
    });
    expect(doc.components.schemas.BentocTaskState).toEqual(
      expect.objectContaining({ enum: ["pending", "running", "success", "failure", "cancelled"] }),
    );
    expect(doc.components.schemas.BentocTaskStatus).toEqual(
      expect.objectContaining({ required: ["task_id", "status", "created_at", "executed_at"] }),
    );
  });

  it("lists the shared error responses on every API operation", () => {
    for (const [path, method, op] of operations(doc)) {
      if (op["x-bentoc-operational"] === true) continue;
      const expected = op.requestBody === undefined ? QUERY_ERRORS : BODY_ERRORS;
      for (const status of expected) {
        expect(op.responses[status], `${method} ${path} ${status}`).toEqual({
          $ref: `#/components/responses/${refName(doc, status)}`,
        });
      }
    }
    const unavailable = doc.components.responses.BentocUnavailable!;
    expect(unavailable.headers?.["Retry-After"]?.schema).toEqual({ type: "integer", minimum: 0 });
    for (const response of Object.values(doc.components.responses)) {
      expect(response.content).toEqual({ "application/json": { schema: { $ref: "#/components/schemas/BentocError" } } });
    }
    expect(doc.components.schemas.BentocError).toEqual(expect.objectContaining({ type: "object", required: ["error"] }));
  });

  it("adds the operational endpoints, marked and tagged", () => {
    for (const path of ["/livez", "/readyz", "/metrics"]) {
      const op = operation(doc, path, "get");
      expect(op["x-bentoc-operational"]).toBe(true);
      expect(op.tags).toEqual(["bentoc"]);
    }
    expect(Object.keys(operation(doc, "/readyz", "get").responses)).toEqual(["200", "503"]);
    expect(ok(operation(doc, "/metrics", "get")).content).toEqual({ "text/plain": { schema: { type: "string" } } });
  });

  it("moves $defs to components.schemas and leaves no manifest reference behind", () => {
    const json = JSON.stringify(doc);
    expect(json).not.toContain("#/$defs/");
    expect(json).not.toContain('"$schema"');
    expect(json).not.toContain('"$id"');
    expect(Object.keys(doc.components.schemas)).toEqual([
      ...Object.keys(irisManifest().$defs),
      "BentocError", "BentocTaskState", "BentocTaskStatus", "BentocTaskSubmitted",
    ]);
    expect(doc.components.schemas.Report).toEqual(
      expect.objectContaining({
        properties: expect.objectContaining({
          finishedAt: { type: "string", format: "date-time", "x-bentoc-type": "Date" },
        }),
      }),
    );
  });

  it("keeps user $defs names and renames its own schemas around them", () => {
    const colliding = openApiDocument(collidingManifest());
    expect(Object.keys(colliding.components.schemas)).toEqual([
      "BentocError", "BentocTaskStatus", "Page_Order_",
      "BentocError_2", "BentocTaskState", "BentocTaskStatus_2", "BentocTaskSubmitted",
    ]);
    expect(colliding.components.responses.BentocBadRequest!.content).toEqual({
      "application/json": { schema: { $ref: "#/components/schemas/BentocError_2" } },
    });
    expect(ok(operation(colliding, "/checkout/status", "get")).content).toEqual({
      "application/json": { schema: { $ref: "#/components/schemas/BentocTaskStatus_2" } },
    });
    expect(JSON.stringify(colliding)).toContain('"$ref":"#/components/schemas/Page_Order_"');
  });

  it("leaves task components out of a bento without tasks", () => {
    const minimal = openApiDocument(minimalManifest());
    expect(Object.keys(minimal.components.schemas)).toEqual(["BentocError"]);
    expect(minimal.components.parameters).toBeUndefined();
    expect(minimal.tags[0]).toEqual({ name: "Hello", description: "The APIs of the Hello service." });
  });

  it("puts a task's operations on the routes the manifest reserves for it", () => {
    const train = irisManifest().services[0]!.apis.find((api) => api.name === "train")!;
    const taskPaths = operations(doc).map(([path]) => path).filter((path) => path.startsWith("/train/"));
    expect(taskPaths).toEqual(routesOf(train).slice(1));
  });
});

describe("openApiDocument of one service", () => {
  // Routes are unique per service, so two services may share one.
  function sharedRouteManifest() {
    const manifest = irisManifest();
    manifest.services[1]!.apis[0]!.route = "/classify";
    return manifest;
  }

  it("describes only that service, with only the schemas it uses", () => {
    const doc = openApiDocument(sharedRouteManifest(), { service: "Preprocessor" });
    expect(doc.info).toEqual({
      title: "Preprocessor",
      version: "k3f9a2c1d0e4b5a6",
      description: "Cleans measurements before classification.",
    });
    expect(doc.tags.map((tag) => tag.name)).toEqual(["Preprocessor", "bentoc"]);
    expect(operations(doc).map(([path, , op]) => `${path} ${op.operationId}`)).toEqual([
      "/classify classify",
      "/normalize normalize",
      "/livez livez",
      "/readyz readyz",
      "/metrics metrics",
    ]);
    expect(Object.keys(doc.components.schemas)).toEqual(["Tree", "BentocError"]);
    expect(doc.components.parameters).toBeUndefined();
  });

  it("refuses to put two services' operations on one path of a combined document", () => {
    expect(() => openApiDocument(sharedRouteManifest())).toThrow(
      /Services "IrisClassifier" and "Preprocessor" both serve POST \/classify.*`service` option/,
    );
  });

  it("names the services there are when asked for one that is not", () => {
    expect(() => openApiDocument(irisManifest(), { service: "Nope" })).toThrow(
      /no service "Nope"; its services are IrisClassifier, Preprocessor/,
    );
  });
});

function refName(doc: OpenApiDocument, status: string): string {
  const names: Record<string, string> = {
    "400": "BentocBadRequest", "404": "BentocNotFound", "413": "BentocPayloadTooLarge",
    "415": "BentocUnsupportedMediaType", "500": "BentocInternalError", "503": "BentocUnavailable",
  };
  expect(doc.components.responses[names[status]!]).toBeDefined();
  return names[status]!;
}

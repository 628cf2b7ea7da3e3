// Hand-built manifests, shaped like the compiler's output, that exercise every kind of API
// and the schema features the generator has to rewrite.
import {
  JSON_MEDIA_TYPE, MULTIPART_MEDIA_TYPE, NDJSON_MEDIA_TYPE, SSE_MEDIA_TYPE, TEXT_MEDIA_TYPE,
  type ApiManifest, type BentoManifest, type JsonSchema, type JsonSchemaObject, type ParameterManifest,
  type ServiceManifest,
} from "../../manifest/types.js";

const ref = (name: string): JsonSchemaObject => ({ $ref: `#/$defs/${name}` });

function input(properties: Record<string, JsonSchema>, required: string[], files: Record<string, "file" | "files"> = {}) {
  const parameters: ParameterManifest[] = Object.keys(properties).map((name, index) => ({
    name,
    index,
    required: required.includes(name),
    transport: files[name] ?? "json",
  }));
  const hasFiles = Object.keys(files).length > 0;
  return {
    schema: { type: "object", properties, required, additionalProperties: false },
    mediaTypes: hasFiles ? [MULTIPART_MEDIA_TYPE] : [JSON_MEDIA_TYPE],
    parameters,
  };
}

function api(fields: Partial<ApiManifest> & Pick<ApiManifest, "name" | "input" | "output">): ApiManifest {
  return {
    method: fields.name,
    route: `/${fields.name}`,
    httpMethod: "POST",
    kind: "unary",
    doc: {},
    tags: [],
    ...fields,
  };
}

function service(name: string, doc: ServiceManifest["doc"], apis: ApiManifest[]): ServiceManifest {
  return {
    name,
    className: name,
    module: "service.ts",
    doc,
    config: { resources: { cpu: 2, memory: "1Gi" }, workers: 2, traffic: { timeout: 30 }, envs: [] },
    models: [],
    dependencies: [],
    hooks: { onStartup: [], onShutdown: [] },
    apis,
  };
}

function manifest(services: ServiceManifest[], $defs: Record<string, JsonSchema>): BentoManifest {
  return {
    manifestVersion: 1,
    name: "iris",
    version: "k3f9a2c1d0e4b5a6",
    bentocVersion: "0.1.0",
    creationTime: "2025-01-01T00:00:00.000Z",
    labels: {},
    entryService: services[0]!.name,
    services,
    models: [],
    include: ["**/*.ts"],
    exclude: [],
    docker: { nodeVersion: "20", systemPackages: [] },
    $defs,
  };
}

// What the compiler writes for `File`/`Blob` arguments that travel as multipart parts.
const filePart = (typeName: string): JsonSchemaObject => ({
  type: "string",
  format: "binary",
  contentMediaType: "application/octet-stream",
  "x-bentoc-type": typeName,
});

const irisDefs: Record<string, JsonSchema> = {
  Species: { type: "string", enum: ["setosa", "versicolor", "virginica"] },
  Tree: {
    type: "object",
    properties: { value: { type: "number" }, children: { type: "array", items: ref("Tree") } },
    required: ["value", "children"],
  },
  Circle: {
    type: "object",
    properties: { kind: { const: "circle" }, radius: { type: "number", exclusiveMinimum: 0 } },
    required: ["kind", "radius"],
  },
  Square: {
    type: "object",
    properties: { kind: { const: "square" }, side: { type: "number" } },
    required: ["kind", "side"],
  },
  Shape: {
    oneOf: [ref("Circle"), ref("Square")],
    discriminator: { propertyName: "kind", mapping: { circle: "#/$defs/Circle", square: "#/$defs/Square" } },
  },
  Metric: { type: "object", properties: { name: { type: "string" }, value: { type: "number" } }, required: ["name", "value"] },
  Report: {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    description: "What one training run produced.",
    properties: {
      metrics: { type: "object", additionalProperties: ref("Metric") },
      history: { type: "array", items: { type: "array", prefixItems: [{ type: "integer" }, ref("Metric")] } },
      tree: { anyOf: [ref("Tree"), { type: "null" }] },
      shapes: { type: "array", items: ref("Shape") },
      finishedAt: { type: "string", format: "date-time", "x-bentoc-type": "Date" },
      extra: { $id: "urn:bentoc:extra", type: "object", additionalProperties: {} },
    },
    required: ["metrics", "history", "tree", "shapes", "finishedAt"],
  },
  Token: { type: "object", properties: { text: { type: "string" }, logprob: { type: "number" } }, required: ["text"] },
};

/** One service with every kind of API, a second service that reuses an API name, and shared `$defs`. */
export function irisManifest(): BentoManifest {
  const irisDoc = { summary: "Classifies iris flowers.", description: "Classifies iris flowers from their measurements." };
  const iris = service("IrisClassifier", irisDoc, [
    api({
      name: "classify",
      doc: { summary: "Classify flowers.", description: "One species per row of features." },
      tags: ["inference"],
      batching: { maxBatchSize: 64, maxLatencyMs: 10, batchDim: 0 },
      input: input({ features: { type: "array", items: { type: "array", items: { type: "number" } } } }, ["features"]),
      output: { schema: { type: "array", items: ref("Species") }, mediaTypes: [JSON_MEDIA_TYPE] },
    }),
    api({
      name: "caption",
      doc: { summary: "Caption an image." },
      input: input(
        { image: filePart("File"), extra: { type: "array", items: filePart("Blob") }, prompt: { type: "string" } },
        ["image"],
        { image: "file", extra: "files" },
      ),
      output: { schema: { type: "string" }, mediaTypes: [JSON_MEDIA_TYPE] },
    }),
    api({
      name: "generate",
      kind: "stream",
      doc: { summary: "Generate text." },
      input: input({ prompt: { type: "string" }, maxTokens: { type: "integer", maximum: 512, default: 64 } }, ["prompt"]),
      output: { schema: { type: "string" }, mediaTypes: [SSE_MEDIA_TYPE, NDJSON_MEDIA_TYPE, TEXT_MEDIA_TYPE] },
    }),
    api({
      name: "tokens",
      kind: "stream",
      input: input({ prompt: { type: "string" } }, ["prompt"]),
      output: { schema: ref("Token"), mediaTypes: [SSE_MEDIA_TYPE, NDJSON_MEDIA_TYPE] },
    }),
    api({
      name: "train",
      kind: "task",
      route: "/train",
      doc: { summary: "Train the model.", description: "Runs for a while; poll its status." },
      input: input({ epochs: { type: "integer", minimum: 1 }, shapes: { type: "array", items: ref("Shape") } }, ["epochs"]),
      output: { schema: ref("Report"), mediaTypes: [JSON_MEDIA_TYPE] },
    }),
    api({
      name: "ping",
      input: { schema: { type: "object", properties: {} }, mediaTypes: [JSON_MEDIA_TYPE], parameters: [] },
      output: { schema: { type: "string" }, mediaTypes: [JSON_MEDIA_TYPE] },
    }),
  ]);
  const preprocessor = service("Preprocessor", { description: "Cleans measurements before classification." }, [
    api({
      name: "classify",
      route: "/preprocess/classify",
      input: input({ tree: ref("Tree") }, ["tree"]),
      output: { schema: ref("Tree"), mediaTypes: [JSON_MEDIA_TYPE] },
    }),
    api({
      name: "normalize",
      route: "/normalize",
      doc: { summary: "Normalise features.", deprecated: true },
      input: input({ features: { type: "array", items: { type: "number" } } }, ["features"]),
      output: { schema: { type: "array", items: { type: "number" } }, mediaTypes: [JSON_MEDIA_TYPE] },
    }),
  ]);
  return manifest([iris, preprocessor], structuredClone(irisDefs));
}

/** `$defs` that take our own component names, and one name OpenAPI does not allow as a key. */
export function collidingManifest(): BentoManifest {
  const svc = service("Shop", { description: "A shop." }, [
    api({
      name: "checkout",
      kind: "task",
      input: input({ page: ref("Page<Order>") }, ["page"]),
      output: {
        schema: { type: "object", properties: { error: ref("BentocError"), status: ref("BentocTaskStatus") } },
        mediaTypes: [JSON_MEDIA_TYPE],
      },
    }),
  ]);
  return manifest([svc], {
    BentocError: { type: "object", properties: { reason: { type: "string" } }, required: ["reason"] },
    BentocTaskStatus: { type: "string" },
    "Page<Order>": { type: "object", properties: { items: { type: "array", items: { type: "string" } }, next: ref("Page<Order>") } },
  });
}

/** The smallest bento: one service, one API without arguments, no `$defs`. */
export function minimalManifest(): BentoManifest {
  return manifest(
    [service("Hello", {}, [api({
      name: "hello",
      input: { schema: { type: "object", properties: {} }, mediaTypes: [JSON_MEDIA_TYPE], parameters: [] },
      output: { schema: { type: "string" }, mediaTypes: [JSON_MEDIA_TYPE] },
    })])],
    {},
  );
}

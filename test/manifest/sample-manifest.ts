import type { ApiManifest, BentoManifest } from "../../manifest/index.js";

const json = ["application/json"];

function unaryApi(name: string, schema: ApiManifest["input"]["schema"], output: ApiManifest["output"]["schema"]): ApiManifest {
  return {
    name,
    method: name,
    route: `/${name}`,
    httpMethod: "POST",
    kind: "unary",
    doc: {},
    tags: ["Shop"],
    input: { schema, mediaTypes: json, parameters: [{ name: "orders", index: 0, required: true, transport: "json" }] },
    output: { schema: output, mediaTypes: json },
  };
}

/**
 * A realistic manifest: two services, APIs of each kind, batching, recursive `$defs`,
 * and strings a careless YAML writer would turn into booleans, numbers or null.
 * A fresh object on each call, so tests may mutate it.
 */
export function sampleManifest(): BentoManifest {
  return {
    manifestVersion: 1,
    name: "iris-shop",
    version: "0000000000000000",
    bentocVersion: "0.1.0",
    creationTime: "2025-03-01T12:30:00.000Z",
    labels: { team: "ml", owner: "yes", stage: "1.0", "app.kubernetes.io/part-of": "null" },
    entryService: "IrisClassifier",
    services: [
      {
        name: "IrisClassifier",
        className: "IrisClassifier",
        module: "src/service.ts",
        doc: { summary: "Classifies iris flowers.", description: "Line one.\nLine two: with a colon.\n\n  indented  \n" },
        config: {
          resources: { cpu: 2, memory: "1Gi", gpu: 0.5, gpuType: "nvidia-tesla-t4" },
          workers: 2,
          traffic: { timeout: 30, maxConcurrency: 64 },
          envs: [{ name: "MODE", value: "on" }, { name: "THRESHOLD", value: "0x10" }, { name: "EMPTY" }],
        },
        models: ["iris:latest", "openai-community/gpt2"],
        dependencies: ["Tokenizer"],
        hooks: { onStartup: ["loadModel"], onShutdown: [] },
        apis: [
          {
            name: "classify",
            method: "classify",
            route: "/classify",
            httpMethod: "POST",
            kind: "unary",
            doc: { summary: "Predicts a species per row." },
            tags: ["IrisClassifier"],
            batching: { maxBatchSize: 64, maxLatencyMs: 10, batchDim: 0 },
            input: {
              schema: {
                type: "object",
                properties: { features: { type: "array", items: { type: "array", items: { type: "number" } } } },
                required: ["features"],
                additionalProperties: false,
              },
              mediaTypes: json,
              parameters: [{ name: "features", index: 0, required: true, transport: "json" }],
            },
            output: { schema: { type: "array", items: { $ref: "#/$defs/Species" } }, mediaTypes: json },
          },
          {
            name: "generate",
            method: "generate",
            route: "/v1/generate",
            httpMethod: "POST",
            kind: "stream",
            doc: { description: "Streams tokens.", deprecated: true },
            tags: ["IrisClassifier", "llm"],
            input: {
              // Property order is declaration order and must survive the round trip.
              schema: {
                type: "object",
                properties: {
                  prompt: { type: "string", examples: ["yes", "no", ":", "- item", "#hash"] },
                  maxTokens: { type: "integer", maximum: 512, default: 64 },
                  temperature: { type: "number", default: 1.0, const: undefined },
                  stop: { anyOf: [{ type: "string" }, { type: "null" }], default: null },
                },
                required: ["prompt"],
                additionalProperties: false,
              },
              mediaTypes: json,
              parameters: [
                { name: "prompt", index: 0, required: true, transport: "json" },
                { name: "maxTokens", index: 1, required: false, transport: "json" },
                { name: "temperature", index: 2, required: false, transport: "json" },
                { name: "stop", index: 3, required: false, transport: "json" },
              ],
              contextIndex: 4,
            },
            output: { schema: { type: "string" }, mediaTypes: ["text/event-stream", "application/x-ndjson", "text/plain"] },
          },
          {
            name: "train",
            method: "train",
            route: "/train",
            httpMethod: "POST",
            kind: "task",
            doc: {},
            tags: ["IrisClassifier"],
            input: {
              schema: {
                type: "object",
                properties: {
                  data: { type: "string", contentEncoding: "base64", "x-bentoc-type": "binary" },
                  epochs: { type: "integer", minimum: 1 },
                  since: { type: "string", format: "date-time", "x-bentoc-type": "Date" },
                },
                required: ["data", "epochs"],
              },
              mediaTypes: ["multipart/form-data"],
              parameters: [
                { name: "data", index: 0, required: true, transport: "file" },
                { name: "epochs", index: 1, required: true, transport: "json" },
                { name: "since", index: 2, required: false, transport: "json" },
              ],
            },
            output: { schema: { $ref: "#/$defs/Report" }, mediaTypes: json },
          },
        ],
      },
      {
        name: "Tokenizer",
        className: "Tokenizer",
        module: "src/tokenizer.ts",
        doc: {},
        config: { resources: { cpu: "500m" }, workers: "cpu", traffic: { timeout: 5 }, envs: [] },
        models: [],
        dependencies: [],
        hooks: { onStartup: [], onShutdown: ["flush"] },
        apis: [
          unaryApi("tokenize", { type: "object", properties: { text: { type: "string" } }, required: ["text"] }, { type: "array", items: { type: "integer" } }),
          {
            ...unaryApi("parse", { type: "object", properties: { tree: { $ref: "#/$defs/Tree" } } }, true),
            route: "/parse/tree",
          },
        ],
      },
    ],
    models: [
      { tag: "iris:latest", source: "store", size: 1_048_576 },
      { tag: "openai-community/gpt2", source: "huggingface", revision: "main", include: ["*.json", "*.safetensors"], exclude: ["*.bin"] },
    ],
    include: ["src/**/*.ts", "README.md"],
    exclude: ["**/*.test.ts"],
    docker: { nodeVersion: "20", cuda: "12.4.1", systemPackages: ["libgomp1", "ffmpeg"] },
    $defs: {
      Tree: {
        type: "object",
        properties: { value: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/Tree" } } },
        required: ["value", "children"],
      },
      Species: { enum: ["setosa", "versicolor", "virginica", "yes", "no", "true", "null", "1.0"] },
      Report: {
        type: "object",
        properties: {
          accuracy: { type: "number" },
          finishedAt: { type: "string", format: "date-time", "x-bentoc-type": "Date" },
          history: { type: "array", items: { $ref: "#/$defs/Report" } },
          "$ref": { type: "string", description: "a property named like a keyword is data, not a reference" },
        },
        required: ["accuracy"],
      },
      "Page<Tree>": {
        type: "object",
        properties: { items: { type: "array", items: { $ref: "#/$defs/Tree" } }, next: { type: ["string", "null"] } },
      },
      Anything: true,
    },
  };
}

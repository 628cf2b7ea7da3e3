// The JSON Schema (2020-12) of the bento manifest itself, kept in step with types.ts
// (test/manifest/schema-types.test.ts checks the property names at compile time).
// Facts a schema cannot say (unique names, `$ref`s that resolve) live in validate.ts.

import { MAX_TASK_RETENTION_S, MAX_TASK_RETRIES_ON_LOSS } from "./types.js";

/** URL-safe path segments; no trailing slash, no empty segment. */
export const ROUTE_PATTERN = "^(/[A-Za-z0-9._~-]+)+$";
/** The name part of a store tag (`iris` in `iris:v1`): lower case, as a directory name. */
export const TAG_NAME_PATTERN = "^[a-z0-9]([a-z0-9._-]{0,62}[a-z0-9])?$";
/** The version part of a store tag (`v1` in `iris:v1`). */
export const TAG_VERSION_PATTERN = "^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$";
/** A model in the model store: `name` or `name:version` (same rule as `model()` in the SDK). */
export const MODEL_TAG_PATTERN = "^[a-z0-9]([a-z0-9._-]{0,62}[a-z0-9])?(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?$";
/** A Hugging Face Hub model id: `name` or `org/name`. */
export const HUGGINGFACE_ID_PATTERN = "^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?(/[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)?$";
/** A service name: it names processes, images and Kubernetes objects, so no dots or spaces. */
export const SERVICE_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_-]{0,62}$";
/** A JavaScript identifier: class, method and client method names. */
export const IDENTIFIER_PATTERN = "^[A-Za-z_$][A-Za-z0-9_$]*$";

const identifier = { type: "string", pattern: IDENTIFIER_PATTERN } as const;
const nonEmptyString = { type: "string", minLength: 1 } as const;
const stringList = { type: "array", items: nonEmptyString } as const;

export const MANIFEST_JSON_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "urn:bentoc:manifest:1",
  title: "bentoc bento manifest (bento.yaml)",
  type: "object",
  additionalProperties: false,
  required: [
    "manifestVersion", "name", "version", "bentocVersion", "creationTime", "labels",
    "entryService", "services", "models", "include", "exclude", "docker", "$defs",
  ],
  properties: {
    manifestVersion: { const: 1 },
    name: { type: "string", pattern: TAG_NAME_PATTERN },
    version: { type: "string", pattern: TAG_VERSION_PATTERN },
    bentocVersion: { type: "string", pattern: "^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$" },
    creationTime: { type: "string", format: "date-time" },
    labels: { type: "object", additionalProperties: { type: "string" } },
    entryService: { type: "string", pattern: SERVICE_NAME_PATTERN },
    services: { type: "array", minItems: 1, items: { $ref: "#/$defs/ServiceManifest" } },
    models: { type: "array", items: { $ref: "#/$defs/ModelManifest" } },
    include: stringList,
    exclude: stringList,
    docker: { $ref: "#/$defs/DockerManifest" },
    taskStore: { $ref: "#/$defs/TaskStoreManifest" },
    $defs: { type: "object", propertyNames: { type: "string", minLength: 1 }, additionalProperties: { $ref: "#/$defs/JsonSchema" } },
  },
  $defs: {
    /** A user schema: only its outline is checked here; its `$ref`s are checked in validate.ts. */
    JsonSchema: { type: ["object", "boolean"] },
    DocText: {
      type: "object",
      additionalProperties: false,
      properties: {
        summary: { type: "string" },
        description: { type: "string" },
        deprecated: { type: "boolean" },
      },
    },
    MediaTypes: {
      type: "array",
      minItems: 1,
      uniqueItems: true,
      items: {
        type: "string",
        pattern: "^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*/([A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*|\\*)(; *[A-Za-z0-9!#$&^_.+-]+=[^;]+)*$",
      },
    },
    ParameterManifest: {
      type: "object",
      additionalProperties: false,
      required: ["name", "index", "required", "transport"],
      properties: {
        name: nonEmptyString,
        index: { type: "integer", minimum: 0 },
        required: { type: "boolean" },
        transport: { enum: ["json", "file", "files", "messages"] },
      },
    },
    InputManifest: {
      type: "object",
      additionalProperties: false,
      required: ["schema", "mediaTypes", "parameters"],
      properties: {
        schema: { type: "object" },
        mediaTypes: { $ref: "#/$defs/MediaTypes" },
        parameters: { type: "array", items: { $ref: "#/$defs/ParameterManifest" } },
        contextIndex: { type: "integer", minimum: 0 },
      },
    },
    OutputManifest: {
      type: "object",
      additionalProperties: false,
      required: ["schema", "mediaTypes"],
      properties: {
        schema: { $ref: "#/$defs/JsonSchema" },
        mediaTypes: { $ref: "#/$defs/MediaTypes" },
      },
    },
    BatchingManifest: {
      type: "object",
      additionalProperties: false,
      required: ["maxBatchSize", "maxLatencyMs", "batchDim"],
      properties: {
        maxBatchSize: { type: "integer", minimum: 1 },
        maxLatencyMs: { type: "number", exclusiveMinimum: 0 },
        batchDim: { type: "integer", minimum: 0 },
        maxConcurrentBatches: { type: "integer", minimum: 1 },
      },
    },
    TaskManifest: {
      type: "object",
      additionalProperties: false,
      minProperties: 1,
      properties: {
        retriesOnLoss: { type: "integer", minimum: 0, maximum: MAX_TASK_RETRIES_ON_LOSS },
        retentionS: { type: "integer", minimum: 1, maximum: MAX_TASK_RETENTION_S },
      },
    },
    ApiManifest: {
      type: "object",
      additionalProperties: false,
      required: ["name", "method", "route", "httpMethod", "kind", "doc", "tags", "input", "output"],
      properties: {
        name: identifier,
        method: identifier,
        route: { type: "string", pattern: ROUTE_PATTERN },
        httpMethod: { enum: ["POST", "GET"] },
        kind: { enum: ["unary", "stream", "task", "websocket"] },
        doc: { $ref: "#/$defs/DocText" },
        tags: { type: "array", uniqueItems: true, items: nonEmptyString },
        batching: { $ref: "#/$defs/BatchingManifest" },
        task: { $ref: "#/$defs/TaskManifest" },
        input: { $ref: "#/$defs/InputManifest" },
        output: { $ref: "#/$defs/OutputManifest" },
        errors: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["status", "name"],
            properties: { status: { type: "integer", minimum: 400, maximum: 599 }, name: { type: "string", minLength: 1 }, description: { type: "string" } },
          },
        },
      },
    },
    ResourcesManifest: {
      type: "object",
      additionalProperties: false,
      properties: {
        // A core count, or a Kubernetes CPU quantity such as "500m".
        cpu: { type: ["number", "string"], exclusiveMinimum: 0, pattern: "^([0-9]+(\\.[0-9]+)?|[0-9]+m)$" },
        // A Kubernetes memory quantity such as "512Mi" or "1G".
        memory: { type: "string", pattern: "^[0-9]+(\\.[0-9]+)?([kMGTPE]|[KMGTPE]i)?$" },
        gpu: { type: "number", minimum: 0 },
        gpuType: nonEmptyString,
      },
    },
    TrafficManifest: {
      type: "object",
      additionalProperties: false,
      required: ["timeout"],
      properties: {
        timeout: { type: "number", exclusiveMinimum: 0 },
        maxConcurrency: { type: "integer", minimum: 1 },
      },
    },
    EnvVarManifest: {
      type: "object",
      additionalProperties: false,
      required: ["name"],
      properties: {
        name: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]*$" },
        value: { type: "string" },
      },
    },
    ServiceConfigManifest: {
      type: "object",
      additionalProperties: false,
      required: ["resources", "workers", "traffic", "envs"],
      properties: {
        resources: { $ref: "#/$defs/ResourcesManifest" },
        // A worker count, or "cpu" for one per available core.
        workers: { type: ["integer", "string"], minimum: 1, pattern: "^cpu$" },
        traffic: { $ref: "#/$defs/TrafficManifest" },
        envs: { type: "array", items: { $ref: "#/$defs/EnvVarManifest" } },
      },
    },
    HooksManifest: {
      type: "object",
      additionalProperties: false,
      required: ["onStartup", "onShutdown"],
      properties: {
        onStartup: { type: "array", items: identifier },
        onShutdown: { type: "array", items: identifier },
      },
    },
    ServiceManifest: {
      type: "object",
      additionalProperties: false,
      required: ["name", "className", "module", "doc", "config", "models", "dependencies", "hooks", "apis"],
      properties: {
        name: { type: "string", pattern: SERVICE_NAME_PATTERN },
        className: identifier,
        // Relative, `/`-separated, never leaving the source root.
        // Relative to the compiled file's folder ("service.ts", "models/embedder.ts", "../shared/embedder.ts"): never absolute.
        module: { type: "string", pattern: "^(?!/)(?![A-Za-z]:)(?!.*\\\\).+$" },
        doc: { $ref: "#/$defs/DocText" },
        config: { $ref: "#/$defs/ServiceConfigManifest" },
        models: stringList,
        dependencies: { type: "array", items: { type: "string", pattern: SERVICE_NAME_PATTERN } },
        externalDependencies: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["bento", "service"],
            properties: { bento: { type: "string", pattern: TAG_NAME_PATTERN }, service: { type: "string", pattern: SERVICE_NAME_PATTERN } },
          },
        },
        hooks: { $ref: "#/$defs/HooksManifest" },
        apis: { type: "array", items: { $ref: "#/$defs/ApiManifest" } },
        mounts: {
          type: "array",
          items: {
            type: "object",
            additionalProperties: false,
            required: ["path", "method", "kind"],
            properties: { path: { type: "string", pattern: "^/" }, method: identifier, kind: { enum: ["fastify", "node"] } },
          },
        },
      },
    },
    ModelManifest: {
      type: "object",
      additionalProperties: false,
      required: ["tag", "source"],
      properties: {
        tag: { type: "string" },
        source: { enum: ["store", "huggingface"] },
        revision: nonEmptyString,
        include: stringList,
        exclude: stringList,
        size: { type: "integer", minimum: 0 },
      },
      if: { properties: { source: { const: "huggingface" } } },
      then: { properties: { tag: { type: "string", pattern: HUGGINGFACE_ID_PATTERN } } },
      else: { properties: { tag: { type: "string", pattern: MODEL_TAG_PATTERN } } },
    },
    DockerManifest: {
      type: "object",
      additionalProperties: false,
      required: ["nodeVersion", "systemPackages"],
      properties: {
        nodeVersion: { type: "string", pattern: "^[0-9]+(\\.[0-9]+){0,2}$" },
        cuda: { type: "string", pattern: "^[0-9]+(\\.[0-9]+){0,2}$" },
        // Debian package names, optionally pinned (`libgomp1=12.2.0-14`); they end up in a RUN line.
        systemPackages: { type: "array", items: { type: "string", pattern: "^[a-z0-9][a-z0-9+.-]*(=[A-Za-z0-9.+~:-]+)?$" } },
        // An image reference (name[:tag][@digest]); the Dockerfile generator checks its grammar.
        baseImage: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$" },
        nodeImage: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$" },
        // A registry host with an optional path (`ghcr.io/acme`, `registry:5000/team`); the image's name and tag follow it.
        imageRegistry: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9._/:-]{0,200}$" },
      },
    },
    TaskStoreManifest: {
      type: "object",
      additionalProperties: false,
      required: ["secret"],
      properties: {
        secret: { $ref: "#/$defs/SecretKeyManifest" },
      },
    },
    // The name and key grammars are Kubernetes' own; validate.ts checks them with readable messages.
    SecretKeyManifest: {
      type: "object",
      additionalProperties: false,
      required: ["name", "key"],
      properties: {
        name: nonEmptyString,
        key: nonEmptyString,
        passwordKey: nonEmptyString,
      },
    },
  },
} as const;

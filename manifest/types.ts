// The bento manifest: the one plain, serialisable object that every stage after the
// compiler reads. Nothing here may refer to TypeScript, files on disk, or the runtime.

/** A JSON Schema 2020-12 document or subschema. `$ref`s point into the manifest's `$defs`. */
export type JsonSchema = boolean | JsonSchemaObject;
export interface JsonSchemaObject {
  [keyword: string]: unknown;
}

/** The annotation that tells the runtime and clients how to revive a JSON value. */
export const REVIVE_KEYWORD = "x-bentoc-type";
/**
 * The TypeScript template literal type (`` `user-${number}` ``) a string's `pattern` was written
 * for, so a typed client can say it again: the pattern itself is no type a client can read back.
 */
export const TEMPLATE_KEYWORD = "x-bentoc-template";
export type RevivedType = "Date" | "bigint" | "binary" | TypedArrayName;
export type TypedArrayName =
  | "Int8Array" | "Uint8Array" | "Uint8ClampedArray" | "Int16Array" | "Uint16Array"
  | "Int32Array" | "Uint32Array" | "Float32Array" | "Float64Array" | "BigInt64Array" | "BigUint64Array";

/** `websocket`: messages in and out over one WebSocket (a method taking `AsyncIterable<In>` and returning a stream). */
export type ApiKind = "unary" | "stream" | "task" | "websocket";

export const JSON_MEDIA_TYPE = "application/json";
export const MULTIPART_MEDIA_TYPE = "multipart/form-data";
export const SSE_MEDIA_TYPE = "text/event-stream";
export const NDJSON_MEDIA_TYPE = "application/x-ndjson";
export const TEXT_MEDIA_TYPE = "text/plain";

export interface DocText {
  summary?: string;
  description?: string;
  deprecated?: boolean;
}

/** How one method parameter travels on the wire. */
export interface ParameterManifest {
  name: string;
  /** Position in the method's parameter list. */
  index: number;
  required: boolean;
  /**
   * `json`: a field of the JSON body; `file`/`files`: a multipart part (or parts) holding bytes;
   * `messages`: a WebSocket API's incoming messages (its schema is one message's).
   */
  transport: "json" | "file" | "files" | "messages";
}

export interface InputManifest {
  /** One object schema: a property per named argument. */
  schema: JsonSchemaObject;
  mediaTypes: string[];
  parameters: ParameterManifest[];
  /** Index of the `Context` parameter, when the method takes one. */
  contextIndex?: number;
}

export interface OutputManifest {
  /** For unary and task APIs the whole result; for streams the schema of one element. */
  schema: JsonSchema;
  mediaTypes: string[];
}

export interface BatchingManifest {
  maxBatchSize: number;
  maxLatencyMs: number;
  batchDim: number;
  /** Batches that may run at once; absent means 1. */
  maxConcurrentBatches?: number;
}

/** Bounds of the per-task options, shared by the compiler's checks and the manifest schema. */
export const MAX_TASK_RETRIES_ON_LOSS = 10;
export const MAX_TASK_RETENTION_S = 315_360_000; // ten years

/** Per-task options of a `@task()`; each absent one means the runtime's default. */
export interface TaskManifest {
  /** Extra runs when the process running the task is lost (crash, kill, expired lease); absent means 0. */
  retriesOnLoss?: number;
  /** Seconds a finished task and its result are kept; absent means `BENTOC_TASK_RETENTION_S`. */
  retentionS?: number;
}

export interface ApiManifest {
  /** The API's public name (operationId, client method name). */
  name: string;
  /** The class method that implements it. */
  method: string;
  route: string;
  /** POST, or GET for a WebSocket API (the upgrade request). */
  httpMethod: "POST" | "GET";
  kind: ApiKind;
  doc: DocText;
  tags: string[];
  batching?: BatchingManifest;
  /** Only on kind "task" APIs that set a task option, so manifests without them stay as they were. */
  task?: TaskManifest;
  input: InputManifest;
  output: OutputManifest;
  /** The errors of its own the method declares (`@throws {NotFound} …`); absent when none. */
  errors?: ApiErrorManifest[];
}

/** An error an API declares: a ServiceError class with a status. */
export interface ApiErrorManifest {
  status: number;
  /** The class's name, e.g. `NotFound`, `QuotaExceeded`. */
  name: string;
  /** The `@throws` tag's text: when the API answers with it. */
  description?: string;
}

export interface ResourcesManifest {
  cpu?: number | string;
  memory?: string;
  gpu?: number;
  gpuType?: string;
}

export interface TrafficManifest {
  timeout: number;
  maxConcurrency?: number;
}

export interface EnvVarManifest {
  name: string;
  value?: string;
}

export interface ServiceConfigManifest {
  resources: ResourcesManifest;
  workers: number | "cpu";
  traffic: TrafficManifest;
  envs: EnvVarManifest[];
}

/** Method names run when a worker starts and when it stops, in source order. */
export interface HooksManifest {
  onStartup: string[];
  onShutdown: string[];
}

export interface ServiceManifest {
  name: string;
  /** Exported class name in the service module. */
  className: string;
  /** Module path relative to the manifest's source root, with `/` separators. */
  module: string;
  doc: DocText;
  config: ServiceConfigManifest;
  /** Model tags this service references, in source order. */
  models: string[];
  /** Names of other services this one calls. */
  dependencies: string[];
  /** Services of other bentos this one calls, through their generated clients; absent when none. */
  externalDependencies?: ExternalDependencyManifest[];
  hooks: HooksManifest;
  apis: ApiManifest[];
  /** Routes of the service's own, served under a path prefix after its APIs (`@mount`); absent when none. */
  mounts?: MountManifest[];
}

/** A `@mount(path)` method: a Fastify plugin registered under `path`, or a Node request handler for every request below it. */
export interface MountManifest {
  path: string;
  method: string;
  kind: "fastify" | "node";
}

/** A service of another bento, as its generated client names it. */
export interface ExternalDependencyManifest {
  /** The other bento's name. */
  bento: string;
  /** The service's name in that bento. */
  service: string;
}

export interface ModelManifest {
  /** `name:version` in the model store; for Hugging Face, the Hub model id (`org/name`). */
  tag: string;
  source: "store" | "huggingface";
  /** Hugging Face only. */
  revision?: string;
  include?: string[];
  exclude?: string[];
  /** Bytes, once known (filled in by `bentoc build`). */
  size?: number;
}

export interface DockerManifest {
  nodeVersion: string;
  cuda?: string;
  systemPackages: string[];
  /** An image to run on instead of the default runtime image or the CUDA image (Node is copied in). */
  baseImage?: string;
  /** The Node.js image the build stages start from, instead of `node:<nodeVersion>-bookworm-slim` (e.g. pinned by digest). */
  nodeImage?: string;
  /** Where the image is pushed (`ghcr.io/acme`): the Kubernetes manifests and `containerize` name the image under it. */
  imageRegistry?: string;
}

/** A key of a Kubernetes Secret that the deployer creates; the pod reads it as an environment variable. */
export interface SecretKeyManifest {
  /** The Secret's name (a DNS-1123 subdomain). */
  name: string;
  /** The key holding the value. */
  key: string;
  /** Another key of the same Secret holding a password kept out of the value. */
  passwordKey?: string;
}

/** The task store that the replicas of a service with task APIs share in Kubernetes. */
export interface TaskStoreManifest {
  /** The Secret holding the store's URL (`redis://…`), read as BENTOC_TASK_STORE. */
  secret: SecretKeyManifest;
}

export interface BentoManifest {
  /** Format of this document, for readers that meet an older or newer one. */
  manifestVersion: 1;
  /** The bento's name: the name part of its store tag, so lower case (`[a-z0-9._-]`). */
  name: string;
  /** Content hash of the whole manifest but `version` and `creationTime` (manifest/version.ts). */
  version: string;
  bentocVersion: string;
  creationTime: string;
  labels: Record<string, string>;
  entryService: string;
  services: ServiceManifest[];
  models: ModelManifest[];
  include: string[];
  exclude: string[];
  docker: DockerManifest;
  /** Absent unless a shared task store was named at build time; task services then stay at one replica. */
  taskStore?: TaskStoreManifest;
  /** Named schemas shared by every API's input and output. */
  $defs: Record<string, JsonSchema>;
}

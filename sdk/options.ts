// Option types of the decorators. The compiler reads the same keys statically
// (compiler/option-specs.ts); keep the two in step.

export interface ResourceOptions {
  /** CPU cores per worker: a number, or a Kubernetes quantity such as "500m". */
  cpu?: number | string;
  /** Memory per worker as a Kubernetes quantity, e.g. "1Gi". */
  memory?: string;
  /** GPUs per worker; fractions share a device. */
  gpu?: number;
  /** GPU model, e.g. "nvidia-tesla-t4" (a node selector hint). */
  gpuType?: string;
}

export interface TrafficOptions {
  /**
   * Seconds before a request is abandoned with a 504, counted from its arrival (for APIs that
   * take files, from the end of the upload); the method's Context signal is aborted then.
   */
  timeout?: number;
  /** Requests served at once per worker; more get 503 with Retry-After. */
  maxConcurrency?: number;
}

export interface EnvVar {
  name: string;
  value?: string;
}

export interface ImageOptions {
  /** Node.js version of the image, e.g. "24" (the default, the current LTS) or "22.11"; 20.19 or newer. */
  nodeVersion?: string;
  /** CUDA version for GPU images, e.g. "12" or "12.4.1". */
  cuda?: string;
  /** Debian packages installed into the image. */
  systemPackages?: readonly string[];
}

export interface ServiceOptions {
  /** Service name; defaults to the class name. */
  name?: string;
  resources?: ResourceOptions;
  /** Worker processes: a count, or "cpu" for one per available core. */
  workers?: number | "cpu";
  traffic?: TrafficOptions;
  envs?: readonly EnvVar[];
  labels?: Readonly<Record<string, string>>;
  image?: ImageOptions;
}

export interface ApiOptions {
  /** HTTP route; defaults to "/" + the method name. */
  route?: string;
  /** API name; defaults to the method name. */
  name?: string;
  /** Merge concurrent calls into one call along the batch dimension. */
  batchable?: boolean;
  /** Index of the batch dimension in input and output arrays (default 0). */
  batchDim?: number;
  /** Largest batch the method receives (default 100). */
  maxBatchSize?: number;
  /** Latency budget of a batched request in milliseconds (default 60000). */
  maxLatencyMs?: number;
  /**
   * Batches that may run at once (default 1). Raise it only when the method can run batches in
   * parallel, e.g. over a pool of model sessions with one thread each.
   */
  maxConcurrentBatches?: number;
  /** OpenAPI tags; the service name is always one. */
  tags?: readonly string[];
}

export interface TaskOptions {
  /** Base route; the task routes are `<route>/submit`, `/status`, `/get`, `/cancel`, `/retry`. */
  route?: string;
  name?: string;
  tags?: readonly string[];
  /**
   * How many more times the task runs when the process running it is lost (crashed, killed, or its
   * lease expired); a whole number from 0 to 10. Default 0: such a task ends as a failure. Only
   * for tasks that are safe to run again from the start.
   */
  retriesOnLoss?: number;
  /**
   * Seconds a finished task and its result are kept before its id answers 404; a whole number from
   * 1 to 315360000 (ten years). Default: the server's `BENTOC_TASK_RETENTION_S` (a day).
   */
  retentionS?: number;
}

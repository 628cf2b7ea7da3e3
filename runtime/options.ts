/** How a bento server runs; everything has a default that is safe to expose. */
export interface ServerOptions {
  port?: number;
  host?: string;
  /** Largest request body, after decompression (default 32 MiB). */
  bodyLimit?: number;
  /** Largest uploaded file and number of files per request. */
  maxFileSize?: number;
  maxFiles?: number;
  /** Time a client has to send its whole request (default 60 s; never unlimited). */
  requestTimeoutMs?: number;
  /** How long shutdown waits for in-flight requests (default: the traffic timeout). */
  shutdownTimeoutMs?: number;
  /** Allow cross-origin calls: true for any origin, or a list of origins. */
  cors?: boolean | string[];
  /** Log format: pretty in a terminal, JSON otherwise; false for none. */
  logger?: boolean | "pretty" | "json";
  logLevel?: string;
  /** Collect process metrics (CPU, memory, event loop) next to the request metrics. */
  processMetrics?: boolean;
  /** Where tasks are kept: an LMDB folder (default `$BENTOC_HOME/tasks/<bento>`), or "memory". */
  taskStore?: string;
  /** Tasks running at once (default 4); more wait as pending. */
  taskConcurrency?: number;
}

export const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/** Options from the environment, so a container is configured without code: BENTOC_PORT, BENTOC_HOST, … */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): ServerOptions {
  const options: ServerOptions = {};
  const number = (name: string) => (env[name] !== undefined && /^\d+$/.test(env[name]!) ? Number(env[name]) : undefined);
  const port = number("BENTOC_PORT") ?? number("PORT");
  if (port !== undefined) options.port = port;
  if (env.BENTOC_HOST) options.host = env.BENTOC_HOST;
  const bodyLimit = number("BENTOC_BODY_LIMIT");
  if (bodyLimit !== undefined) options.bodyLimit = bodyLimit;
  if (env.BENTOC_CORS) options.cors = env.BENTOC_CORS === "*" || env.BENTOC_CORS === "true" ? true : env.BENTOC_CORS.split(",").map((origin) => origin.trim());
  if (env.BENTOC_LOG_FORMAT === "json" || env.BENTOC_LOG_FORMAT === "pretty") options.logger = env.BENTOC_LOG_FORMAT;
  if (env.BENTOC_LOG_LEVEL) options.logLevel = env.BENTOC_LOG_LEVEL;
  if (env.BENTOC_TASK_STORE) options.taskStore = env.BENTOC_TASK_STORE;
  return options;
}

import { SERVICE_ENV } from "../manifest/service-selection.js";
import { tracingRequested } from "./tracing.js";
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
  /**
   * Where tasks are kept: an LMDB folder (default `$BENTOC_HOME/tasks/<bento>`), shared by the
   * workers of one machine; a `redis://` or `rediss://` URL, shared by every replica; or "memory".
   */
  taskStore?: string;
  /** The Redis task store's password, when it is not in the URL. */
  taskStorePassword?: string;
  /** How long a runner's lease on a running task lasts unless renewed (default 30 s): how long a lost runner's tasks stay running. */
  taskLeaseMs?: number;
  /**
   * How often an SSE stream that waits for its next element sends a keep-alive comment (default
   * 15 s; 0: never), so proxies that close idle connections keep a slow stream open.
   */
  sseKeepAliveMs?: number;
  /** Tasks running at once (default 4); more wait as pending. */
  taskConcurrency?: number;
  /** Seconds a finished task and its result are kept (default 24 hours). */
  taskRetentionS?: number;
  /** Serve only these services of the bento (BENTOC_SERVICE, comma-separated); their other dependencies are reached by URL. Default: every service. */
  services?: string[];
  /** The environment the dependencies' URLs are read from (`BENTOC_DEPENDENCY_<NAME>_URL`); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Export OpenTelemetry traces over OTLP (the standard `OTEL_*` variables say where); default off. */
  tracing?: boolean;
}

export const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
export const DEFAULT_SSE_KEEP_ALIVE_MS = 15_000;

/** A variable of the environment that configures the server holds a value it cannot use. */
export class EnvironmentError extends Error {}

/** Why `raw` is not a whole number from `min` to `max` (naming the setting `label`); undefined when it is one. */
export function notWholeNumber(label: string, raw: string, min: number, max: number): string | undefined {
  const value = /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  return value >= min && value <= max ? undefined : `${label} must be a whole number from ${min} to ${max}; got '${raw}'`;
}

/** A URL's scheme (`redis://…`); two characters or more, so a Windows drive (`C:\\…`) is a folder. */
const URL_SCHEME = /^([a-zA-Z][a-zA-Z0-9+.-]+):/;
const REDIS_SCHEMES = new Set(["redis", "rediss"]);

/**
 * Why `store` is no task store bentoc can open (undefined when it is one: `memory`, a folder, or
 * a redis:// or rediss:// URL). A URL was taken for a folder once: `redis://127.0.0.1:6379/0`
 * made a folder named `redis:`. The value is echoed without the URL's password.
 */
export function taskStoreProblem(label: string, store: string): string | undefined {
  const scheme = URL_SCHEME.exec(store)?.[1]?.toLowerCase();
  if (scheme === undefined) return undefined;
  const got = `got '${withoutPassword(store)}'`;
  if (!REDIS_SCHEMES.has(scheme)) {
    return `${label} must be memory, a folder, or a redis:// or rediss:// URL (a ${scheme}: URL is no store bentoc can use; write ./${store.split("/")[0]} for a folder with a colon in its name); ${got}`;
  }
  let url: URL;
  try {
    url = new URL(store);
  } catch {
    return `${label} is no valid URL; ${got}`;
  }
  if (url.hostname === "") return `${label} must name the Redis server's host (redis://host:6379/0); ${got}`;
  if (!/^\/?(\d+)?$/.test(url.pathname)) return `${label} must end with a database number, if anything (redis://host:6379/0); ${got}`;
  return undefined;
}

/** The URL without its password, for messages. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password === "") return url;
    parsed.password = "***";
    return parsed.href;
  } catch {
    return url.replace(/\/\/[^@/]*@/, "//***@");
  }
}

const LOG_FORMATS = ["json", "pretty"];
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

/**
 * Options from the environment, so a container is configured without code: BENTOC_PORT (or
 * PORT), BENTOC_HOST, BENTOC_BODY_LIMIT, BENTOC_CORS, BENTOC_LOG_FORMAT, BENTOC_LOG_LEVEL,
 * BENTOC_TASK_STORE, BENTOC_TASK_STORE_PASSWORD, BENTOC_TASK_RETENTION_S, BENTOC_TASK_LEASE_MS,
 * BENTOC_SSE_KEEP_ALIVE_MS, BENTOC_SERVICE. A value that cannot be used is an
 * EnvironmentError naming the variable, never silently a default: a typo would otherwise serve
 * on another port or log at another level.
 */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): ServerOptions {
  const options: ServerOptions = {};
  const wholeNumber = (name: string, max: number, min: number) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return undefined;
    const problem = notWholeNumber(name, raw, min, max);
    if (problem) throw new EnvironmentError(problem);
    return Number(raw);
  };
  const oneOf = (name: string, allowed: readonly string[]) => {
    const raw = env[name];
    if (raw === undefined || raw === "") return undefined;
    if (!allowed.includes(raw)) throw new EnvironmentError(`${name} must be one of ${allowed.join(", ")}; got '${raw}'`);
    return raw;
  };
  const port = wholeNumber("BENTOC_PORT", 65535, 0) ?? wholeNumber("PORT", 65535, 0);
  if (port !== undefined) options.port = port;
  if (env.BENTOC_HOST) options.host = env.BENTOC_HOST;
  const bodyLimit = wholeNumber("BENTOC_BODY_LIMIT", Number.MAX_SAFE_INTEGER, 1);
  if (bodyLimit !== undefined) options.bodyLimit = bodyLimit;
  if (env.BENTOC_CORS) options.cors = env.BENTOC_CORS === "*" || env.BENTOC_CORS === "true" ? true : env.BENTOC_CORS.split(",").map((origin) => origin.trim());
  const logFormat = oneOf("BENTOC_LOG_FORMAT", LOG_FORMATS);
  if (logFormat !== undefined) options.logger = logFormat as "json" | "pretty";
  const logLevel = oneOf("BENTOC_LOG_LEVEL", LOG_LEVELS);
  if (logLevel !== undefined) options.logLevel = logLevel;
  if (env.BENTOC_TASK_STORE) {
    const problem = taskStoreProblem("BENTOC_TASK_STORE", env.BENTOC_TASK_STORE);
    if (problem) throw new EnvironmentError(problem);
    options.taskStore = env.BENTOC_TASK_STORE;
  }
  if (env.BENTOC_TASK_STORE_PASSWORD) options.taskStorePassword = env.BENTOC_TASK_STORE_PASSWORD;
  const lease = wholeNumber("BENTOC_TASK_LEASE_MS", 24 * 3600 * 1000, 300);
  if (lease !== undefined) options.taskLeaseMs = lease;
  const retention = wholeNumber("BENTOC_TASK_RETENTION_S", 10 * 365 * 24 * 3600, 1);
  if (retention !== undefined) options.taskRetentionS = retention;
  if (env[SERVICE_ENV]) options.services = env[SERVICE_ENV].split(",").map((name) => name.trim()).filter(Boolean);
  const keepAlive = wholeNumber("BENTOC_SSE_KEEP_ALIVE_MS", 24 * 3600 * 1000, 0);
  if (keepAlive !== undefined) options.sseKeepAliveMs = keepAlive;
  if (tracingRequested(env)) options.tracing = true;
  return options;
}

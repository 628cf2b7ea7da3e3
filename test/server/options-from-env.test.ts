import { describe, expect, it } from "vitest";
import { EnvironmentError, optionsFromEnv } from "../../runtime/options.js";

describe("server options from the environment", () => {
  it("reads every variable it knows, and leaves out the unset and the empty", () => {
    expect(optionsFromEnv({ BENTOC_PORT: "8080", BENTOC_HOST: "0.0.0.0", BENTOC_BODY_LIMIT: "1024", BENTOC_CORS: "https://a.example, https://b.example", BENTOC_LOG_FORMAT: "json", BENTOC_LOG_LEVEL: "warn", BENTOC_TASK_STORE: "memory" })).toEqual({
      port: 8080, host: "0.0.0.0", bodyLimit: 1024, cors: ["https://a.example", "https://b.example"], logger: "json", logLevel: "warn", taskStore: "memory",
    });
    expect(optionsFromEnv({ PORT: "0", BENTOC_CORS: "*", BENTOC_SSE_KEEP_ALIVE_MS: "0", BENTOC_TASK_RETENTION_S: "3600" })).toEqual({ port: 0, cors: true, sseKeepAliveMs: 0, taskRetentionS: 3600 });
    expect(optionsFromEnv({ BENTOC_PORT: "", BENTOC_LOG_LEVEL: "" })).toEqual({});
    // BENTOC_PORT wins over the platform's PORT.
    expect(optionsFromEnv({ BENTOC_PORT: "3001", PORT: "5000" }).port).toBe(3001);
  });

  it.each([
    [{ BENTOC_PORT: "abc" }, "BENTOC_PORT must be a whole number from 0 to 65535; got 'abc'"],
    [{ BENTOC_PORT: "65536" }, "BENTOC_PORT must be a whole number from 0 to 65535; got '65536'"],
    [{ PORT: "-1" }, "PORT must be a whole number from 0 to 65535; got '-1'"],
    [{ BENTOC_BODY_LIMIT: "0" }, "BENTOC_BODY_LIMIT must be a whole number from 1 to"],
    [{ BENTOC_BODY_LIMIT: "1e6" }, "BENTOC_BODY_LIMIT must be a whole number"],
    [{ BENTOC_SSE_KEEP_ALIVE_MS: "15s" }, "BENTOC_SSE_KEEP_ALIVE_MS must be a whole number from 0 to 86400000; got '15s'"],
    [{ BENTOC_TASK_RETENTION_S: "0" }, "BENTOC_TASK_RETENTION_S must be a whole number from 1 to"],
    [{ BENTOC_TASK_RETENTION_S: "1d" }, "BENTOC_TASK_RETENTION_S must be a whole number"],
    [{ BENTOC_LOG_FORMAT: "xml" }, "BENTOC_LOG_FORMAT must be one of json, pretty; got 'xml'"],
    [{ BENTOC_LOG_LEVEL: "verbose" }, "BENTOC_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got 'verbose'"],
    [{ BENTOC_TASK_STORE: "postgres://db.example/tasks" }, "BENTOC_TASK_STORE must be memory, a folder, or a redis:// or rediss:// URL (a postgres: URL is no store bentoc can use; write ./postgres: for a folder with a colon in its name); got 'postgres://db.example/tasks'"],
    [{ BENTOC_TASK_STORE: "rediss://user:s3cret@cache.example:6380/tasks" }, "BENTOC_TASK_STORE must end with a database number, if anything (redis://host:6379/0); got 'rediss://user:***@cache.example:6380/tasks'"],
    [{ BENTOC_TASK_STORE: "redis:///0" }, "BENTOC_TASK_STORE must name the Redis server's host"],
    [{ BENTOC_TASK_LEASE_MS: "10" }, "BENTOC_TASK_LEASE_MS must be a whole number from 300 to 86400000; got '10'"],
  ])("refuses %o, naming the variable", (env, message) => {
    expect(() => optionsFromEnv(env)).toThrow(EnvironmentError);
    expect(() => optionsFromEnv(env)).toThrow(message);
  });

  it("takes folders for the task store, a Windows drive and ./name-with-colon included, and never echoes a URL's password", () => {
    for (const folder of ["/var/lib/bentoc/tasks", "tasks", "./redis:6379", "C:\\bentoc\\tasks", "memory"]) expect(optionsFromEnv({ BENTOC_TASK_STORE: folder }).taskStore).toBe(folder);
    expect(() => optionsFromEnv({ BENTOC_TASK_STORE: "redis://:hunter2@127.0.0.1:6379/x" })).not.toThrow(/hunter2/);
    expect(() => optionsFromEnv({ BENTOC_TASK_STORE: "redis://:hunter2@127.0.0.1:6379/x" })).toThrow(EnvironmentError);
  });

  it("takes a Redis URL, its password apart, and the lease", () => {
    for (const url of ["redis://127.0.0.1:6379/0", "redis://cache", "rediss://user:s3cret@cache.example:6380/1", "REDIS://cache:6379/"]) expect(optionsFromEnv({ BENTOC_TASK_STORE: url }).taskStore).toBe(url);
    expect(optionsFromEnv({ BENTOC_TASK_STORE: "redis://cache:6379/0", BENTOC_TASK_STORE_PASSWORD: "s3cret", BENTOC_TASK_LEASE_MS: "5000" })).toEqual({ taskStore: "redis://cache:6379/0", taskStorePassword: "s3cret", taskLeaseMs: 5000 });
  });
});

import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BentoManifest } from "../../manifest/types.js";
import { optionsFromEnv } from "../../runtime/options.js";
import { openTaskStore } from "../../runtime/tasks/open-task-store.js";
import { redisServerMissing, startRedisServer, type RedisServer } from "../support/redis-server.js";

const missing = redisServerMissing();
const PASSWORD = "s3cret-pass";

describe.skipIf(missing)(`a Redis task store that asks for a password${missing ? ` (skipped: ${missing})` : ""}`, () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
    const admin = new Redis(redis.url());
    await admin.config("SET", "requirepass", PASSWORD);
    admin.disconnect();
  });
  afterAll(async () => redis?.stop());

  const manifest = { name: `bento-${randomUUID().slice(0, 8)}` } as BentoManifest;
  const url = () => `redis://127.0.0.1:${redis.port}/3`;

  it.each([
    ["BENTOC_TASK_STORE_PASSWORD", () => ({ BENTOC_TASK_STORE: url(), BENTOC_TASK_STORE_PASSWORD: PASSWORD })],
    ["the URL", () => ({ BENTOC_TASK_STORE: `redis://:${PASSWORD}@127.0.0.1:${redis.port}/3` })],
  ])("is opened with the password from %s", async (_where, env) => {
    const store = openTaskStore(manifest, optionsFromEnv(env()));
    await store.ready();
    const added = await store.add({ task_id: randomUUID(), api: "a", status: "pending", created_at: new Date().toISOString(), executed_at: null, finished_at: null, input: [1], attempts: 0, max_attempts: 1, retention_ms: 1000 }, false);
    expect((await store.get(added.task_id))?.input).toEqual([1]);
    await store.close();
  });

  it("without it, refuses to start in one line that names the variable and hides any password", async () => {
    const store = openTaskStore(manifest, optionsFromEnv({ BENTOC_TASK_STORE: `redis://:wrong@127.0.0.1:${redis.port}/3` }));
    await expect(store.ready()).rejects.toThrow(new RegExp(`^BENTOC_TASK_STORE: the Redis server at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port}/3 cannot be used: (WRONGPASS|ERR invalid password)`));
    await store.close();
  });
});

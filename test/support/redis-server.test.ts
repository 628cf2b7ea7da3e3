import fs from "node:fs";
import net from "node:net";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { answersPing, redisServerMissing, startRedisServer, type RedisServer } from "./redis-server.js";

const missing = redisServerMissing();

/** Whether something accepts connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

describe.skipIf(missing)(`test/support/redis-server${missing ? ` (skipped: ${missing})` : ""}`, () => {
  const started: RedisServer[] = [];
  afterAll(async () => {
    await Promise.all(started.map((redis) => redis.stop()));
  });

  it("starts a redis-server on 127.0.0.1 that keeps a value, and stop() frees its port and removes its folder", async () => {
    const redis = await startRedisServer();
    started.push(redis);
    expect(redis.url(3)).toBe(`redis://127.0.0.1:${redis.port}/3`);
    const client = new Redis(redis.url(), { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await client.connect();
      await client.set("bentoc:probe", "value");
      expect(await client.get("bentoc:probe")).toBe("value");
      // Nothing is persisted: no RDB snapshots, no append-only file.
      expect(await client.config("GET", "save")).toEqual(["save", ""]);
      expect(await client.config("GET", "appendonly")).toEqual(["appendonly", "no"]);
      const [, dir] = (await client.config("GET", "dir")) as [string, string];
      expect(fs.existsSync(dir)).toBe(true);
      client.disconnect();

      await redis.stop();
      expect(await listening(redis.port)).toBe(false);
      expect(await answersPing(redis.port)).toBe(false);
      expect(fs.existsSync(dir)).toBe(false);
      await redis.stop(); // a second stop() is harmless
    } finally {
      client.disconnect();
    }
  });

  it("starts two servers side by side at different ports", async () => {
    const [a, b] = await Promise.all([startRedisServer(), startRedisServer()]);
    started.push(a!, b!);
    expect(a!.port).not.toBe(b!.port);
    expect(await answersPing(a!.port)).toBe(true);
    expect(await answersPing(b!.port)).toBe(true);
  });

  it("fails with redis-server's own words when the port is taken", async () => {
    const blocker = net.createServer((socket) => socket.destroy()); // holds the port; close() waits for no connection
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = blocker.address() as net.AddressInfo;
      await expect(startRedisServer({ port })).rejects.toThrow(/exited .* before it answered PING[\s\S]*in use/i);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

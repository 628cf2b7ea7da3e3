// A real redis-server for a test: start it in beforeAll, `stop()` it in afterAll. The
// implementation is bench/redis-server.ts, shared with `npm run bench:tasks`.
//
//   const missing = redisServerMissing();
//   describe.skipIf(missing)(`tasks on Redis${missing ? ` (skipped: ${missing})` : ""}`, () => {
//     let redis: RedisServer;
//     beforeAll(async () => { redis = await startRedisServer(); });
//     afterAll(() => redis?.stop());
//   });
//
// .ci/run installs Debian's redis-server where it is missing, so CI never skips such a suite.
export { answersPing, findRedisServer, redisServerMissing, startRedisServer, type RedisServer, type RedisServerOptions } from "../../bench/redis-server.js";

import { createHook } from "node:async_hooks";

/**
 * Keeps one of Node's `process.nextTick` tick objects alive for the life of the process.
 *
 * Node 20 builds each queued tick with an object literal keyed by symbols, and V8 remembers one
 * object shape for that literal. When it meets a second shape (our reading: the first was
 * garbage-collected at a moment when no tick was queued), it gives up on the literal, and the
 * optimised `nextTick` then defines every property through the runtime. Node's streams queue
 * several ticks per HTTP request: in `npm run bench:http` the generated server spent about a
 * microsecond more per request in `nextTick` than the hand-written route. A tick object that
 * stays alive keeps its shape alive (docs/performance.md has the measurements).
 * `BENTOC_KEEP_TICK_SHAPE=0` turns this off, to compare.
 */
let retained: object | undefined;

/** The retained tick object (undefined when turned off, or on a Node that names ticks differently). */
export function retainTickShape(): object | undefined {
  if (retained !== undefined || process.env.BENTOC_KEEP_TICK_SHAPE === "0") return retained;
  const hook = createHook({
    init(_asyncId, type, _triggerAsyncId, resource) {
      if (type === "TickObject") retained ??= resource as object;
    },
  });
  hook.enable();
  try {
    process.nextTick(() => {});
  } finally {
    hook.disable();
  }
  return retained;
}

retainTickShape();

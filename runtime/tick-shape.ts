import { executionAsyncResource } from "node:async_hooks";

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
 *
 * The tick object is taken from inside its own callback, where it is the execution resource.
 * Not with an async hook's `init`: enabling any async hook, even for a moment, installs promise
 * hooks, and V8 then leaves its fast promise paths for the rest of the process (every `await`
 * got slower; docs/performance.md).
 * `BENTOC_KEEP_TICK_SHAPE=0` turns this off, to compare.
 */
let retained: object | undefined;
let scheduled = false;

/**
 * Schedules the capture on first call; returns the retained tick object once the tick has run
 * (undefined before that, when turned off, or on a Node that runs ticks differently).
 */
export function retainTickShape(): object | undefined {
  if (!scheduled && process.env.BENTOC_KEEP_TICK_SHAPE !== "0") {
    scheduled = true;
    process.nextTick(() => {
      const resource = executionAsyncResource() as { callback?: unknown };
      if (typeof resource.callback === "function") retained = resource;
    });
  }
  return retained;
}

retainTickShape();

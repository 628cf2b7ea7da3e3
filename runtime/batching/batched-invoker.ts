import type { ApiManifest } from "../../manifest/types.js";
import type { ApiInvoker } from "../api-route.js";
import { RequestContext } from "../context.js";
import type { Tracing } from "../tracing.js";
import { BatchDispatcher } from "./dispatcher.js";

/** Adaptive batching hooks (metrics), for APIs with `batching`. */
export interface BatchingHooks {
  onBatch(size: number, waitsMs: number[]): void;
  onShed(): void;
}

/**
 * An API's method as every caller reaches it, its HTTP route and the services that depend on it
 * alike, so concurrent callers of both end up in the same batches. A batchable API's one array
 * parameter goes to its dispatcher, which merges concurrent calls into one call of the method.
 * The method sees the caller's own Context only when its batch holds that one call; a merged
 * batch gets a fresh Context of its own (no request headers, id "batch-N", never aborted by a
 * client), and what the method sets on it (status, headers) reaches no caller. Any other API's
 * invoker is returned as it is.
 */
export function batchedInvoker(api: ApiManifest, invoke: ApiInvoker, hooks: BatchingHooks | undefined, tracing?: Tracing): ApiInvoker {
  const batchName = api.batching && api.kind !== "stream" ? api.input.parameters[0]?.name : undefined;
  if (!api.batching || batchName === undefined) return invoke;
  const takesContext = api.input.contextIndex !== undefined;
  let batches = 0;
  const dispatcher = new BatchDispatcher({
    ...api.batching,
    run: (batch, contexts) => {
      const context = !takesContext ? undefined : contexts.length === 1 ? (contexts[0] as RequestContext) : new RequestContext({}, `batch-${++batches}`);
      const run = () => invoke({ [batchName]: batch }, context);
      return tracing ? tracing.aroundBatch(api.name, batch.length, contexts, run) : run();
    },
    onBatch: hooks?.onBatch,
    onShed: hooks?.onShed,
  });
  return (input, context) => dispatcher.submit(input[batchName] as unknown[], context);
}

// The endpoints every bentoc server has besides its APIs: probes and metrics. Marked so that
// client generators and docs can tell them from the service's own operations.
import type { PlannedOperation, ReferenceObject, ResponseObject } from "./types.js";
import { errorResponseRefs } from "./errors.js";

export const INFRASTRUCTURE_TAG = {
  name: "bentoc",
  description: "Infrastructure endpoints every bentoc server has: liveness, readiness and Prometheus metrics.",
};

export function operationalOperations(): PlannedOperation[] {
  return [
    probe("/livez", "livez", "Liveness probe", "Answers 200 while the server process is up.", {
      "200": { description: "The server is alive." },
    }),
    probe("/readyz", "readyz", "Readiness probe", "Answers 200 once the service has started and can take requests.", {
      "200": { description: "The server is ready." },
      ...errorResponseRefs(["503"]),
    }),
    probe("/metrics", "metrics", "Prometheus metrics", "Request, batching and worker metrics of all workers.", {
      "200": {
        description: "Metrics in the Prometheus text exposition format.",
        content: { "text/plain": { schema: { type: "string" } } },
      },
    }),
  ];
}

function probe(
  path: string,
  operationId: string,
  summary: string,
  description: string,
  responses: Record<string, ResponseObject | ReferenceObject>,
): PlannedOperation {
  return {
    path,
    method: "get",
    service: INFRASTRUCTURE_TAG.name,
    operation: {
      operationId,
      summary,
      description,
      tags: [INFRASTRUCTURE_TAG.name],
      "x-bentoc-operational": true,
      responses,
    },
  };
}

// The operation of a WebSocket API: `GET <route>` that upgrades. OpenAPI has no WebSocket
// object, so the messages and replies are described by an extension, `x-bentoc-websocket`.
import type { ApiManifest, JsonSchema, ServiceManifest } from "../../manifest/types.js";
import { declaredErrorResponses, errorResponseRefs, QUERY_ERRORS } from "./errors.js";
import { operationHeader } from "./operations.js";
import type { DocumentContext, PlannedOperation } from "./types.js";

const PROTOCOL =
  "Upgrades to a WebSocket. Each text frame the client sends is one JSON message (an empty frame ends the input); " +
  "each text frame the server sends is one JSON reply. The server closes with 1000 when the replies end, " +
  "1007 for a message that is not valid, 4000 + the status for an error of the service's own (4404, 4429, …), " +
  "1011 when the API fails, and 4408 after the traffic timeout without a message either way.";

export function websocketOperation(service: ServiceManifest, api: ApiManifest, context: DocumentContext): PlannedOperation {
  const parameter = api.input.parameters.find((candidate) => candidate.transport === "messages")!;
  const message = ((api.input.schema.properties ?? {}) as Record<string, JsonSchema>)[parameter.name] ?? true;
  const header = operationHeader(service, api, { id: api.name, summary: api.doc.summary ?? api.name });
  return {
    path: api.route,
    method: "get",
    service: service.name,
    operation: {
      ...header,
      description: header.description === undefined ? PROTOCOL : `${header.description}\n\n${PROTOCOL}`,
      "x-bentoc-websocket": { messages: context.rewrite(message), replies: context.rewrite(api.output.schema) },
      responses: {
        "101": { description: "Switching Protocols: the WebSocket is open." },
        ...errorResponseRefs(QUERY_ERRORS),
        ...declaredErrorResponses(api.errors, context.names.own.error),
      },
    },
  };
}

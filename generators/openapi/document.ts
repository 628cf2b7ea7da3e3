// Assembles the OpenAPI 3.1 document of a bento from its manifest and nothing else.
import type { BentoManifest, JsonSchema, ServiceManifest } from "../../manifest/types.js";
import { allocateComponentNames } from "./component-names.js";
import { errorResponseComponents, errorSchema } from "./errors.js";
import { INFRASTRUCTURE_TAG, operationalOperations } from "./operational.js";
import { apiOperation } from "./operations.js";
import { reachableSchemas } from "./reachable.js";
import { schemaRewriter } from "./schemas.js";
import { TASK_ID_PARAMETER, taskIdParameter, taskOperations, taskSchemas } from "./task-operations.js";
import { websocketOperation } from "./websocket-operation.js";
import type {
  DocumentContext, OpenApiDocument, OpenApiInfo, OpenApiTag, PathItemObject, PlannedOperation,
} from "./types.js";

export interface OpenApiDocumentOptions {
  /** Describe only this service, as its own server serves it; by default the document covers every service. */
  service?: string;
}

export function openApiDocument(manifest: BentoManifest, options: OpenApiDocumentOptions = {}): OpenApiDocument {
  const services = documentedServices(manifest, options.service);
  const names = allocateComponentNames(Object.keys(manifest.$defs));
  const context: DocumentContext = { names, rewrite: schemaRewriter(names) };
  const planned = [
    ...services.flatMap((service) =>
      service.apis.flatMap((api) =>
        api.kind === "task" ? taskOperations(service, api, context) : api.kind === "websocket" ? [websocketOperation(service, api, context)] : [apiOperation(service, api, context)],
      ),
    ),
    ...operationalOperations(),
  ];
  const hasTasks = services.some((service) => service.apis.some((api) => api.kind === "task"));
  const paths = pathsOf(withUniqueOperationIds(planned));
  // Only the error responses some operation refers to (a bento without streams never answers 406).
  const pathsText = JSON.stringify(paths);
  const responses = Object.fromEntries(
    Object.entries(errorResponseComponents(names.own.error)).filter(([name]) => pathsText.includes(`"#/components/responses/${name}"`)),
  );
  const schemas: Record<string, JsonSchema> = Object.fromEntries([
    ...Object.entries(manifest.$defs).map(([name, schema]) => [names.defs.get(name) ?? name, context.rewrite(schema)]),
    [names.own.error, errorSchema()],
    ...Object.entries(taskSchemas(names)),
  ]);
  const used = reachableSchemas([paths, responses], schemas);
  return {
    // No `jsonSchemaDialect`: OpenAPI 3.1's default dialect already is JSON Schema 2020-12 (with
    // the OpenAPI vocabulary), which is what the schemas are; Swagger UI warns on any other value.
    openapi: "3.1.0",
    info: infoOf(manifest, options.service ?? manifest.entryService),
    // Relative to wherever the document is served from, which is the server itself.
    servers: [{ url: "/", description: "The server that serves this document." }],
    // bentoc servers do no authentication; saying so keeps it from reading as an omission.
    security: [],
    tags: [...services.map(serviceTag), { ...INFRASTRUCTURE_TAG }],
    paths,
    components: {
      schemas: Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name))),
      responses,
      ...(hasTasks && { parameters: { [TASK_ID_PARAMETER]: taskIdParameter() } }),
    },
  };
}

function documentedServices(manifest: BentoManifest, only: string | undefined): ServiceManifest[] {
  if (only === undefined) return manifest.services;
  const service = manifest.services.find((candidate) => candidate.name === only);
  if (service === undefined) {
    const known = manifest.services.map((candidate) => candidate.name).join(", ");
    throw new Error(`The bento "${manifest.name}" has no service "${only}"; its services are ${known}.`);
  }
  return [service];
}

function infoOf(manifest: BentoManifest, title: string): OpenApiInfo {
  const doc = manifest.services.find((service) => service.name === title)?.doc ?? {};
  return {
    title,
    version: manifest.version,
    ...(doc.summary !== undefined && { summary: doc.summary }),
    ...(doc.description !== undefined && { description: doc.description }),
  };
}

function serviceTag(service: ServiceManifest): OpenApiTag {
  return {
    name: service.name,
    description: service.doc.description ?? service.doc.summary ?? `The APIs of the ${service.name} service.`,
  };
}

/** API names are unique within a service only; an id two operations share gets each one's service as a prefix. */
function withUniqueOperationIds(planned: PlannedOperation[]): PlannedOperation[] {
  const uses = new Map<string, number>();
  for (const { operation } of planned) uses.set(operation.operationId, (uses.get(operation.operationId) ?? 0) + 1);
  const taken = new Set<string>();
  return planned.map((entry) => {
    const id = entry.operation.operationId;
    const base = (uses.get(id) ?? 0) > 1 ? `${entry.service}_${id}` : id;
    // A prefixed id can still meet an API that was named that way on purpose.
    let unique = base;
    for (let n = 2; taken.has(unique); n++) unique = `${base}_${n}`;
    taken.add(unique);
    return { ...entry, operation: { ...entry.operation, operationId: unique } };
  });
}

function pathsOf(planned: PlannedOperation[]): Record<string, PathItemObject> {
  const paths: Record<string, PathItemObject> = {};
  const owners = new Map<string, PlannedOperation>();
  for (const entry of planned) {
    const key = `${entry.method} ${entry.path}`;
    const existing = owners.get(key);
    if (existing !== undefined) throw new Error(routeClash(existing, entry));
    owners.set(key, entry);
    (paths[entry.path] ??= {})[entry.method] = entry.operation;
  }
  return paths;
}

// The compiler keeps routes unique across the whole bento (one server serves all its services),
// but a manifest read from elsewhere is only checked per service: say which services clash.
function routeClash(existing: PlannedOperation, clashing: PlannedOperation): string {
  const route = `${clashing.method.toUpperCase()} ${clashing.path}`;
  if (existing.service === clashing.service) {
    const ids = `"${existing.operation.operationId}" and "${clashing.operation.operationId}"`;
    return `Operations ${ids} are both ${route}; give one of them another route.`;
  }
  return (
    `Services "${existing.service}" and "${clashing.service}" both serve ${route}, which one OpenAPI document ` +
    `cannot describe twice; generate a document per service with the \`service\` option.`
  );
}

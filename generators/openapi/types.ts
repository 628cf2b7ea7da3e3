// The subset of the OpenAPI 3.1 object model this generator emits. Kept structural and
// plain so the document can be serialised as JSON or YAML without conversion.
import type { JsonSchema } from "../../manifest/types.js";
import type { ComponentNames } from "./component-names.js";
import type { SchemaRewriter } from "./schemas.js";

export type HttpMethod = "get" | "put" | "post";

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: OpenApiInfo;
  servers: { url: string; description?: string }[];
  security: Record<string, string[]>[];
  tags: OpenApiTag[];
  paths: Record<string, PathItemObject>;
  components: OpenApiComponents;
}

export interface OpenApiInfo {
  title: string;
  version: string;
  summary?: string;
  description?: string;
}

export interface OpenApiTag {
  name: string;
  description?: string;
}

export interface OpenApiComponents {
  schemas: Record<string, JsonSchema>;
  responses: Record<string, ResponseObject>;
  parameters?: Record<string, ParameterObject>;
}

export type PathItemObject = Partial<Record<HttpMethod, OperationObject>>;

export interface OperationObject {
  operationId: string;
  summary: string;
  description?: string;
  deprecated?: boolean;
  tags: string[];
  parameters?: (ParameterObject | ReferenceObject)[];
  requestBody?: RequestBodyObject;
  responses: Record<string, ResponseObject | ReferenceObject>;
  [extension: `x-${string}`]: unknown;
}

export type OperationHeader = Omit<OperationObject, "parameters" | "requestBody" | "responses">;

export interface ReferenceObject {
  $ref: string;
}

export interface ParameterObject {
  name: string;
  in: "query" | "path" | "header";
  description?: string;
  required: boolean;
  schema: JsonSchema;
}

export interface RequestBodyObject {
  required: boolean;
  content: Record<string, MediaTypeObject>;
}

export interface MediaTypeObject {
  schema?: JsonSchema;
  encoding?: Record<string, { contentType: string }>;
}

export interface ResponseObject {
  description: string;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
  content?: Record<string, MediaTypeObject>;
}

/** One operation and where it lives, before operationIds are made unique across the document. */
export interface PlannedOperation {
  path: string;
  method: HttpMethod;
  /** The service it belongs to, used to disambiguate operationIds shared by two services. */
  service: string;
  operation: OperationObject;
}

/** What every operation builder needs to know about the document being assembled. */
export interface DocumentContext {
  names: ComponentNames;
  rewrite: SchemaRewriter;
}

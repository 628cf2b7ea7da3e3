export type {
  BentoManifest, ServiceManifest, ServiceConfigManifest, ResourcesManifest, TrafficManifest, EnvVarManifest, HooksManifest,
  ApiManifest, ApiKind, BatchingManifest, TaskManifest, InputManifest, OutputManifest, ParameterManifest,
  ModelManifest, DockerManifest, TaskStoreManifest, SecretKeyManifest, DocText, JsonSchema, JsonSchemaObject, RevivedType, TypedArrayName,
} from "./types.js";
export {
  REVIVE_KEYWORD, TEMPLATE_KEYWORD, MAX_TASK_RETRIES_ON_LOSS, MAX_TASK_RETENTION_S, JSON_MEDIA_TYPE, MULTIPART_MEDIA_TYPE, SSE_MEDIA_TYPE, NDJSON_MEDIA_TYPE, TEXT_MEDIA_TYPE,
} from "./types.js";
export {
  MANIFEST_JSON_SCHEMA, ROUTE_PATTERN, TAG_NAME_PATTERN, TAG_VERSION_PATTERN, MODEL_TAG_PATTERN,
  HUGGINGFACE_ID_PATTERN, SERVICE_NAME_PATTERN, IDENTIFIER_PATTERN,
} from "./manifest-schema.js";
export { validateManifest } from "./validate.js";
export { RESERVED_ROUTES, TASK_ENDPOINTS, TASK_SUBROUTES, endpointsOf, routesOf, taskPath } from "./routes.js";
export type { Endpoint, TaskAction } from "./routes.js";
export { IMAGE_REGISTRY_MAX_LENGTH, imageReference, imageRegistryProblem } from "./image-registry.js";
export {
  TASK_STORE_ENV, TASK_STORE_PASSWORD_ENV, TASK_STORE_SECRET_ENV, DEFAULT_TASK_STORE_SECRET_KEY, secretKeyProblem, secretNameProblem,
} from "./task-store-secret.js";
export type { ManifestValidation } from "./validate.js";
export { writeBentoYaml, readBentoYaml, ManifestError, BENTO_YAML_KEY_ORDER } from "./bento-yaml.js";
export { manifestVersionHash, withVersion, canonicalJson } from "./version.js";

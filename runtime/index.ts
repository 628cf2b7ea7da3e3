// What generated servers link against.
export { BentoServer } from "./server.js";
export type { ApiInvoker } from "./api-route.js";
export { optionsFromEnv, type ServerOptions } from "./options.js";
export { serviceMetadataOf } from "../sdk/decorators.js";
export type { ServiceMetadata, EndpointMetadata } from "../sdk/decorators.js";
export type { BentoManifest } from "../manifest/types.js";
export { runMain, type LoadServer, type MainConfig } from "./workers/index.js";

// What generated servers link against.
import "./tick-shape.js"; // first: keeps a nextTick object shape alive before any stream runs
import "./models.js"; // registers the model store resolver behind model(...).resolve() and .path
export { BentoServer } from "./server.js";
export type { ApiInvoker } from "./api-route.js";
export { optionsFromEnv, type ServerOptions } from "./options.js";
export { serviceMetadataOf } from "../sdk/decorators.js";
export type { ServiceMetadata, EndpointMetadata } from "../sdk/decorators.js";
export type { BentoManifest } from "../manifest/types.js";
export { runMain, type LoadServer, type MainConfig } from "./workers/index.js";

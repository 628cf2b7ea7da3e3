// The runtime generated servers link against (HTTP app, batching, workers, tasks) lands
// with the server generator; the SDK's metadata reader is what it builds on.
export { serviceMetadataOf } from "../sdk/decorators.js";
export type { ServiceMetadata, EndpointMetadata } from "../sdk/decorators.js";

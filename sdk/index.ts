export { service, api, task, onStartup, onShutdown, serviceMetadataOf } from "./decorators.js";
export type { ServiceMetadata, EndpointMetadata, EndpointKind } from "./decorators.js";
export type { ServiceOptions, ApiOptions, TaskOptions, ResourceOptions, TrafficOptions, EnvVar, ImageOptions } from "./options.js";
export type { Context } from "./context.js";
export { model, huggingface } from "./model.js";
export type { ModelRef, HuggingFaceRef, ResolvedModel } from "./model.js";
export type { int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64, integer } from "./numeric.js";
export type { JsonValue, Tensor, DType } from "./types.js";

import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import { imageRegistryProblem } from "./image-registry.js";
import { secretKeyProblem, secretNameProblem } from "./task-store-secret.js";
import { MANIFEST_JSON_SCHEMA } from "./manifest-schema.js";
import { RESERVED_ROUTES, routesOf } from "./routes.js";
import type { ApiManifest, BentoManifest, JsonSchema, ServiceManifest } from "./types.js";

export type ManifestValidation =
  | { ok: true; manifest: BentoManifest }
  | { ok: false; problems: string[] };

const require = createRequire(import.meta.url);
let compiled: ValidateFunction | undefined;

// Loaded and compiled on first use: `bentoc compile` writes manifests without reading one,
// and must start fast.
function manifestValidator(): ValidateFunction {
  if (compiled === undefined) {
    const Ajv2020 = (require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js")).default;
    const addFormats = (require("ajv-formats") as typeof import("ajv-formats")).default;
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    addFormats(ajv, ["date-time"]);
    compiled = ajv.compile(MANIFEST_JSON_SCHEMA);
  }
  return compiled;
}

/**
 * Checks a value against the manifest schema and the rules a schema cannot express.
 * Each problem reads `path: message`, the path `/`-separated from the manifest root.
 */
export function validateManifest(value: unknown): ManifestValidation {
  const validate = manifestValidator();
  if (!validate(value)) {
    return { ok: false, problems: dedupe((validate.errors ?? []).filter(isReportable).map(describeSchemaError)) };
  }
  // The cross-references below assume the shape is right, so they run only once it is.
  const manifest = value as BentoManifest;
  const problems = semanticProblems(manifest);
  return problems.length === 0 ? { ok: true, manifest } : { ok: false, problems };
}

function isReportable(error: ErrorObject): boolean {
  // The failing branch of an if/then/else reports its own, more precise error.
  return error.keyword !== "if";
}

function describeSchemaError(error: ErrorObject): string {
  const at = error.instancePath.split("/").slice(1).map(unescapePointerToken);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${formatPath([...at, String(params.missingProperty)])}: is required but missing`;
    case "additionalProperties":
      return `${formatPath([...at, String(params.additionalProperty)])}: is not a known property here`;
    case "enum":
      return `${formatPath(at)}: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`;
    case "const":
      return `${formatPath(at)}: must be ${JSON.stringify(params.allowedValue)}`;
    default:
      return `${formatPath(at)}: ${error.message ?? `fails ${error.keyword}`}`;
  }
}

function formatPath(segments: readonly (string | number)[]): string {
  return segments.length === 0 ? "(root)" : segments.join("/");
}

function dedupe(problems: string[]): string[] {
  return [...new Set(problems)];
}

function semanticProblems(manifest: BentoManifest): string[] {
  const problems: string[] = [];
  const report = (path: readonly (string | number)[], message: string) => problems.push(`${formatPath(path)}: ${message}`);

  const serviceIndex = firstIndexBy(manifest.services, (s) => s.name, (i, first) =>
    report(["services", i, "name"], `duplicate service name "${manifest.services[i]!.name}" (also services/${first}/name)`));
  if (!serviceIndex.has(manifest.entryService)) {
    report(["entryService"], `names no service; the services are ${listNames(manifest.services.map((s) => s.name))}`);
  }

  const modelTags = firstIndexBy(manifest.models, (m) => m.tag, (i, first) =>
    report(["models", i, "tag"], `duplicate model "${manifest.models[i]!.tag}" (also models/${first}/tag)`));

  manifest.services.forEach((service, s) => {
    const at = ["services", s] as const;
    service.dependencies.forEach((dependency, d) => {
      if (dependency === service.name) report([...at, "dependencies", d], "a service cannot depend on itself");
      else if (!serviceIndex.has(dependency)) report([...at, "dependencies", d], `names no service in this bento: "${dependency}"`);
    });
    service.models.forEach((tag, m) => {
      if (!modelTags.has(tag)) report([...at, "models", m], `model "${tag}" is not listed in the bento's models`);
    });
    checkApis(service, (path, message) => report([...at, ...path], message));
  });

  const registry = manifest.docker.imageRegistry;
  const registryProblem = registry === undefined ? undefined : imageRegistryProblem(registry);
  if (registryProblem !== undefined) report(["docker", "imageRegistry"], registryProblem);
  checkTaskStoreSecret(manifest, report);

  const defs = manifest.$defs;
  for (const name of Object.keys(defs)) checkRefs(defs[name]!, defs, ["$defs", name], report);
  manifest.services.forEach((service, s) =>
    service.apis.forEach((api, a) => {
      checkRefs(api.input.schema, defs, ["services", s, "apis", a, "input", "schema"], report);
      checkRefs(api.output.schema, defs, ["services", s, "apis", a, "output", "schema"], report);
    }));
  return problems;
}

type Report = (path: readonly (string | number)[], message: string) => void;

function checkTaskStoreSecret(manifest: BentoManifest, report: Report): void {
  const secret = manifest.taskStore?.secret;
  if (secret === undefined) return;
  const at = ["taskStore", "secret"] as const;
  const nameProblem = secretNameProblem(secret.name);
  if (nameProblem !== undefined) report([...at, "name"], nameProblem);
  for (const field of ["key", "passwordKey"] as const) {
    const value = secret[field];
    const problem = value === undefined ? undefined : secretKeyProblem(value);
    if (problem !== undefined) report([...at, field], problem);
  }
}

function checkApis(service: ServiceManifest, report: Report): void {
  firstIndexBy(service.apis, (api) => api.name, (i, first) =>
    report(["apis", i, "name"], `duplicate API name "${service.apis[i]!.name}" (also apis/${first}/name)`));

  // Every path the service answers, with who takes it, so that task sub-routes collide too.
  const taken = new Map<string, string>();
  for (const route of RESERVED_ROUTES) taken.set(route, "the server itself");
  service.apis.forEach((api, a) => {
    for (const route of routesOf(api)) {
      const owner = taken.get(route);
      if (owner !== undefined) report(["apis", a, "route"], `route ${route} is already taken by ${owner}`);
      else taken.set(route, `apis/${a} (${api.name})`);
    }
    if (api.task !== undefined && api.kind !== "task") report(["apis", a, "task"], `task options on an API of kind "${api.kind}"; only tasks take them`);
    checkParameters(api, (path, message) => report(["apis", a, "input", ...path], message));
  });
}


function checkParameters(api: ApiManifest, report: Report): void {
  const { parameters, contextIndex } = api.input;
  firstIndexBy(parameters, (p) => p.name, (i, first) =>
    report(["parameters", i, "name"], `duplicate parameter "${parameters[i]!.name}" (also parameters/${first}/name)`));
  firstIndexBy(parameters, (p) => p.index, (i, first) =>
    report(["parameters", i, "index"], `parameter position ${parameters[i]!.index} is also parameters/${first}/index`));
  if (contextIndex !== undefined && parameters.some((p) => p.index === contextIndex)) {
    report(["contextIndex"], `position ${contextIndex} is also a parameter's index`);
  }
}

/** Indexes items by key; calls `onDuplicate(index, firstIndex)` for each repeat. */
function firstIndexBy<T, K>(items: readonly T[], key: (item: T) => K, onDuplicate: (index: number, first: number) => void): Map<K, number> {
  const seen = new Map<K, number>();
  items.forEach((item, i) => {
    const k = key(item);
    const first = seen.get(k);
    if (first === undefined) seen.set(k, i);
    else onDuplicate(i, first);
  });
  return seen;
}

function listNames(names: readonly string[]): string {
  return names.length === 0 ? "(none)" : names.map((n) => `"${n}"`).join(", ");
}

// Keywords whose values are schemas, lists of schemas, or maps of schemas. Anything else
// (`const`, `enum`, `default`, `examples`, extensions) holds data, where a "$ref" key is data.
const SUBSCHEMA_KEYWORDS = new Set([
  "additionalProperties", "items", "contains", "propertyNames", "not", "if", "then", "else",
  "unevaluatedItems", "unevaluatedProperties", "contentSchema", "additionalItems",
]);
const SUBSCHEMA_LIST_KEYWORDS = new Set(["allOf", "anyOf", "oneOf", "prefixItems", "items"]);
const SUBSCHEMA_MAP_KEYWORDS = new Set(["properties", "patternProperties", "dependentSchemas", "$defs", "definitions"]);

const DEFS_REF_PREFIX = "#/$defs/";

/** Reports every `$ref` (and OpenAPI discriminator mapping) in `schema` that does not resolve in `defs`. */
function checkRefs(schema: JsonSchema, defs: BentoManifest["$defs"], path: readonly (string | number)[], report: Report): void {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return;
  for (const [keyword, value] of Object.entries(schema)) {
    const at = [...path, keyword];
    if (keyword === "$ref") {
      checkRef(value, defs, at, report);
    } else if (keyword === "discriminator" && isPlainObject(value) && isPlainObject(value.mapping)) {
      for (const [tag, target] of Object.entries(value.mapping)) checkRef(target, defs, [...at, "mapping", tag], report);
    } else if (SUBSCHEMA_LIST_KEYWORDS.has(keyword) && Array.isArray(value)) {
      value.forEach((sub, i) => checkRefs(sub as JsonSchema, defs, [...at, i], report));
    } else if (SUBSCHEMA_MAP_KEYWORDS.has(keyword) && isPlainObject(value)) {
      for (const [name, sub] of Object.entries(value)) checkRefs(sub as JsonSchema, defs, [...at, name], report);
    } else if (SUBSCHEMA_KEYWORDS.has(keyword)) {
      checkRefs(value as JsonSchema, defs, at, report);
    }
  }
}

function checkRef(ref: unknown, defs: BentoManifest["$defs"], path: readonly (string | number)[], report: Report): void {
  if (typeof ref !== "string" || !ref.startsWith(DEFS_REF_PREFIX)) {
    report(path, `must point into the manifest's $defs ("${DEFS_REF_PREFIX}Name"), not ${JSON.stringify(ref)}`);
    return;
  }
  let tokens: string[];
  try {
    tokens = decodeURIComponent(ref.slice(DEFS_REF_PREFIX.length)).split("/").map(unescapePointerToken);
  } catch {
    report(path, `is not a valid URI fragment: ${JSON.stringify(ref)}`);
    return;
  }
  const [name, ...rest] = tokens as [string, ...string[]];
  if (!Object.hasOwn(defs, name)) {
    report(path, `${JSON.stringify(ref)} does not resolve: $defs has no "${name}"`);
    return;
  }
  let target: unknown = defs[name];
  for (const token of rest) {
    const next = Array.isArray(target) ? target[Number(token)] : isPlainObject(target) && Object.hasOwn(target, token) ? target[token] : undefined;
    if (next === undefined) {
      report(path, `${JSON.stringify(ref)} does not resolve: $defs/${name} has nothing at "${token}"`);
      return;
    }
    target = next;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function unescapePointerToken(token: string): string {
  return token.replace(/~1/g, "/").replace(/~0/g, "~");
}

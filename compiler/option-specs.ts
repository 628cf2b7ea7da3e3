// What each decorator accepts, checked at compile time. Mirrors sdk/options.ts, which
// gives service authors the same keys as TypeScript types.

import { MAX_TASK_RETENTION_S, MAX_TASK_RETRIES_ON_LOSS } from "../manifest/types.js";

export type OptionSpec =
  | { kind: "string"; pattern?: RegExp; hint?: string }
  | { kind: "number"; integer?: boolean; minimum?: number; maximum?: number; positive?: boolean }
  | { kind: "boolean" }
  | { kind: "literal"; value: string }
  | { kind: "object"; fields: Readonly<Record<string, OptionSpec>> }
  | { kind: "array"; items: OptionSpec }
  | { kind: "record"; values: OptionSpec }
  | { kind: "either"; options: readonly OptionSpec[] };

const string: OptionSpec = { kind: "string" };
const positiveNumber: OptionSpec = { kind: "number", positive: true };
const positiveInteger: OptionSpec = { kind: "number", integer: true, minimum: 1 };
const stringList: OptionSpec = { kind: "array", items: string };
const route: OptionSpec = { kind: "string", hint: "a route such as \"/predict\"" };
const quantity: OptionSpec = { kind: "string", pattern: /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/, hint: "a Kubernetes quantity such as \"500m\" or \"2Gi\"" };

export const SERVICE_OPTIONS: OptionSpec = {
  kind: "object",
  fields: {
    name: { kind: "string", pattern: /^[A-Za-z][A-Za-z0-9_-]{0,62}$/, hint: "a name of letters, digits, '_' and '-'" },
    resources: {
      kind: "object",
      fields: {
        cpu: { kind: "either", options: [positiveNumber, quantity] },
        memory: quantity,
        gpu: positiveNumber,
        gpuType: string,
      },
    },
    workers: { kind: "either", options: [positiveInteger, { kind: "literal", value: "cpu" }] },
    traffic: { kind: "object", fields: { timeout: positiveNumber, maxConcurrency: positiveInteger } },
    envs: {
      kind: "array",
      items: { kind: "object", fields: { name: { kind: "string", pattern: /^[A-Za-z_][A-Za-z0-9_]*$/, hint: "an environment variable name" }, value: string } },
    },
    labels: { kind: "record", values: string },
    image: {
      kind: "object",
      fields: {
        nodeVersion: { kind: "string", pattern: /^[0-9]+(\.[0-9]+){0,2}$/, hint: "a Node.js version such as \"24\"" },
        cuda: { kind: "string", pattern: /^[0-9]+(\.[0-9]+){0,2}$/, hint: "a CUDA version such as \"12\" or \"12.4.1\"" },
        systemPackages: { kind: "array", items: { kind: "string", pattern: /^[a-z0-9][a-z0-9+.-]*(=[A-Za-z0-9.+:~-]+)?$/, hint: "a Debian package name" } },
      },
    },
  },
};

export const API_OPTIONS: OptionSpec = {
  kind: "object",
  fields: {
    route,
    name: string,
    batchable: { kind: "boolean" },
    batchDim: { kind: "number", integer: true, minimum: 0 },
    maxBatchSize: positiveInteger,
    maxLatencyMs: positiveNumber,
    maxConcurrentBatches: positiveInteger,
    tags: stringList,
  },
};

export const TASK_OPTIONS: OptionSpec = {
  kind: "object",
  fields: {
    route,
    name: string,
    tags: stringList,
    retriesOnLoss: { kind: "number", integer: true, minimum: 0, maximum: MAX_TASK_RETRIES_ON_LOSS },
    retentionS: { kind: "number", integer: true, minimum: 1, maximum: MAX_TASK_RETENTION_S },
  },
};

/** How a spec reads in an error message: "a positive integer", "a string or \"cpu\"". */
export function describeSpec(spec: OptionSpec): string {
  switch (spec.kind) {
    case "string": return spec.hint ?? "a string";
    case "number":
      if (spec.integer && spec.maximum !== undefined) return `a whole number from ${spec.minimum ?? 0} to ${spec.maximum}`;
      return spec.integer ? (spec.minimum === 1 ? "a positive integer" : "a non-negative integer") : spec.positive ? "a positive number" : "a number";
    case "boolean": return "true or false";
    case "literal": return JSON.stringify(spec.value);
    case "object": return "an object";
    case "array": return `an array of ${describeSpec(spec.items).replace(/^an? /, "")}s`;
    case "record": return "an object of string values";
    case "either": return spec.options.map(describeSpec).join(" or ");
  }
}

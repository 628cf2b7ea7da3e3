import { createRequire } from "node:module";
import type { ValidateFunction } from "ajv";
import { parseDocument, stringify } from "yaml";
import { TAG_NAME_PATTERN, TAG_VERSION_PATTERN } from "../manifest/manifest-schema.js";
import { StoreError } from "./errors.js";

export const MODEL_YAML = "model.yaml";

/** One stored file of a model, relative to the entry's `files/` directory. */
export interface ModelFile {
  path: string;
  sizeBytes: number;
  sha256: string;
}

/** What `model.yaml` holds. */
export interface ModelInfo {
  name: string;
  version: string;
  creationTime: string;
  sizeBytes: number;
  files: ModelFile[];
  labels: Record<string, string>;
  /** Free-form facts about the model, e.g. where it came from (`source`, `modelId`, `revision`). */
  metadata: Record<string, unknown>;
}

const MODEL_YAML_SCHEMA = {
  type: "object",
  required: ["name", "version", "creationTime", "sizeBytes", "files", "labels", "metadata"],
  additionalProperties: false,
  properties: {
    name: { type: "string", pattern: TAG_NAME_PATTERN },
    version: { type: "string", pattern: TAG_VERSION_PATTERN },
    creationTime: { type: "string", format: "date-time" },
    sizeBytes: { type: "integer", minimum: 0 },
    files: {
      type: "array",
      items: {
        type: "object",
        required: ["path", "sizeBytes", "sha256"],
        additionalProperties: false,
        properties: {
          // Relative, "/"-separated, no "." or ".." segment, no backslash: it names a file under files/.
          path: { type: "string", pattern: "^(?!/)(?!.*\\\\)(?!(.*/)?\\.\\.?(/|$))[^\\u0000]+$" },
          sizeBytes: { type: "integer", minimum: 0 },
          sha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
        },
      },
    },
    labels: { type: "object", additionalProperties: { type: "string" } },
    metadata: { type: "object" },
  },
} as const;

const require = createRequire(import.meta.url);
let compiled: ValidateFunction | undefined;

function modelYamlValidator(): ValidateFunction {
  if (compiled === undefined) {
    const Ajv = (require("ajv") as typeof import("ajv")).default;
    const addFormats = (require("ajv-formats") as typeof import("ajv-formats")).default;
    const ajv = new Ajv({ allErrors: true, strict: true });
    addFormats(ajv, ["date-time"]);
    compiled = ajv.compile(MODEL_YAML_SCHEMA);
  }
  return compiled;
}

export function writeModelYaml(info: ModelInfo): string {
  return stringify(info, { lineWidth: 0, compat: "yaml-1.1" });
}

/** Parses and validates model.yaml text; `source` names the file in errors. */
export function readModelYaml(text: string, source: string): ModelInfo {
  const document = parseDocument(text, { uniqueKeys: true });
  if (document.errors.length > 0) throw new StoreError(`${source} is not valid YAML: ${document.errors[0]!.message.split("\n", 1)[0]}`);
  const value: unknown = document.toJS();
  const validate = modelYamlValidator();
  if (!validate(value)) {
    const problems = (validate.errors ?? []).slice(0, 3).map((error) => `${error.instancePath || "/"} ${error.message ?? "is invalid"}`);
    throw new StoreError(`${source} is not a valid model.yaml: ${problems.join("; ")}`);
  }
  return value as ModelInfo;
}

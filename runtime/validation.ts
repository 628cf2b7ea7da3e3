import { createRequire } from "node:module";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js";
import type { JsonSchema, JsonSchemaObject } from "../manifest/types.js";
import { REVIVE_KEYWORD } from "../manifest/types.js";
import { invalidInput, type SchemaProblem } from "./errors.js";

const require = createRequire(import.meta.url);
const Ajv2020 = (require("ajv/dist/2020.js") as typeof import("ajv/dist/2020.js")).default;
const addFormats = (require("ajv-formats") as typeof import("ajv-formats")).default;

export type InputValidator = (value: unknown) => void;

/**
 * What a top-level call passes for the data's position. Ajv's 2020 validators default this
 * argument with two fresh objects per call when it is left out. Only schemas with a
 * `$dynamicAnchor` store anything in `dynamicAnchors`; they are not given this one.
 */
/** What a valid value has: one shared empty list, not a new array per validated request. */
const NO_PROBLEMS: readonly SchemaProblem[] = Object.freeze([]);

const TOP_LEVEL = Object.freeze({ instancePath: "", dynamicAnchors: Object.freeze({}) }) as unknown as Parameters<ValidateFunction>[1];

/**
 * Compiles the request validators of a bento once, at startup. No type coercion: a string
 * is never taken for a number; defaults from the schema are filled in. Only a request's own
 * keys count, so a property named `constructor` or `toString` is never found on Object.prototype.
 */
export class ValidatorFactory {
  private readonly ajv;

  constructor(private readonly defs: Record<string, JsonSchema>) {
    this.ajv = new Ajv2020({ allErrors: true, coerceTypes: false, useDefaults: true, removeAdditional: false, strict: false, allowUnionTypes: true, ownProperties: true });
    addFormats(this.ajv);
    this.ajv.addFormat("binary", true);
    this.ajv.addKeyword({ keyword: REVIVE_KEYWORD, schemaType: "string" });
    this.ajv.addKeyword({ keyword: "discriminator", schemaType: "object" });
  }

  /** A function that throws a 400 naming every failing path, or returns when the value is valid. */
  compile(schema: JsonSchemaObject): InputValidator {
    const problems = this.problemsOf(schema);
    return (value) => {
      const found = problems(value);
      if (found.length > 0) throw invalidInput(found);
    };
  }

  /** Every failing path of a value (a result's JSON, say) against a schema; empty when it is valid. */
  problemsOf(schema: JsonSchema): (value: unknown) => readonly SchemaProblem[] {
    const whole = typeof schema === "boolean" ? schema : { ...schema, $defs: this.defs };
    const validate: ValidateFunction = this.ajv.compile(whole);
    // A schema with dynamic anchors writes them into that argument: it gets its own per call.
    const position = JSON.stringify(whole).includes('"$dynamicAnchor"') ? undefined : TOP_LEVEL;
    return (value) => (validate(value, position) ? NO_PROBLEMS : (validate.errors ?? []).map(describeError));
  }
}

function describeError(error: ErrorObject): SchemaProblem {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === "required") return { path: `${error.instancePath}/${String(params.missingProperty)}`, message: "is required" };
  if (error.keyword === "additionalProperties") return { path: `${error.instancePath}/${String(params.additionalProperty)}`, message: "is not allowed" };
  return { path: error.instancePath, message: error.message ?? "is invalid" };
}

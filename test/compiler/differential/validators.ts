import ajvModule from "ajv";
import ajv2020Module from "ajv/dist/2020.js";
import ajvFormatsModule from "ajv-formats";
import type { JsonSchema, JsonSchemaObject } from "../../../manifest/types.js";
import { ValidatorFactory } from "../../../runtime/validation.js";
import type { Json } from "./values.js";

const Ajv07 = ajvModule.default;
const Ajv2020 = ajv2020Module.default;
const addFormats = ajvFormatsModule.default;

export type Accepts = (value: Json) => boolean;

/** Wraps a boolean schema so `$defs` can sit beside it (spreading `false` would give `{}`). */
export function asObjectSchema(schema: JsonSchema): JsonSchemaObject {
  return typeof schema === "boolean" ? { allOf: [schema] } : schema;
}

/**
 * bentoc's side, validated as the server validates a request: the runtime's own
 * ValidatorFactory (its Ajv options), which throws when a schema would stop the server.
 */
export class BentocValidators {
  private readonly factories = new Map<Record<string, JsonSchema>, ValidatorFactory>();

  accepts(schema: JsonSchema, defs: Record<string, JsonSchema>): Accepts {
    let factory = this.factories.get(defs);
    if (!factory) this.factories.set(defs, (factory = new ValidatorFactory(defs)));
    const validate = factory.compile(asObjectSchema(schema));
    return (value) => {
      try {
        // The runtime fills defaults in place; the sample must stay as it was for the other side.
        validate(structuredClone(value));
        return true;
      } catch {
        return false;
      }
    };
  }
}

/** Whether a schema (with its `$defs`) is valid against the JSON Schema 2020-12 metaschema; the errors if not. */
export function metaschemaErrors(schema: JsonSchema, defs: Record<string, JsonSchema>): string | undefined {
  const ajv = metaschemaChecker();
  const valid = ajv.validateSchema({ ...asObjectSchema(schema), $defs: defs });
  return valid ? undefined : ajv.errorsText(ajv.errors);
}

let checker: InstanceType<typeof Ajv2020> | undefined;
function metaschemaChecker(): InstanceType<typeof Ajv2020> {
  return (checker ??= new Ajv2020({ strict: false, validateFormats: false }));
}

/** The reference's schemas are draft-07 (`definitions`); validated by Ajv's draft-07 class. */
export function referenceAccepts(schema: Record<string, unknown>): Accepts {
  const ajv = new Ajv07({ strict: false, allErrors: false, allowUnionTypes: true, validateSchema: false });
  addFormats(ajv);
  const { $schema: _ignored, ...body } = schema;
  const validate = ajv.compile(body);
  return (value) => validate(value) === true;
}

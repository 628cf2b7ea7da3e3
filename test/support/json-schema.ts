import ajv2020Module from "ajv/dist/2020.js";
import type { ValidateFunction } from "ajv/dist/2020.js";
import ajvFormatsModule from "ajv-formats";
import type { BentoManifest, JsonSchema } from "../../manifest/types.js";

const Ajv2020 = ajv2020Module.default;
const addFormats = ajvFormatsModule.default;

/**
 * A strict JSON Schema 2020-12 validator for the schemas in a manifest: `$ref`s resolve
 * against the manifest's `$defs`, OpenAPI's annotations are known keywords.
 */
export function manifestSchemaValidator(manifest: BentoManifest): (schema: JsonSchema) => ValidateFunction {
  // A tuple with optional elements is not a "full" tuple; that is what TypeScript says, not a mistake.
  const ajv = new Ajv2020({ strict: true, strictTuples: false, allErrors: true, allowUnionTypes: true, ownProperties: true });
  addFormats(ajv);
  ajv.addFormat("binary", true);
  ajv.addKeyword({ keyword: "x-bentoc-type", schemaType: "string" });
  ajv.addKeyword({ keyword: "x-bentoc-template", schemaType: "string" });
  ajv.addKeyword({ keyword: "discriminator", schemaType: "object" });
  return (schema) => ajv.compile(typeof schema === "boolean" ? schema : { ...schema, $defs: manifest.$defs });
}

/** Every schema of the manifest (`$defs`, inputs, outputs) checked against the JSON Schema 2020-12 metaschema. */
export function metaschemaProblems(manifest: BentoManifest): string[] {
  const ajv = new Ajv2020({ strict: false });
  const schemas: [string, JsonSchema][] = [
    ...Object.entries(manifest.$defs).map(([name, schema]): [string, JsonSchema] => [`$defs/${name}`, schema]),
    ...manifest.services.flatMap((service) => service.apis.flatMap((api): [string, JsonSchema][] => [
      [`${api.name} input`, api.input.schema],
      [`${api.name} output`, api.output.schema],
    ])),
  ];
  return schemas.flatMap(([where, schema]) => (ajv.validateSchema(schema) ? [] : [`${where}: ${ajv.errorsText(ajv.errors)}`]));
}

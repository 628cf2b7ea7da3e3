// Turns manifest schemas into OpenAPI schemas: `#/$defs/Name` becomes
// `#/components/schemas/Name`, and `$schema`/`$id` go, because inside an OpenAPI document
// they would change how every nested `$ref` resolves. Only schema positions are walked, so
// data (`const`, `enum`, `default`, `examples`) and property names are copied untouched.
import { mapSchemaRefs } from "../../manifest/schema-refs.js";
import type { JsonSchema } from "../../manifest/types.js";
import type { ComponentNames } from "./component-names.js";

const DEFS_POINTER = "#/$defs/";
const COMPONENTS_POINTER = "#/components/schemas/";

const DROPPED = new Set(["$schema", "$id"]);

export type SchemaRewriter = (schema: JsonSchema) => JsonSchema;

export function schemaRewriter(names: ComponentNames): SchemaRewriter {
  return (schema) => mapSchemaRefs(schema, (ref) => componentRef(ref, names), DROPPED);
}

/** Maps a manifest reference to the document's; references elsewhere are left as written. */
function componentRef(ref: string, names: ComponentNames): string {
  if (!ref.startsWith(DEFS_POINTER)) return ref;
  const rest = ref.slice(DEFS_POINTER.length);
  const slash = rest.indexOf("/");
  const token = slash === -1 ? rest : rest.slice(0, slash);
  const tail = slash === -1 ? "" : rest.slice(slash);
  const name = decodePointerToken(token);
  const component = names.defs.get(name);
  if (component === undefined) {
    throw new Error(
      `The manifest schema reference "${ref}" names no entry of the manifest's $defs; ` +
        `rebuild the manifest with the compiler, or add "${name}" to $defs.`,
    );
  }
  return `${COMPONENTS_POINTER}${component}${tail}`;
}

function decodePointerToken(token: string): string {
  let decoded = token;
  try {
    decoded = decodeURIComponent(token);
  } catch {
    // A bare `%` that is not an escape: the name is taken literally.
  }
  return decoded.replace(/~1/g, "/").replace(/~0/g, "~");
}

import type ts from "typescript";
import { mapSchemaRefs } from "../../manifest/schema-refs.js";
import type { JsonSchema } from "../../manifest/types.js";

/**
 * Which way a value travels. A request and a response may need different schemas for one
 * type: `(number | undefined)[]` is `number` items in a request (JSON cannot say undefined,
 * and the method must not receive null) but `number | null` items in a response, because
 * `JSON.stringify` writes `null` there.
 */
export type Direction = "input" | "output";

export const DEFS_REF = "#/$defs/";
// Request-side `$defs` get their final names only when every API is mapped (see mergeDirectionDefs);
// until then their refs carry this prefix, which no schema outside the builder may keep.
export const INPUT_DEFS_REF = "#/$input-defs/";

/** The named types mapped in one direction: type → name, and name → body. */
export interface DirectionDefs {
  names: Map<ts.Type, string>;
  bodies: Map<string, JsonSchema>;
}

export interface MergedDefs {
  defs: Map<string, JsonSchema>;
  /** Rewrites a request schema's refs to the final names. */
  resolveInputRefs(schema: JsonSchema): JsonSchema;
}

/**
 * One `$defs` for both directions. A type whose request body equals its response body (all
 * types, but for the few that hold `undefined` where JSON writes null) is one entry; one that
 * differs keeps its response name and gets `<name>_Input` for requests, as pydantic does.
 * "Equal" is decided as a greatest fixed point, so types that refer to each other (or to
 * themselves) are shared when their whole reachable graph agrees.
 */
export function mergeDirectionDefs(input: DirectionDefs, output: DirectionDefs): MergedDefs {
  const typeOf = { input: invert(input.names), output: invert(output.names) };
  const ids = new Map<ts.Type, number>();
  const idOf = (type: ts.Type) => ids.get(type) ?? (ids.set(type, ids.size), ids.size - 1);
  const shared = new Set([...input.names.keys()].filter((type) => output.names.has(type)));
  const canonical = (body: JsonSchema, direction: Direction) => {
    const prefix = direction === "input" ? INPUT_DEFS_REF : DEFS_REF;
    return JSON.stringify(mapSchemaRefs(body, (ref) => {
      if (!ref.startsWith(prefix)) return ref;
      const name = ref.slice(prefix.length);
      const type = typeOf[direction].get(name);
      return type && shared.has(type) ? `=${idOf(type)}` : `${direction}:${name}`;
    }));
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const type of shared) {
      const inputBody = input.bodies.get(input.names.get(type)!)!;
      const outputBody = output.bodies.get(output.names.get(type)!)!;
      if (canonical(inputBody, "input") !== canonical(outputBody, "output")) {
        shared.delete(type);
        changed = true;
      }
    }
  }

  const defs = new Map(output.bodies);
  const finalName = new Map<string, string>();
  for (const [type, name] of input.names) {
    if (shared.has(type)) {
      finalName.set(name, output.names.get(type)!);
      continue;
    }
    const base = output.names.has(type) ? `${output.names.get(type)}_Input` : name;
    let unique = base;
    for (let suffix = 2; defs.has(unique); suffix++) unique = `${base}_${suffix}`;
    finalName.set(name, unique);
    defs.set(unique, {}); // claimed now, so the next request-only type does not take the name
  }
  const resolveInputRefs = (schema: JsonSchema): JsonSchema =>
    mapSchemaRefs(schema, (ref) => (ref.startsWith(INPUT_DEFS_REF) ? DEFS_REF + finalName.get(ref.slice(INPUT_DEFS_REF.length)) : ref));
  for (const [name, body] of input.bodies) {
    const target = finalName.get(name)!;
    if (!output.bodies.has(target)) defs.set(target, resolveInputRefs(body));
  }
  return { defs, resolveInputRefs };
}

function invert<K, V>(map: Map<K, V>): Map<V, K> {
  return new Map([...map].map(([key, value]) => [value, key]));
}

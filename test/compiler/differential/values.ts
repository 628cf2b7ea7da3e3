import { generateSync, type JsonSchema as SamplerSchema } from "json-schema-faker";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function stableSeed(text: string): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return hash >>> 0;
}

/** Values that probe every JSON type, whatever the schema. */
const PROBES: Json[] = [null, true, false, 0, 1, -1, 2.5, 1e21, "", "x", "red", "ABC", "0", "1%", "0x10%", "user-1", "-0b11", "2024-01-02T03:04:05Z", [], [1], ["a"], [null], [1, 2], {}, { a: "x" }];

/** Up to `count` valid values of a schema (`$defs`/`definitions` at its root), seeded; none when it cannot be sampled. */
export function sampleValues(schema: unknown, count: number, seed: number): Json[] {
  const values: Json[] = [];
  schema = withDefsForSampler(schema);
  for (let index = 0; index < count; index++) {
    try {
      const value = generateSync(schema as SamplerSchema, {
        seed: seed + index,
        maxDepth: 4,
        refDepthMax: 3,
        maxItems: 4,
        maxLength: 12,
        optionalsProbability: index % 3 === 0 ? 1 : 0.5,
        alwaysFakeOptionals: index % 3 === 0,
      });
      if (value !== undefined) values.push(JSON.parse(JSON.stringify(value)) as Json);
    } catch {
      // Unsatisfiable or unsupported for the sampler: the probes and the other side's samples remain.
    }
  }
  return values;
}

/** Near misses of a valid value: at the top and along one random path, at most `limit` of them. */
export function mutations(value: Json, random: () => number, limit = 24): Json[] {
  const found: Json[] = [];
  const visit = (current: Json, rebuild: (replacement: Json) => Json, depth: number) => {
    for (const variant of localMutations(current)) found.push(rebuild(variant));
    if (depth >= 3) return;
    if (Array.isArray(current) && current.length > 0) {
      const index = Math.floor(random() * current.length);
      visit(current[index]!, (replacement) => rebuild(current.map((item, i) => (i === index ? replacement : item))), depth + 1);
    } else if (isObject(current)) {
      const keys = Object.keys(current);
      if (keys.length === 0) return;
      const key = keys[Math.floor(random() * keys.length)]!;
      visit(current[key]!, (replacement) => rebuild({ ...current, [key]: replacement }), depth + 1);
    }
  };
  visit(value, (replacement) => replacement, 0);
  return found.slice(0, limit);
}

function localMutations(value: Json): Json[] {
  const common: Json[] = [null, "x", 1, true, [], {}];
  if (typeof value === "string") return [...common, "", value + " ", value.toUpperCase(), value.slice(1), `-${value}`, Number(value) || 0];
  if (typeof value === "number") return [...common, -value, value + 0.5, value * 1000, -1, 0, 0.5, 1e21, String(value)];
  if (typeof value === "boolean") return [...common, !value, String(value)];
  if (Array.isArray(value)) {
    return [...common, value.slice(0, -1), [...value, value[0] ?? null], [...value, null], [...value, "x"], [...value, 1], [value]];
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    const dropped = keys.slice(0, 4).map((key) => Object.fromEntries(Object.entries(value).filter(([other]) => other !== key)) as Json);
    const nulled = keys.slice(0, 4).map((key) => ({ ...value, [key]: null }));
    return [...common, ...dropped, ...nulled, { ...value, extra: 1 }, { ...value, "0": "x" }, { ...value, "data-x": "y" }];
  }
  return common;
}

/** The sampler resolves `#/$defs/…`; draft-07's `definitions` (the reference's) are renamed to them. */
function withDefsForSampler(schema: unknown): unknown {
  if (typeof schema !== "object" || schema === null || !("definitions" in schema)) return schema;
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/definitions/', '"#/$defs/').replace('"definitions":', '"$defs":'));
}

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Every distinct value once, in first-seen order. */
export function distinct(values: Iterable<Json>): Json[] {
  const seen = new Map<string, Json>();
  for (const value of values) {
    const key = JSON.stringify(value);
    if (!seen.has(key)) seen.set(key, value);
  }
  return [...seen.values()];
}

export function probeValues(): Json[] {
  return PROBES;
}

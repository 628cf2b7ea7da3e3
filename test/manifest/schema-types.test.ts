import ajv2020Module from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { MANIFEST_JSON_SCHEMA } from "../../manifest/index.js";
import type {
  ApiManifest, BatchingManifest, BentoManifest, DocText, DockerManifest, EnvVarManifest, HooksManifest, InputManifest,
  ModelManifest, OutputManifest, ParameterManifest, ResourcesManifest, ServiceConfigManifest, ServiceManifest, TaskManifest, TrafficManifest,
  SecretKeyManifest, TaskStoreManifest,
} from "../../manifest/index.js";

// Compile-time checks (run by `tsc -p tsconfig.json`): every schema object lists exactly the
// properties of its interface in types.ts, and requires exactly the non-optional ones.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type Defs = typeof MANIFEST_JSON_SCHEMA.$defs;
type PropertiesOf<S> = S extends { properties: infer P } ? keyof P : never;
type RequiredOf<S> = S extends { required: readonly (infer R)[] } ? R : never;
type Matches<S, T> = [Equal<PropertiesOf<S>, keyof T>, Equal<RequiredOf<S>, RequiredKeys<T>>];

const checks: { [K in string]: [true, true] } = {
  BentoManifest: [true, true] satisfies Matches<typeof MANIFEST_JSON_SCHEMA, BentoManifest>,
  ServiceManifest: [true, true] satisfies Matches<Defs["ServiceManifest"], ServiceManifest>,
  ServiceConfigManifest: [true, true] satisfies Matches<Defs["ServiceConfigManifest"], ServiceConfigManifest>,
  ResourcesManifest: [true, true] satisfies Matches<Defs["ResourcesManifest"], ResourcesManifest>,
  TrafficManifest: [true, true] satisfies Matches<Defs["TrafficManifest"], TrafficManifest>,
  EnvVarManifest: [true, true] satisfies Matches<Defs["EnvVarManifest"], EnvVarManifest>,
  HooksManifest: [true, true] satisfies Matches<Defs["HooksManifest"], HooksManifest>,
  ApiManifest: [true, true] satisfies Matches<Defs["ApiManifest"], ApiManifest>,
  BatchingManifest: [true, true] satisfies Matches<Defs["BatchingManifest"], BatchingManifest>,
  TaskManifest: [true, true] satisfies Matches<Defs["TaskManifest"], TaskManifest>,
  InputManifest: [true, true] satisfies Matches<Defs["InputManifest"], InputManifest>,
  OutputManifest: [true, true] satisfies Matches<Defs["OutputManifest"], OutputManifest>,
  ParameterManifest: [true, true] satisfies Matches<Defs["ParameterManifest"], ParameterManifest>,
  ModelManifest: [true, true] satisfies Matches<Defs["ModelManifest"], ModelManifest>,
  DockerManifest: [true, true] satisfies Matches<Defs["DockerManifest"], DockerManifest>,
  TaskStoreManifest: [true, true] satisfies Matches<Defs["TaskStoreManifest"], TaskStoreManifest>,
  SecretKeyManifest: [true, true] satisfies Matches<Defs["SecretKeyManifest"], SecretKeyManifest>,
  DocText: [true, true] satisfies Matches<Defs["DocText"], DocText>,
};

describe("MANIFEST_JSON_SCHEMA", () => {
  it("has a compile-time match for every object definition", () => {
    const objectDefs = Object.entries(MANIFEST_JSON_SCHEMA.$defs).filter(([, def]) => "properties" in def).map(([name]) => name);
    expect(Object.keys(checks).sort()).toEqual(["BentoManifest", ...objectDefs].sort());
  });

  it("is a valid 2020-12 schema that strict ajv compiles without warnings", () => {
    const warnings: unknown[] = [];
    const logger = { log: () => {}, warn: (...args: unknown[]) => warnings.push(args), error: (...args: unknown[]) => warnings.push(args) };
    const ajv = new ajv2020Module.default({ strict: true, allowUnionTypes: true, validateFormats: false, logger });
    expect(ajv.validateSchema(MANIFEST_JSON_SCHEMA)).toBe(true);
    expect(() => ajv.compile(MANIFEST_JSON_SCHEMA)).not.toThrow();
    expect(warnings).toEqual([]);
  });

  it("closes every object of ours to unknown properties", () => {
    expect(MANIFEST_JSON_SCHEMA.additionalProperties).toBe(false);
    for (const [name, def] of Object.entries(MANIFEST_JSON_SCHEMA.$defs)) {
      if ("properties" in def) expect([name, "additionalProperties" in def && def.additionalProperties]).toEqual([name, false]);
    }
  });
});

import fs from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import type { BentoManifest } from "../../manifest/types.js";
import { manifestSchemaValidator } from "../support/json-schema.js";
import type { Fixture } from "../support/fixtures.js";

interface SampleSet {
  valid?: unknown[];
  /** Each invalid sample says why it is invalid, so a reader can check the reason is real. */
  invalid?: { value: unknown; why: string }[];
}

/** `samples.json`: per API name, values its input object and its output must accept or reject. */
type Samples = Record<string, { input?: SampleSet; output?: SampleSet }>;

export function checkSamples(fixture: Fixture, manifest: BentoManifest): void {
  const samples = JSON.parse(fs.readFileSync(path.join(fixture.dir, "samples.json"), "utf8")) as Samples;
  const compile = manifestSchemaValidator(manifest);
  const apis = manifest.services.flatMap((service) => service.apis);
  const apiNames = apis.map((api) => api.name);
  expect(Object.keys(samples).filter((name) => !apiNames.includes(name)), "samples for unknown APIs").toEqual([]);
  for (const api of apis) {
    const sample = samples[api.name];
    expect(sample?.input?.valid?.length, `${api.name}: valid input samples`).toBeGreaterThan(0);
    expect(sample?.input?.invalid?.length, `${api.name}: invalid input samples`).toBeGreaterThan(0);
    for (const [side, schema] of [["input", api.input.schema], ["output", api.output.schema]] as const) {
      const set = sample?.[side];
      if (!set) continue;
      const validate = compile(schema);
      for (const value of set.valid ?? []) {
        expect(validate(value), `${api.name} ${side} should accept ${JSON.stringify(value)}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
      for (const { value, why } of set.invalid ?? []) {
        expect(validate(value), `${api.name} ${side} should reject ${JSON.stringify(value)} (${why})`).toBe(false);
      }
    }
  }
}

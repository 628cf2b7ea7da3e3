import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileRootTypes, type BentocOutcome } from "./bentoc-schemas.js";
import { classify, disagreementsOf, formatTable, type Classified } from "./classify.js";
import { REVIEWED, reviewedEntryFor } from "./deliberate.js";
import { referenceSchemas } from "./reference-schemas.js";
import { corpusRootTypes } from "./roots.js";
import { casesTheCheckerRefuses, needsRevival, type OracleCase } from "./type-oracle.js";
import { asObjectSchema, BentocValidators, metaschemaErrors, referenceAccepts, type Accepts } from "./validators.js";
import { seededRandom } from "../../support/seeded-random.js";
import { distinct, mutations, probeValues, sampleValues, stableSeed, type Json } from "./values.js";

const SAMPLES_PER_SCHEMA = 4;
const MUTATIONS_PER_SAMPLE = 16;
const ORACLE_VALUES_PER_TYPE = 24;

describe("differential: bentoc's schemas against ts-json-schema-generator's, by the values they accept", () => {
  const roots = corpusRootTypes();
  let dir: string;
  let bentoc: Map<string, BentocOutcome>;
  const results: Classified[] = [];
  const schemaProblems: string[] = [];
  const oracleCases: OracleCase[] = [];

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bentoc-differential-"));
    bentoc = compileRootTypes(dir, roots);
    const reference = referenceSchemas(roots);
    const validators = new BentocValidators();
    for (const root of roots) {
      const ours = bentoc.get(root.name);
      let theirs = reference.get(root.name);
      if (ours?.kind !== "schemas") {
        results.push(classify(root.name, ours, theirs, []));
        continue;
      }
      // A reference schema its own validator cannot compile (`enum: []`) counts as the reference failing;
      // bentoc's schemas still go to the checker.
      let theirAccepts: Accepts | undefined;
      if (theirs?.kind === "schema") {
        try {
          theirAccepts = referenceAccepts(theirs.schema);
        } catch (error) {
          theirs = { kind: "failed", message: `its schema does not compile: ${(error as Error).message}` };
        }
      }
      const sides = { request: ours.request, response: ours.response } as const;
      let accepts;
      try {
        for (const [direction, schema] of Object.entries(sides)) {
          const errors = metaschemaErrors(schema, ours.defs);
          if (errors) schemaProblems.push(`${root.name} ${direction}: not valid 2020-12: ${errors}`);
        }
        accepts = { request: validators.accepts(ours.request, ours.defs), response: validators.accepts(ours.response, ours.defs) };
      } catch (error) {
        schemaProblems.push(`${root.name}: the runtime cannot compile its schema: ${(error as Error).message}`);
        results.push({ name: root.name, verdict: "crash", detail: `schema does not compile at start-up: ${(error as Error).message}`, disagreements: [] });
        continue;
      }
      const seed = stableSeed(root.name);
      const random = seededRandom(seed);
      const samples = [
        ...sampleValues({ ...asObjectSchema(ours.request), $defs: ours.defs }, SAMPLES_PER_SCHEMA, seed),
        ...sampleValues({ ...asObjectSchema(ours.response), $defs: ours.defs }, SAMPLES_PER_SCHEMA, seed + 100),
        ...(theirs?.kind === "schema" ? sampleValues(theirs.schema, SAMPLES_PER_SCHEMA, seed + 200) : []),
      ];
      const values = distinct([...probeValues(), ...samples, ...samples.flatMap((sample) => mutations(sample, random, MUTATIONS_PER_SAMPLE))]);
      const entry = reviewedEntryFor(root.name);
      const mustAccept = entry?.mustAccept ?? [];
      const rejected = mustAccept.filter((value) => !accepts.request(value));
      results.push(classify(root.name, ours, theirs, theirAccepts ? disagreementsOf(values, accepts, theirAccepts) : [], rejected));
      if (!needsRevival(ours.request, ours.defs) && !entry?.checkerBlind) {
        const admitted = values.filter((value: Json) => accepts.request(value)).slice(0, ORACLE_VALUES_PER_TYPE);
        oracleCases.push(...[...admitted, ...mustAccept].map((value) => ({ typeName: root.name, value })));
      }
    }
    console.log(formatTable(results));
    // For diagnosing a difference: DIFFERENTIAL_DUMP=/tmp/d.json writes both sides' schemas per type.
    const dump = process.env.DIFFERENTIAL_DUMP;
    if (dump) fs.writeFileSync(dump, JSON.stringify(Object.fromEntries(roots.map((r) => [r.name, { bentoc: bentoc.get(r.name), reference: reference.get(r.name) }])), null, 1));
  }, 180_000);

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("has a corpus of at least 150 root types, each in the table once", () => {
    expect(roots.length).toBeGreaterThanOrEqual(150);
    expect(new Set(roots.map((root) => root.name)).size).toBe(roots.length);
    expect(results.map((result) => result.name).sort()).toEqual(roots.map((root) => root.name).sort());
  });

  it("lists in the reviewed list only types of the corpus", () => {
    const names = new Set(roots.map((root) => root.name));
    expect(REVIEWED.flatMap((entry) => entry.types).filter((name) => !names.has(name))).toEqual([]);
  });

  it("writes schemas valid against the 2020-12 metaschema that the runtime compiles", () => {
    expect(schemaProblems).toEqual([]);
  });

  it("agrees with the reference on every root type, but for reviewed differences and expected refusals", () => {
    const failing = results.filter((result) => result.verdict === "differ" || result.verdict === "crash");
    expect(failing.map((result) => `${result.verdict} ${result.name}: ${result.detail}`)).toEqual([]);
  });

  it("admits in a request only values the parameter's type allows (the TypeScript checker as oracle)", () => {
    const refused = casesTheCheckerRefuses(dir, oracleCases);
    expect(refused.map(({ case: c, message }) => `${c.typeName} ${JSON.stringify(c.value)}: ${message}`)).toEqual([]);
  }, 120_000);
});

import fs from "node:fs";
import path from "node:path";
import { compileService } from "../../compiler/index.js";
import { readBentoYaml } from "../../manifest/bento-yaml.js";
import type { BentoManifest } from "../../manifest/types.js";
import { listFixtures } from "../support/fixtures.js";
import { REPO_ROOT } from "../support/run-cli.js";

/** The manifest of every fixture that compiles, read from its golden bento.yaml (the golden test keeps it current). */
export function fixtureManifests(): Map<string, BentoManifest> {
  return new Map(listFixtures().filter((fixture) => !fixture.expectedCode).map((fixture) => [
    fixture.name,
    readBentoYaml(fs.readFileSync(path.join(fixture.dir, "expected", "bento.yaml"), "utf8")),
  ]));
}

/** The quickstart example, compiled (it has no golden). */
export function quickstartManifest(): BentoManifest {
  const { manifest, diagnostics } = compileService(path.join(REPO_ROOT, "examples", "quickstart", "service.ts"));
  if (!manifest) throw new Error(`examples/quickstart does not compile: ${diagnostics.map((d) => d.code).join(", ")}`);
  return manifest;
}

// Lints an OpenAPI document with two independent validators, so golden fixtures and unit
// tests agree on what "valid" means. Returns one line per problem; empty means valid.
import { validate } from "@readme/openapi-parser";
import {
  BaseResolver, createConfig, lintDocument, makeDocumentFromString, type NormalizedProblem,
} from "@redocly/openapi-core";

// Warnings from redocly's `recommended` ruleset that a generated document cannot avoid.
const ALLOWED_REDOCLY_WARNINGS: { ruleId: string; at?: RegExp }[] = [
  // The manifest has no license, and inventing one would misstate the author's terms.
  { ruleId: "info-license" },
  { ruleId: "info-license-strict" },
  // The probes and metrics take no input, so there is no client error for them to answer with.
  { ruleId: "operation-4xx-response", at: /^#\/paths\/~1(livez|readyz|metrics)\/get\/responses$/ },
];

export async function openApiProblems(doc: object): Promise<string[]> {
  return [...(await readmeProblems(doc)), ...(await redoclyProblems(doc))];
}

async function readmeProblems(doc: object): Promise<string[]> {
  // `validate` dereferences the document in place; the caller's copy must stay as it was.
  const result = await validate(structuredClone(doc) as Parameters<typeof validate>[0]).catch((error: unknown) => error);
  if (result instanceof Error || !isValidationResult(result)) return [`readme error: ${String(result)}`];
  const problems = result.valid ? [] : result.errors.map((error) => `readme error: ${error.message}`);
  return [...problems, ...result.warnings.map((warning) => `readme warning: ${warning.message}`)];
}

async function redoclyProblems(doc: object): Promise<string[]> {
  const config = await createConfig({ extends: ["recommended"] });
  const document = makeDocumentFromString(JSON.stringify(doc), "openapi.json");
  const problems = await lintDocument({ document, config, externalRefResolver: new BaseResolver() });
  const websocket = websocketUses(doc);
  return problems
    .filter((problem) => !isAllowedWarning(problem) && !isWebSocketWarning(problem, websocket))
    .map((problem) => `redocly ${problem.severity} ${problem.ruleId}: ${problem.message} at ${pointerOf(problem)}`);
}

function isAllowedWarning(problem: NormalizedProblem): boolean {
  return (
    problem.severity === "warn" &&
    ALLOWED_REDOCLY_WARNINGS.some(
      ({ ruleId, at }) => problem.ruleId === ruleId && (at === undefined || at.test(pointerOf(problem))),
    )
  );
}

/**
 * OpenAPI has no WebSocket object: a WebSocket API is a GET whose success is 101 and whose
 * message schemas are named in `x-bentoc-websocket`, which redocly does not read. Those two
 * warnings, about those operations and schemas only, are what the extension costs.
 */
function isWebSocketWarning(problem: NormalizedProblem, uses: { operations: Set<string>; schemas: Set<string> }): boolean {
  if (problem.severity !== "warn") return false;
  if (problem.ruleId === "operation-2xx-response") return uses.operations.has(pointerOf(problem).replace(/\/responses$/, ""));
  if (problem.ruleId === "no-unused-components") return uses.schemas.has(pointerOf(problem));
  return false;
}

function websocketUses(doc: object): { operations: Set<string>; schemas: Set<string> } {
  const operations = new Set<string>();
  const schemas = new Set<string>();
  const paths = (doc as { paths?: Record<string, Record<string, { "x-bentoc-websocket"?: unknown }>> }).paths ?? {};
  for (const [path, item] of Object.entries(paths)) {
    const extension = item.get?.["x-bentoc-websocket"];
    if (extension === undefined) continue;
    operations.add(`#/paths/${path.replace(/~/g, "~0").replace(/\//g, "~1")}/get`);
    for (const [, name] of JSON.stringify(extension).matchAll(/"#\/components\/schemas\/([^"]+)"/g)) schemas.add(`#/components/schemas/${name}`);
  }
  return { operations, schemas };
}

function pointerOf(problem: NormalizedProblem): string {
  return problem.location[0]?.pointer ?? "";
}

function isValidationResult(value: unknown): value is Awaited<ReturnType<typeof validate>> {
  return typeof value === "object" && value !== null && "valid" in value;
}

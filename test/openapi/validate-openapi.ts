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
  return problems
    .filter((problem) => !isAllowedWarning(problem))
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

function pointerOf(problem: NormalizedProblem): string {
  return problem.location[0]?.pointer ?? "";
}

function isValidationResult(value: unknown): value is Awaited<ReturnType<typeof validate>> {
  return typeof value === "object" && value !== null && "valid" in value;
}

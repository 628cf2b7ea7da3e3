import type { BentocOutcome } from "./bentoc-schemas.js";
import { reviewedEntryFor, type Allowance, type Direction } from "./deliberate.js";
import type { ReferenceOutcome } from "./reference-schemas.js";
import type { Accepts } from "./validators.js";
import type { Json } from "./values.js";

export type Verdict = "agree" | "deliberate" | "differ" | "refused" | "crash";

/** Values one side accepts and the other does not, per direction (request/response schema). */
export interface Disagreement {
  direction: Direction;
  /** "bentoc-wider": bentoc accepts it, the reference does not. */
  side: Exclude<Allowance, "both">;
  examples: Json[];
  count: number;
}

export interface Classified {
  name: string;
  verdict: Verdict;
  detail: string;
  disagreements: Disagreement[];
}

/** Runs every value through both sides and records where they part. */
export function disagreementsOf(values: readonly Json[], sides: Record<Direction, Accepts>, reference: Accepts): Disagreement[] {
  const found = new Map<string, Disagreement>();
  for (const value of values) {
    const referenceSays = reference(value);
    for (const direction of ["request", "response"] as const) {
      const bentocSays = sides[direction](value);
      if (bentocSays === referenceSays) continue;
      const side = bentocSays ? "bentoc-wider" : "bentoc-narrower";
      const key = `${direction}:${side}`;
      const entry = found.get(key) ?? { direction, side, examples: [], count: 0 };
      entry.count++;
      if (entry.examples.length < 3) entry.examples.push(value);
      found.set(key, entry);
    }
  }
  return [...found.values()];
}

export function classify(
  name: string,
  bentoc: BentocOutcome | undefined,
  reference: ReferenceOutcome | undefined,
  disagreements: Disagreement[],
  mustAcceptRejected: readonly Json[] = [],
): Classified {
  const entry = reviewedEntryFor(name);
  const result = (verdict: Verdict, detail: string): Classified => ({ name, verdict, detail, disagreements });
  if (!bentoc) return result("crash", "bentoc produced no outcome");
  if (bentoc.kind === "crash") return result("crash", bentoc.message.split("\n")[0]!);
  if (bentoc.kind === "refused") {
    const expected = entry?.refused?.some((code) => bentoc.codes.includes(code));
    const detail = `${bentoc.codes.join(",")}: ${bentoc.messages[0] ?? ""}`;
    return expected ? result("refused", detail) : result("differ", `refused unexpectedly, ${detail}`);
  }
  if (!reference || reference.kind === "failed") {
    const message = reference?.message ?? "no reference outcome";
    return entry?.referenceFails ? result("deliberate", `reference fails: ${message}`) : result("differ", `reference fails: ${message}`);
  }
  if (mustAcceptRejected.length > 0) return result("differ", `request rejects values the checker allows: ${mustAcceptRejected.map((v) => JSON.stringify(v)).join(" ")}`);
  if (disagreements.length === 0) return result("agree", entry?.refused ? "expected a refusal, but bentoc maps it" : "");
  const unexplained = disagreements.filter((found) => !allows(entry?.[found.direction], found.side));
  const summary = (list: Disagreement[]) =>
    list.map((found) => `${found.direction} ${found.side} ×${found.count} e.g. ${found.examples.map((value) => JSON.stringify(value)).join(" ")}`).join("; ");
  if (unexplained.length === 0) return result("deliberate", entry!.reason);
  return result("differ", summary(unexplained));
}

function allows(allowance: Allowance | undefined, side: Disagreement["side"]): boolean {
  return allowance === "both" || allowance === side;
}

/** The table: counts per verdict, then one line per type that does not simply agree. */
export function formatTable(results: readonly Classified[]): string {
  const verdicts: Verdict[] = ["agree", "deliberate", "differ", "refused", "crash"];
  const counts = verdicts.map((verdict) => `${verdict} ${results.filter((r) => r.verdict === verdict).length}`);
  const lines = [`differential: ${results.length} root types: ${counts.join(", ")}`];
  for (const verdict of ["crash", "differ", "refused", "deliberate"] as const) {
    for (const r of results.filter((candidate) => candidate.verdict === verdict)) {
      lines.push(`  ${verdict.padEnd(10)} ${r.name.padEnd(26)} ${truncate(r.detail, 400)}`);
    }
  }
  return lines.join("\n");
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

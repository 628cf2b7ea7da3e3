// Generated code is checked like hand-written code: every fixture's client, and the
// quickstart's, compile with zero errors under strict settings, in a browser project (DOM
// typings) and in a Node project (@types/node), each as one program.
import { describe, expect, it } from "vitest";
import { generateClient } from "../../generators/client/index.js";
import type { BentoManifest } from "../../manifest/types.js";
import { fixtureManifests, quickstartManifest } from "./manifests.js";
import { typeCheck, under } from "./typecheck.js";

describe("generated clients type-check", () => {
  const manifests = new Map([...fixtureManifests(), ["quickstart", quickstartManifest()]]);
  const files = new Map([...manifests].flatMap(([name, manifest]) => under(name, generateClient(manifest))));

  it("covers every fixture that compiles", () => {
    expect(manifests.size).toBeGreaterThanOrEqual(31);
  });

  it.each(["browser", "node"] as const)("with zero errors under strict settings in a %s project", (environment) => {
    expect(typeCheck(files, environment)).toEqual([]);
  });
});

describe("names that would clash", () => {
  it("are renamed: types named like globals or the client's own exports, APIs named like its members, services with dashes", () => {
    // The Ledger fixture, with its named types renamed to Date and ValidationError and two APIs to waitReady and constructor.
    const ledger = fixtureManifests().get("dates-bigint")!;
    const text = JSON.stringify(ledger)
      .replaceAll("#/$defs/LedgerEntry", "#/$defs/Date")
      .replaceAll("#/$defs/Balance", "#/$defs/ValidationError");
    const manifest = JSON.parse(text) as BentoManifest;
    manifest.$defs = { Date: ledger.$defs.LedgerEntry!, ValidationError: ledger.$defs.Balance!, Installment: ledger.$defs.Installment!, "9-lives.v2": { type: "string" } };
    const service = manifest.services[0]!;
    service.name = "my-ledger";
    service.apis[0]!.name = "waitReady";
    service.apis[3]!.name = "constructor";
    const client = generateClient(manifest).get("client.ts")!;
    expect(client).toMatch(/export interface Date_2 \{/);
    expect(client).toMatch(/export interface ValidationError_2 \{/);
    expect(client).toMatch(/export type _9_lives_v2 = string;/);
    expect(client).toMatch(/export class my_ledgerClient \{/);
    expect(client).toMatch(/ {2}waitReady_\(args: \{/);
    expect(client).toMatch(/ {2}constructor_\(args: \{/);
    const usage = `import { my_ledgerClient, type Date_2 } from "./renamed/client.js";
export async function run(client: my_ledgerClient, entry: Date_2): Promise<Date> {
  await client.waitReady();
  const balance = await client.waitReady_({ account: "a", entries: [entry], asOf: new Date() });
  return balance.asOf;
}
`;
    expect(typeCheck(new Map([...under("renamed", generateClient(manifest)), ["usage.ts", usage]]), "browser")).toEqual([]);
  });
});

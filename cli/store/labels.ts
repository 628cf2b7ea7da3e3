import { CliError } from "../errors.js";

/** `["team=ml", "stage=dev"]` → `{ team: "ml", stage: "dev" }`; a pair without "=" is a clear error. */
export function parseKeyValues(pairs: readonly string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const equals = pair.indexOf("=");
    if (equals <= 0) throw new CliError(`--${flag} ${JSON.stringify(pair)} is not key=value`);
    out[pair.slice(0, equals)] = pair.slice(equals + 1);
  }
  return out;
}

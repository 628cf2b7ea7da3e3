import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const FIXTURES_DIR = fileURLToPath(new URL("../../fixtures/", import.meta.url));
/** Goldens hold a fixed creation time so they change only when the compiled contract does. */
export const GOLDEN_CREATION_TIME = new Date("2025-01-01T00:00:00.000Z");
export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === "1";

export interface Fixture {
  name: string;
  dir: string;
  serviceFile: string;
  /** `diag-btcNNNN-…` fixtures must fail to compile with that code. */
  expectedCode?: string;
}

export function listFixtures(): Fixture[] {
  return fs.readdirSync(FIXTURES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(FIXTURES_DIR, entry.name, "service.ts")))
    .map((entry) => {
      const dir = path.join(FIXTURES_DIR, entry.name);
      const code = /^diag-(btc\d{4})-/.exec(entry.name)?.[1]?.toUpperCase();
      return { name: entry.name, dir, serviceFile: path.join(dir, "service.ts"), ...(code ? { expectedCode: code } : {}) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Compares `actual` with the golden file, or rewrites the golden under UPDATE_GOLDEN=1. */
export function goldenText(fixture: Fixture, file: string, actual: string): string | undefined {
  const target = path.join(fixture.dir, "expected", file);
  if (UPDATE_GOLDEN) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, actual);
    return actual;
  }
  return fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
}

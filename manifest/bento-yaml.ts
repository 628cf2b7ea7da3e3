import { parseDocument, stringify } from "yaml";
import type { BentoManifest } from "./types.js";
import { validateManifest } from "./validate.js";

/**
 * Top-level keys of bento.yaml in the order they are written: identity first, then what
 * the bento serves, then how it is packaged, and the shared schemas last (the longest part).
 */
export const BENTO_YAML_KEY_ORDER = [
  "manifestVersion", "name", "version", "bentocVersion", "creationTime", "labels", "entryService",
  "services", "models", "include", "exclude", "docker", "taskStore", "$defs",
] as const satisfies readonly (keyof BentoManifest)[];

/** How many problems a `ManifestError` message lists before "and N more". */
const PROBLEMS_IN_MESSAGE = 5;

/** A bento.yaml that cannot be parsed, or a manifest that is not valid. */
export class ManifestError extends Error {
  override readonly name = "ManifestError";
  constructor(
    /** The file (or other origin) the manifest came from, as given to the reader. */
    readonly source: string,
    /** One line per problem: `path: message`, or `line L, column C: message` for YAML syntax. */
    readonly problems: string[],
  ) {
    super(manifestErrorMessage(source, problems));
  }
}

function manifestErrorMessage(source: string, problems: readonly string[]): string {
  const shown = problems.slice(0, PROBLEMS_IN_MESSAGE).map((p) => `  ${p}`);
  const more = problems.length > PROBLEMS_IN_MESSAGE ? [`  … and ${problems.length - PROBLEMS_IN_MESSAGE} more`] : [];
  return [`${source} is not a valid bento manifest:`, ...shown, ...more].join("\n");
}

/**
 * Renders a manifest as bento.yaml. The text depends only on the manifest's content:
 * top-level keys in `BENTO_YAML_KEY_ORDER`, `labels` and `$defs` sorted by key, and
 * everything else in the order the manifest holds it (inside schemas, property order is
 * declaration order and means something). The manifest is not validated here.
 */
export function writeBentoYaml(manifest: BentoManifest): string {
  return stringify(canonicalTopLevel(manifest), {
    aliasDuplicateObjects: false, // a repeated object is written out again, never as an alias
    lineWidth: 0, // never fold long lines
    minContentWidth: 0,
    // Quote every string that a YAML 1.1 reader (PyYAML, older tools) would take for a
    // boolean, number, timestamp or null ("yes", "on", "1_000", "2024-01-01"), not only 1.2 ones.
    compat: "yaml-1.1",
  });
}

function canonicalTopLevel(manifest: BentoManifest): Record<string, unknown> {
  const source = manifest as unknown as Record<string, unknown>;
  const known: readonly string[] = BENTO_YAML_KEY_ORDER;
  // Keys outside the format (a caller's mistake) are kept, sorted, so that reading fails loudly.
  const unknown = Object.keys(source).filter((key) => !known.includes(key)).sort(compareCodePoints);
  const out: Record<string, unknown> = {};
  for (const key of [...known, ...unknown]) {
    if (!Object.hasOwn(source, key) || source[key] === undefined) continue;
    const value = source[key];
    out[key] = (key === "labels" || key === "$defs") && isPlainObject(value) ? sortedByKey(value) : value;
  }
  return out;
}

function sortedByKey(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort(compareCodePoints)) out[key] = record[key];
  return out;
}

// Not localeCompare: the order must not depend on the machine's locale.
function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses and validates bento.yaml text. `source` names the file in errors.
 * @throws ManifestError on a YAML syntax error or any validation problem.
 */
export function readBentoYaml(text: string, source = "bento.yaml"): BentoManifest {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ManifestError(source, document.errors.map((error) => firstLine(error.message)));
  }
  const result = validateManifest(document.toJS());
  if (!result.ok) throw new ManifestError(source, result.problems);
  return result.manifest;
}

function firstLine(message: string): string {
  // yaml's messages end with a code frame; the first line already says where.
  return message.split("\n", 1)[0]!.replace(/:$/, "");
}

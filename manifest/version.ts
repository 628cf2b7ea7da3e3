import { createHash } from "node:crypto";
import type { BentoManifest } from "./types.js";

/** Fields that say when and as what a bento was built, not what it is; the hash ignores them. */
const UNHASHED_FIELDS: ReadonlySet<string> = new Set(["version", "creationTime"]);

/** Base32 characters kept from the digest: 80 bits, short enough to type in a tag. */
const VERSION_LENGTH = 16;

/**
 * The content hash that versions a bento: sha256 over the canonical JSON of the manifest
 * without `version` and `creationTime`, as the first 16 characters of lower-case base32.
 * Object key order does not matter; array order does.
 */
export function manifestVersionHash(manifest: BentoManifest): string {
  const hashed = Object.fromEntries(Object.entries(manifest).filter(([key]) => !UNHASHED_FIELDS.has(key)));
  const digest = createHash("sha256").update(canonicalJson(hashed), "utf8").digest();
  return base32Lower(digest).slice(0, VERSION_LENGTH);
}

/** A shallow copy of the manifest with `version` set to its content hash. */
export function withVersion(manifest: BentoManifest): BentoManifest {
  return { ...manifest, version: manifestVersionHash(manifest) };
}

/**
 * JSON with object keys sorted (by UTF-16 code units) at every depth and no whitespace.
 * Properties whose value is `undefined` are left out, as `JSON.stringify` does.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map((item) => (item === undefined ? "null" : canonicalJson(item))).join(",")}]`;
  }
  if (typeof value === "object" && value !== null) {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(",")}}`;
  }
  // Strings, finite numbers, booleans, null; NaN and Infinity become null as in JSON.
  return JSON.stringify(value) ?? "null";
}

const BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

/** RFC 4648 base32, lower-case, without padding. */
export function base32Lower(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 31];
  return out;
}

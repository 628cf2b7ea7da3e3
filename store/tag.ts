import { TAG_NAME_PATTERN, TAG_VERSION_PATTERN } from "../manifest/manifest-schema.js";
import { StoreError } from "./errors.js";

const NAME = new RegExp(TAG_NAME_PATTERN);
const VERSION = new RegExp(TAG_VERSION_PATTERN);

/** The version a tag names when it names none: the newest entry by creation time. */
export const LATEST = "latest";

/** A parsed `name[:version]`; `version` is `"latest"` when the tag gave none. */
export interface Tag {
  name: string;
  version: string;
}

export function isValidName(name: string): boolean {
  return NAME.test(name);
}

export function isValidVersion(version: string): boolean {
  return VERSION.test(version);
}

/** Throws unless `name` may name a store entry; run before a path is built from it. */
export function assertValidName(name: string, what = "name"): void {
  if (!isValidName(name)) {
    throw new StoreError(
      `${JSON.stringify(name)} is not a valid ${what}: use 1–64 lower-case letters, digits, ".", "_" or "-", starting and ending with a letter or digit`,
    );
  }
}

/** Throws unless `version` may name a store entry; run before a path is built from it. */
export function assertValidVersion(version: string): void {
  if (version === LATEST) throw new StoreError(`"${LATEST}" cannot be a version: it always means the newest one`);
  if (!isValidVersion(version)) {
    throw new StoreError(
      `${JSON.stringify(version)} is not a valid version: use 1–128 letters, digits, ".", "_" or "-", not starting with "." or "-"`,
    );
  }
}

/** Parses and validates `name`, `name:latest` or `name:version`. */
export function parseTag(text: string): Tag {
  const colon = text.indexOf(":");
  const name = colon === -1 ? text : text.slice(0, colon);
  const version = colon === -1 ? LATEST : text.slice(colon + 1);
  if (!isValidName(name) || !isValidVersion(version)) {
    throw new StoreError(
      `${JSON.stringify(text)} is not a valid tag: write "name" or "name:version" (name: lower-case letters, digits, ".", "_", "-"; version: letters, digits, ".", "_", "-")`,
    );
  }
  return { name, version };
}

export function formatTag(name: string, version: string): string {
  return `${name}:${version}`;
}

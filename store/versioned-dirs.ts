import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { StoreError } from "./errors.js";
import { LATEST, assertValidName, assertValidVersion, formatTag, isValidName, isValidVersion, parseTag } from "./tag.js";

/** What every store entry has: who it is, where it lives and when it was made. */
export interface StoredEntry {
  name: string;
  version: string;
  /** `name:version` */
  tag: string;
  /** The entry's directory, `<root>/<name>/<version>/`. */
  dir: string;
  creationTime: string;
}

/** Staging and deleted entries live here; no valid name starts with ".", so it never clashes. */
const STAGING = ".staging";

/**
 * One directory per entry, `<root>/<name>/<version>/`, made visible only by renaming a
 * complete staging directory into place, so a reader never sees a half-written entry.
 * The bento and model stores are this plus a reader for their metadata file.
 */
export class VersionedDirectories<E extends StoredEntry> {
  constructor(
    readonly root: string,
    /** "bento" or "model", for messages. */
    private readonly kind: string,
    /** Reads the entry in `dir`; throws StoreError when its metadata is missing or wrong. */
    private readonly readEntry: (dir: string, name: string, version: string) => E,
    /** The command that lists this store, for "not found" messages. */
    private readonly listCommand: string,
  ) {}

  /** The directory of `name:version`; both are validated before the path is built. */
  entryDir(name: string, version: string): string {
    assertValidName(name);
    assertValidVersion(version);
    return path.join(this.root, name, version);
  }

  /** A fresh empty directory on the store's file system, so `commit` is one rename. */
  stagingDir(): string {
    const parent = path.join(this.root, STAGING);
    fs.mkdirSync(parent, { recursive: true });
    return fs.mkdtempSync(path.join(parent, "new-"));
  }

  /**
   * Renames a complete staging directory into place as `name:version`. When that version
   * exists already (same content, since versions are content hashes), the staging
   * directory is removed and the existing entry returned.
   */
  commit(staging: string, name: string, version: string): E {
    const target = this.entryDir(name, version);
    if (fs.existsSync(target)) return this.dropStagingFor(staging, name, version);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    try {
      fs.renameSync(staging, target);
    } catch (error) {
      // Another process committed the same version between the check and the rename.
      if (isCode(error, "ENOTEMPTY") || isCode(error, "EEXIST")) return this.dropStagingFor(staging, name, version);
      throw error;
    }
    return this.readEntry(target, name, version);
  }

  /** Removes a staging directory that will not be committed. */
  discard(staging: string): void {
    fs.rmSync(staging, { recursive: true, force: true });
  }

  /** `name`, `name:latest` or `name:version`. */
  get(tag: string): E {
    const { name, version } = parseTag(tag);
    if (version === LATEST) {
      const newest = this.versionsOf(name).at(-1);
      if (!newest) throw this.missing(formatTag(name, LATEST));
      return newest;
    }
    const dir = this.entryDir(name, version);
    if (!fs.existsSync(dir)) throw this.missing(formatTag(name, version));
    return this.readEntry(dir, name, version);
  }

  /** Every entry (or every version of `name`), by name, then oldest first. */
  list(name?: string): E[] {
    if (name !== undefined) {
      assertValidName(name);
      return this.versionsOf(name);
    }
    return childNames(this.root).filter(isValidName).sort().flatMap((each) => this.versionsOf(each));
  }

  /** Removes an entry: renamed out of sight first, so a reader never sees it half-deleted. */
  delete(tag: string): E {
    const entry = this.get(tag);
    const parent = path.join(this.root, STAGING);
    fs.mkdirSync(parent, { recursive: true });
    const doomed = path.join(parent, `deleting-${randomBytes(6).toString("hex")}`);
    fs.renameSync(entry.dir, doomed);
    fs.rmSync(doomed, { recursive: true, force: true });
    try {
      fs.rmdirSync(path.dirname(entry.dir));
    } catch (error) {
      if (!isCode(error, "ENOTEMPTY") && !isCode(error, "EEXIST") && !isCode(error, "ENOENT")) throw error;
    }
    return entry;
  }

  /** All versions of `name`, oldest first (by creation time, then version). */
  private versionsOf(name: string): E[] {
    const versionsDir = path.join(this.root, name);
    const entries = childNames(versionsDir)
      .filter(isValidVersion)
      .map((version) => this.readEntry(path.join(versionsDir, version), name, version));
    return entries.sort((a, b) => compare(a.creationTime, b.creationTime) || compare(a.version, b.version));
  }

  private dropStagingFor(staging: string, name: string, version: string): E {
    this.discard(staging);
    return this.readEntry(this.entryDir(name, version), name, version);
  }

  private missing(tag: string): StoreError {
    return new StoreError(`No ${this.kind} ${tag} in the store (${this.root}); run \`${this.listCommand}\` to see what is there`);
  }
}

function childNames(dir: string): string[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  } catch (error) {
    if (isCode(error, "ENOENT")) return [];
    throw error;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}

/** Total size in bytes of the regular files under `dir` (links are not followed). */
export function directorySize(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.lstatSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

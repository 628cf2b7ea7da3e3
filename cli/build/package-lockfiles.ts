import fs from "node:fs";
import path from "node:path";
import { CliError } from "../errors.js";
import type { InstalledPackage } from "./packages.js";

/** One entry of package-lock.json's `packages` (lockfile version 2 and 3). */
export interface LockEntry {
  version?: string;
  link?: boolean;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  peer?: boolean;
  integrity?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

/** A lockfile's package entries, keyed by path relative to `root`. */
export interface LockSource {
  file: string;
  root: string;
  packages: Record<string, LockEntry>;
}

/** A runtime package and the lockfile entry that records it. */
export interface LockedPackage {
  pkg: InstalledPackage;
  source: LockSource;
  key: string;
}

/** The nearest package-lock.json at or above `dir`. */
export function findLockfile(dir: string): string {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    const candidate = path.join(current, "package-lock.json");
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(current) === current) {
      throw new CliError(`no package-lock.json at or above ${dir}: a bento installs its runtime packages from the project's lockfile; run \`npm install\` first`);
    }
  }
}

/**
 * Finds the lockfile entry of each installed package: the project's lockfile first, then, for a
 * package installed outside the project's tree (bentoc's own packages when bentoc is a `file:`
 * or `npm link` dependency, which npm leaves in the linked folder's node_modules), the lockfile
 * of the folder it was installed in: that folder's package-lock.json or a parent's (a
 * workspace root's), else npm's record of what it installed there (`node_modules/.package-lock.json`).
 */
export class LockfileIndex {
  private readonly sources = new Map<string, LockSource | undefined>();

  constructor(private readonly projectLockfile: string) {
    const project = this.read(projectLockfile, path.dirname(projectLockfile));
    if (!project) throw oldLockfile(projectLockfile, readLockfile(projectLockfile).lockfileVersion);
  }

  locate(pkg: InstalledPackage): LockedPackage {
    const root = installRoot(pkg.dir);
    for (const source of this.candidates(root)) {
      const key = path.relative(source.root, pkg.dir).split(path.sep).join("/");
      const entry = source.packages[key];
      if (entry && !entry.link) return { pkg, source, key };
    }
    const outside = root !== undefined && root !== path.dirname(this.projectLockfile);
    throw new CliError(
      outside
        ? `${pkg.name} (${pkg.dir}) is listed neither in ${this.projectLockfile} nor in a lockfile of ${root}, where it was installed; run \`npm install\` in ${root}`
        : `${pkg.name} (${pkg.dir}) is not an installed package in ${this.projectLockfile}; run \`npm install\` so the lockfile lists it`,
    );
  }

  private *candidates(root: string | undefined): Generator<LockSource> {
    yield this.read(this.projectLockfile, path.dirname(this.projectLockfile))!;
    if (root === undefined) return;
    for (let dir = root; ; dir = path.dirname(dir)) {
      const file = path.join(dir, "package-lock.json");
      const source = file === this.projectLockfile ? undefined : this.read(file, dir);
      if (source) yield source;
      if (path.dirname(dir) === dir) break;
    }
    const hidden = this.read(path.join(root, "node_modules", ".package-lock.json"), root);
    if (hidden) yield hidden;
  }

  private read(file: string, root: string): LockSource | undefined {
    if (!this.sources.has(file)) {
      const lock = fs.existsSync(file) ? readLockfile(file) : {};
      const usable = lock.packages && (lock.lockfileVersion ?? 0) >= 2;
      this.sources.set(file, usable ? { file, root, packages: lock.packages! } : undefined);
    }
    return this.sources.get(file);
  }
}

interface Lockfile {
  lockfileVersion?: number;
  packages?: Record<string, LockEntry>;
}

function readLockfile(file: string): Lockfile {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Lockfile;
  } catch (error) {
    throw new CliError(`${file} is not a readable lockfile (${(error as Error).message}); run \`npm install\` to rewrite it`);
  }
}

function oldLockfile(file: string, version: number | undefined): CliError {
  return new CliError(`${file} is an old lockfile (version ${version ?? "?"}); run \`npm install\` with npm 7 or newer to update it`);
}

/** The folder whose `npm install` put a package where it is: the part of its path before the first `node_modules`. */
function installRoot(dir: string): string | undefined {
  const parts = path.resolve(dir).split(path.sep);
  const index = parts.indexOf("node_modules");
  return index > 0 ? parts.slice(0, index).join(path.sep) || path.sep : undefined;
}

import { CliError } from "../errors.js";
import { LockfileIndex, type LockEntry, type LockedPackage } from "./package-lockfiles.js";
import type { InstalledPackage } from "./packages.js";

export { findLockfile } from "./package-lockfiles.js";

export interface RuntimePackageFiles {
  "package.json": string;
  "package-lock.json": string;
}

/**
 * `package.json` and `package-lock.json` for exactly the packages a bento needs at run time:
 * each one pinned, and the lock entries for them and everything they depend on copied from the
 * lockfile that installed them (same versions, same integrity hashes), so `npm ci` installs the
 * same bytes the bento was built and tested with, from a cache or offline. That is the
 * project's lockfile, or for packages installed in a linked folder (bentoc itself as a `file:`
 * dependency) that folder's. Entries are re-rooted where a package was nested; `dev` flags are
 * dropped (these are the bento's production packages).
 */
export function runtimePackageFiles(bentoName: string, runtime: InstalledPackage[], lockfilePath: string): RuntimePackageFiles {
  const index = new LockfileIndex(lockfilePath);
  const bySource = new Map<string, LockedPackage[]>();
  for (const located of runtime.map((pkg) => index.locate(pkg))) {
    bySource.set(located.source.file, [...(bySource.get(located.source.file) ?? []), located]);
  }
  const placed = new Map<string, LockEntry>();
  for (const roots of bySource.values()) {
    for (const [target, entry] of cutEntries(roots)) placeOnce(placed, target, entry);
  }
  const dependencies = Object.fromEntries(runtime.map((pkg) => [pkg.name, pkg.version]));
  const packages: Record<string, LockEntry> = { "": { name: bentoName, version: "0.0.0", dependencies } };
  for (const [target, entry] of [...placed].sort(([a], [b]) => (a < b ? -1 : 1))) packages[target] = entry;
  const packageJson = { name: bentoName, version: "0.0.0", private: true, dependencies };
  const lockJson = { name: bentoName, version: "0.0.0", lockfileVersion: 3, requires: true, packages };
  return { "package.json": `${JSON.stringify(packageJson, null, 2)}\n`, "package-lock.json": `${JSON.stringify(lockJson, null, 2)}\n` };
}

/** The bento's entries (target key → entry) for runtime packages that one lockfile records. */
function cutEntries(roots: LockedPackage[]): Map<string, LockEntry> {
  const { packages } = roots[0]!.source;
  const tree = new LockTree(packages);
  const closure = tree.closure(roots.map((root) => root.key));
  const cut = new Map<string, LockEntry>();
  for (const [target, source] of placeEntries(closure, roots, tree)) {
    const { dev, devOptional, peer, optional, ...entry } = packages[source]!;
    cut.set(target, closure.optional.has(source) ? { ...entry, optional: true } : entry);
  }
  return cut;
}

/** Two lockfiles may both bring a package: one place holds it when they agree on what it is. */
function placeOnce(placed: Map<string, LockEntry>, target: string, entry: LockEntry): void {
  const known = placed.get(target);
  if (!known) return void placed.set(target, entry);
  if (known.version !== entry.version || known.integrity !== entry.integrity) throw layoutError(nameOf(target));
  if (known.optional && !entry.optional) placed.set(target, entry);
}

/** Node's lookup over the lockfile's paths: a dependency of `a/node_modules/b` is found in its own node_modules, then its parents'. */
class LockTree {
  constructor(private readonly packages: Record<string, LockEntry>) {}

  resolve(from: string, name: string): string | undefined {
    for (let base = from; ; base = parentOf(base)) {
      const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
      if (this.packages[candidate]) return candidate;
      if (!base) return undefined;
    }
  }

  /** `[dependency name, required]` for each edge out of an entry. */
  edges(key: string): [string, boolean][] {
    const entry = this.packages[key]!;
    return [
      ...Object.keys(entry.dependencies ?? {}).map((name): [string, boolean] => [name, true]),
      ...Object.keys(entry.optionalDependencies ?? {}).map((name): [string, boolean] => [name, false]),
      ...Object.keys(entry.peerDependencies ?? {}).map((name): [string, boolean] => [name, !entry.peerDependenciesMeta?.[name]?.optional]),
    ];
  }

  /** Every entry reachable from the roots; `optional` holds those reachable only through optional edges. */
  closure(roots: string[]): { keys: Set<string>; optional: Set<string> } {
    const required = this.reach(roots, true);
    const keys = this.reach(roots, false);
    return { keys, optional: new Set([...keys].filter((key) => !required.has(key))) };
  }

  private reach(roots: string[], requiredOnly: boolean): Set<string> {
    const seen = new Set<string>();
    const queue = [...roots];
    while (queue.length > 0) {
      const key = queue.pop()!;
      if (seen.has(key)) continue;
      seen.add(key);
      for (const [name, required] of this.edges(key)) {
        if (requiredOnly && !required) continue;
        const found = this.resolve(key, name);
        if (found) queue.push(found);
        else if (required) throw new CliError(`the lockfile has no entry for ${name}, which ${key} needs; run \`npm install\` to repair it`);
      }
    }
    return seen;
  }
}

function parentOf(key: string): string {
  const index = key.lastIndexOf("/node_modules/");
  return index === -1 ? "" : key.slice(0, index);
}

function nameOf(key: string): string {
  return key.slice(key.lastIndexOf("node_modules/") + "node_modules/".length);
}

/**
 * Where each entry goes in the bento's tree (target key → source key): runtime packages at the
 * top, what was nested under them stays nested under them, and entries nested under packages the
 * bento does not install move to the top. The layout is checked: every dependency must resolve
 * to the same entry it did in the project.
 */
function placeEntries(closure: { keys: Set<string> }, roots: LockedPackage[], tree: LockTree): Map<string, string> {
  const moved = new Map<string, string>(); // source → target
  for (const { pkg, key } of roots) moved.set(key, `node_modules/${pkg.name}`);
  const targetOf = (source: string): string => {
    const known = moved.get(source);
    if (known) return known;
    const parent = parentOf(source);
    const target = parent && closure.keys.has(parent) ? `${targetOf(parent)}/node_modules/${nameOf(source)}` : `node_modules/${nameOf(source)}`;
    moved.set(source, target);
    return target;
  };
  const placed = new Map<string, string>();
  for (const source of closure.keys) {
    const target = targetOf(source);
    const clash = placed.get(target);
    if (clash && clash !== source) throw layoutError(nameOf(source));
    placed.set(target, source);
  }
  const targetTree = new LockTree(Object.fromEntries([...placed.keys()].map((key) => [key, {}])));
  for (const source of closure.keys) {
    for (const [name] of tree.edges(source)) {
      const expected = tree.resolve(source, name);
      if (expected && targetTree.resolve(targetOf(source), name) !== targetOf(expected)) throw layoutError(name);
    }
  }
  return placed;
}

function layoutError(name: string): CliError {
  return new CliError(`cannot lay out the bento's runtime packages: two versions of ${name} would need the same place; run \`npm dedupe\` and build again`);
}

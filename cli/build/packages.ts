import fs from "node:fs";
import path from "node:path";

/** An installed npm package: where it is and what its package.json says. */
export interface InstalledPackage {
  name: string;
  version: string;
  dir: string;
}

/**
 * The installed package a file belongs to: the folder right under a `node_modules/` (or
 * `node_modules/@scope/`) on its path. Files outside any `node_modules` belong to no package.
 */
export function packageOfFile(file: string): InstalledPackage | undefined {
  const parts = path.resolve(file).split(path.sep);
  const index = parts.lastIndexOf("node_modules");
  if (index === -1 || index + 1 >= parts.length - 1) return undefined;
  const depth = parts[index + 1]!.startsWith("@") ? 3 : 2;
  return readInstalledPackage(parts.slice(0, index + depth).join(path.sep));
}

const packages = new Map<string, InstalledPackage | undefined>();

export function readInstalledPackage(dir: string): InstalledPackage | undefined {
  if (packages.has(dir)) return packages.get(dir);
  let found: InstalledPackage | undefined;
  try {
    const json = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
    if (typeof json.name === "string" && typeof json.version === "string") found = { name: json.name, version: json.version, dir };
  } catch {
    // not a package folder
  }
  packages.set(dir, found);
  return found;
}

/** The package name a bare import specifier names: `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** The dependencies declared by the nearest package.json at or above a file. */
export function declaredDependencies(file: string): Set<string> {
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest)) {
      const json = JSON.parse(fs.readFileSync(manifest, "utf8")) as { dependencies?: object; optionalDependencies?: object };
      return new Set([...Object.keys(json.dependencies ?? {}), ...Object.keys(json.optionalDependencies ?? {})]);
    }
    if (path.dirname(dir) === dir) return new Set();
  }
}

const nativeCache = new Map<string, boolean>();

/**
 * Whether a package carries native code, which cannot be bundled: a `binding.gyp`, a
 * `prebuilds/` folder, or a compiled `.node` addon somewhere in it (its own node_modules aside).
 */
export function isNativePackage(dir: string): boolean {
  const cached = nativeCache.get(dir);
  if (cached !== undefined) return cached;
  const native = fs.existsSync(path.join(dir, "binding.gyp")) || fs.existsSync(path.join(dir, "prebuilds")) || hasAddon(dir, 0);
  nativeCache.set(dir, native);
  return native;
}

const MAX_ADDON_DEPTH = 6;

function hasAddon(dir: string, depth: number): boolean {
  if (depth > MAX_ADDON_DEPTH) return false;
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return false;
  }
  return entries.some((entry) =>
    entry.isDirectory() ? entry.name !== "node_modules" && hasAddon(path.join(dir, entry.name), depth + 1) : entry.isFile() && entry.name.endsWith(".node"));
}

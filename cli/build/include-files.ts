import fs from "node:fs";
import path from "node:path";
import { globSync } from "tinyglobby";
import { CliError } from "../errors.js";

/** Never copied into a bento, whatever the globs say: installed packages, VCS data, bentoc's own scratch folders. */
const ALWAYS_EXCLUDED = ["**/node_modules/**", "**/.git/**", "**/.bentoc/**", "**/.bentoc-tmp-*/**"];

/**
 * The project files a bento carries beside its bundle (data the service reads at run time):
 * the `include` globs minus the `exclude` globs, matched in `contextDir`, by relative path in
 * sorted order. A symbolic link is copied as the file it points to only when that file is
 * inside `contextDir`; one that leaves it is an error, so a build never picks up files from
 * elsewhere on the machine.
 */
export function collectIncludedFiles(contextDir: string, include: string[], exclude: string[]): Map<string, Uint8Array> {
  const root = fs.realpathSync(contextDir);
  const matches = globSync(include, { cwd: contextDir, ignore: [...exclude, ...ALWAYS_EXCLUDED], dot: true, onlyFiles: true, followSymbolicLinks: false, expandDirectories: false });
  const files = new Map<string, Uint8Array>();
  for (const relative of matches.sort()) {
    const absolute = path.join(contextDir, relative);
    const real = fs.realpathSync(absolute);
    if (real !== root && !real.startsWith(`${root}${path.sep}`)) {
      throw new CliError(`${relative} is a link to ${real}, outside ${contextDir}; a bento only carries files from its project (exclude it, or copy the file in)`);
    }
    if (!fs.statSync(real).isFile()) continue;
    files.set(relative.split(path.sep).join("/"), fs.readFileSync(real));
  }
  return files;
}

import fs from "node:fs";
import path from "node:path";
import { globSync } from "tinyglobby";
import { CliError } from "../errors.js";

/** Folders never searched nor copied, whatever the globs say: installed packages, VCS data, bentoc's scratch folders. */
const SKIPPED_FOLDERS = /^(node_modules|\.git|\.bentoc|\.bentoc-tmp-.*)$/;
const ALWAYS_EXCLUDED = ["**/node_modules/**", "**/.git/**", "**/.bentoc/**", "**/.bentoc-tmp-*/**"];

/** Entries looked at for links before giving up on a project folder too large to package. */
const MAX_ENTRIES = 200_000;

/**
 * The project files a bento carries beside its bundle (data the service reads at run time):
 * the `include` globs minus the `exclude` globs, matched in `contextDir`, by relative path in
 * sorted order. Links are followed only inside `contextDir`: a link that leaves it is an error
 * found before any globbing, so a build never reads files from elsewhere on the machine.
 */
export function collectIncludedFiles(contextDir: string, include: string[], exclude: string[]): Map<string, Uint8Array> {
  const root = fs.realpathSync(contextDir);
  refuseLinksLeaving(root);
  const matches = globSync(include, { cwd: root, ignore: [...exclude, ...ALWAYS_EXCLUDED], dot: true, onlyFiles: true, followSymbolicLinks: true, expandDirectories: false });
  const files = new Map<string, Uint8Array>();
  for (const relative of matches.sort()) {
    const real = fs.realpathSync(path.join(root, relative));
    if (!isInside(root, real)) throw linkError(relative, real, root); // a second guard, should a link change meanwhile
    if (fs.statSync(real).isFile()) files.set(relative.split(path.sep).join("/"), fs.readFileSync(real));
  }
  return files;
}

function refuseLinksLeaving(root: string): void {
  const pending = [root];
  let seen = 0;
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (++seen > MAX_ENTRIES) throw new CliError(`${root} holds more than ${MAX_ENTRIES} files; build from a smaller folder (bentoc.yaml's folder is the build context)`);
      const absolute = path.join(dir, entry.name);
      if (entry.isDirectory() && !SKIPPED_FOLDERS.test(entry.name)) pending.push(absolute);
      if (!entry.isSymbolicLink()) continue;
      let target: string;
      try {
        target = fs.realpathSync(absolute);
      } catch {
        continue; // a dangling link: nothing to copy, nothing to read
      }
      if (!isInside(root, target)) throw linkError(path.relative(root, absolute), target, root);
    }
  }
}

function isInside(root: string, file: string): boolean {
  return file === root || file.startsWith(`${root}${path.sep}`);
}

function linkError(relative: string, target: string, root: string): CliError {
  return new CliError(`${relative} is a link to ${target}, outside ${root}; a bento only carries files from its project (remove the link, or copy the file in)`);
}

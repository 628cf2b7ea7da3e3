import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { base32Lower } from "../manifest/version.js";
import { StoreError } from "./errors.js";
import type { ModelFile } from "./model-yaml.js";

/** Characters of the content-hash version of a model, as for bentos. */
const VERSION_LENGTH = 16;

/** Copies planned files into `target`, hashing what was written. */
export function copyModelFiles(plan: readonly PlannedFile[], target: string): ModelFile[] {
  return plan.map(({ from, relative }) => {
    const to = path.join(target, ...relative.split("/"));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
    return describeFile(to, relative);
  });
}

export interface PlannedFile {
  /** The real file to read (a link already resolved). */
  from: string;
  /** "/"-separated path under the model's files/ directory. */
  relative: string;
}

/**
 * The files of a model (a directory, or one file) to copy, checked before anything is written:
 * links are followed only to files inside the source directory; a link that leaves it, a link
 * to a directory, or a device/FIFO/socket is refused.
 */
export function planModelCopy(source: string): PlannedFile[] {
  let root: string;
  try {
    root = fs.realpathSync(source);
  } catch {
    throw new StoreError(`${source} does not exist`);
  }
  const stat = fs.statSync(root);
  if (stat.isFile()) return [{ from: root, relative: path.basename(source) }];
  if (!stat.isDirectory()) throw new StoreError(`${source} is neither a file nor a directory`);
  const planned: PlannedFile[] = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true, recursive: true })) {
    const absolute = path.join(entry.parentPath, entry.name);
    const relative = path.relative(root, absolute).split(path.sep).join("/");
    if (entry.isDirectory()) continue;
    if (entry.isFile()) planned.push({ from: absolute, relative });
    else if (entry.isSymbolicLink()) planned.push({ from: resolveLinkInside(root, absolute, relative, source), relative });
    else throw new StoreError(`${path.join(source, relative)} is not a regular file (device, FIFO or socket); a model holds only files`);
  }
  if (planned.length === 0) throw new StoreError(`${source} holds no files`);
  return planned.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
}

function resolveLinkInside(root: string, link: string, relative: string, source: string): string {
  const shown = path.join(source, relative);
  let target: string;
  try {
    target = fs.realpathSync(link);
  } catch {
    throw new StoreError(`${shown} is a broken symbolic link`);
  }
  const inside = path.relative(root, target);
  if (inside === "" || inside.startsWith("..") || path.isAbsolute(inside)) {
    throw new StoreError(`${shown} is a symbolic link out of the model directory (to ${target}); copy the file in instead of linking it`);
  }
  if (!fs.statSync(target).isFile()) throw new StoreError(`${shown} is a symbolic link to a directory; models may link only to files`);
  return target;
}

/** Size and sha256 of a file, as model.yaml lists it. */
export function describeFile(file: string, relative: string): ModelFile {
  const hash = createHash("sha256");
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  const fd = fs.openSync(file, "r");
  let size = 0;
  try {
    for (let read = fs.readSync(fd, buffer); read > 0; read = fs.readSync(fd, buffer)) {
      hash.update(buffer.subarray(0, read));
      size += read;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { path: relative, sizeBytes: size, sha256: hash.digest("hex") };
}

/** The version of a model made of these files: identical files give the identical version. */
export function contentVersion(files: readonly ModelFile[]): string {
  const hash = createHash("sha256");
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) hash.update(`${file.path}\0${file.sha256}\n`);
  return base32Lower(hash.digest()).slice(0, VERSION_LENGTH);
}

/** Throws unless `dir` holds exactly `files`, each with its recorded size and sha256. */
export function verifyModelFiles(dir: string, files: readonly ModelFile[], source: string): void {
  const present = fs.existsSync(dir)
    ? fs.readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((entry) => !entry.isDirectory())
      .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    : [];
  const listed = new Set(files.map((file) => file.path));
  const extra = present.filter((relative) => !listed.has(relative));
  if (extra.length > 0) throw new StoreError(`${source} holds files model.yaml does not list: ${extra.slice(0, 3).join(", ")}`);
  for (const file of files) {
    const actual = path.join(dir, ...file.path.split("/"));
    if (!fs.existsSync(actual)) throw new StoreError(`${source} lacks ${file.path}, which model.yaml lists`);
    const described = describeFile(actual, file.path);
    if (described.sha256 !== file.sha256 || described.sizeBytes !== file.sizeBytes) {
      throw new StoreError(`${source}: ${file.path} does not match the sha256 in model.yaml; the archive is damaged`);
    }
  }
}

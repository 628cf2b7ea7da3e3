import fs from "node:fs";
import path from "node:path";

/**
 * Writes generated files so that none is ever half-written: each goes to a temporary
 * name beside its target and is renamed into place only once every file is on disk.
 */
export function writeFilesAtomically(directory: string, files: ReadonlyMap<string, string>): string[] {
  const staged: { temporary: string; target: string }[] = [];
  try {
    for (const [relative, contents] of files) {
      const target = path.resolve(directory, relative);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const temporary = `${target}.${process.pid}.tmp`;
      fs.writeFileSync(temporary, contents);
      staged.push({ temporary, target });
    }
    for (const { temporary, target } of staged) fs.renameSync(temporary, target);
  } catch (error) {
    for (const { temporary } of staged) fs.rmSync(temporary, { force: true });
    throw error;
  }
  return staged.map(({ target }) => target);
}

/** A path as the user reads it: relative to the working directory when inside it, else absolute. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith("..") ? relative : file;
}

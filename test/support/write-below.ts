import fs from "node:fs";
import path from "node:path";

/** Writes `text` to `relative` below `root`, making the folders on the way; returns the file's path. */
export function writeBelow(root: string, relative: string, text: string): string {
  const file = path.join(root, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

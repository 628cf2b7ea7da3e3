import fs from "node:fs";
import path from "node:path";
import { Transform, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import * as tar from "tar";
import { StoreError } from "./errors.js";
import { relativePathProblem } from "./safe-path.js";

/** How much an archive may unpack to; a bigger one is refused before anything is written. */
export interface ArchiveLimits {
  /** Sum of the sizes of the files inside. */
  maxBytes: number;
  /** Number of entries (files and directories). */
  maxEntries: number;
}

/** Room for large model weights, yet bounded: a hostile archive cannot fill the disk. */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxBytes: 64 * 1024 ** 3, maxEntries: 100_000 };

/** Entry types that are plain data; links, devices and FIFOs are refused. */
const ALLOWED_TYPES: ReadonlySet<string> = new Set(["File", "OldFile", "ContiguousFile", "Directory"]);

/** tar headers and padding: at most a few blocks per entry on top of the data itself. */
const OVERHEAD_PER_ENTRY = 4 * 512;

/** Writes `dir`'s contents as a gzip-compressed tar (paths relative to `dir`), atomically. */
export function writeArchive(dir: string, file: string): void {
  const target = path.resolve(file);
  const temporary = `${target}.${process.pid}.tmp`;
  try {
    tar.create({ sync: true, gzip: true, file: temporary, cwd: dir, portable: true }, ["."]);
    fs.renameSync(temporary, target);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Why an entry may not be unpacked, or undefined when it may: only relative paths that
 * stay inside the target, only files and directories, no set-id bits.
 */
export function entryProblem(entryPath: string, type: string, mode: number | undefined): string | undefined {
  if (!ALLOWED_TYPES.has(type)) return `${JSON.stringify(entryPath)} is a ${describeType(type)}; archives may hold only files and directories`;
  const pathProblem = relativePathProblem(entryPath);
  if (pathProblem !== undefined) return pathProblem;
  if (mode !== undefined && (mode & 0o7000) !== 0) return `${JSON.stringify(entryPath)} has set-id or sticky mode bits`;
  return undefined;
}

function describeType(type: string): string {
  switch (type) {
    case "SymbolicLink": return "symbolic link";
    case "Link": return "hard link";
    case "CharacterDevice": case "BlockDevice": return "device";
    case "FIFO": return "FIFO";
    default: return `${type} entry`;
  }
}

/**
 * Reads the whole archive without writing anything and refuses it (StoreError) if any
 * entry is unsafe or the archive is over `limits`. Decompressed bytes are counted too,
 * so a small file that inflates to terabytes is stopped early.
 */
export async function checkArchive(file: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<void> {
  const source = path.basename(file);
  if (!fs.existsSync(file)) throw new StoreError(`${file} does not exist`);
  let entries = 0;
  let bytes = 0;
  let problem: string | undefined;
  const parser = new tar.Parser({
    strict: true,
    onReadEntry: (entry) => {
      entries += 1;
      bytes += entry.size ?? 0;
      problem ??= entryProblem(entry.path, entry.type, entry.mode)
        ?? (entries > limits.maxEntries ? `it has more than ${limits.maxEntries} entries` : undefined)
        ?? (bytes > limits.maxBytes ? `its files add up to more than ${limits.maxBytes} bytes` : undefined);
      entry.resume(); // the next write stops the stream once a problem is known
    },
  });
  const inflatedLimit = limits.maxBytes + (limits.maxEntries + 2) * OVERHEAD_PER_ENTRY;
  const parsed = new Promise<void>((resolve, reject) => {
    parser.on("error", reject);
    parser.on("abort", reject);
    parser.on("end", resolve);
  });
  parsed.catch(() => {}); // awaited below unless reading stopped first
  try {
    await pipeline(fs.createReadStream(file), createGunzip(), byteLimit(inflatedLimit), new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        if (problem !== undefined) callback(new StoreError(problem));
        else if (parser.write(chunk)) callback();
        else parser.once("drain", () => callback());
      },
      final: (callback) => {
        parser.end();
        callback();
      },
    }));
    await parsed;
  } catch (error) {
    if (problem !== undefined) throw new StoreError(`Refused to import ${source}: ${problem}; nothing was written`);
    if (error instanceof StoreError) throw new StoreError(`Refused to import ${source}: ${error.message}; nothing was written`);
    throw new StoreError(`Cannot read ${source} as a .tar.gz archive: ${(error as Error).message}`);
  }
  if (problem !== undefined) throw new StoreError(`Refused to import ${source}: ${problem}; nothing was written`);
  if (entries === 0) throw new StoreError(`Cannot import ${source}: it is empty or not a tar archive`);
}

function byteLimit(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limit) callback(new StoreError(`it inflates to more than ${limit} bytes`));
      else callback(null, chunk);
    },
  });
}

/**
 * Unpacks a checked archive into `dir` (an empty staging directory). Every entry is
 * checked again on the way, in case the file changed since `checkArchive` read it.
 */
export async function extractArchive(file: string, dir: string, limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS): Promise<void> {
  let entries = 0;
  let bytes = 0;
  let problem: string | undefined;
  await tar.extract({
    file,
    cwd: dir,
    strict: true,
    preserveOwner: false,
    filter: (entryPath, entry) => {
      const stat = entry as tar.ReadEntry;
      entries += 1;
      bytes += stat.size ?? 0;
      problem ??= entryProblem(entryPath, stat.type, stat.mode)
        ?? (entries > limits.maxEntries || bytes > limits.maxBytes ? "it grew past the limits" : undefined);
      return problem === undefined;
    },
  });
  if (problem !== undefined) throw new StoreError(`The archive changed while it was being imported: ${problem}`);
}

/** Checks, then unpacks into `staging`; on any failure `staging` is removed. */
export async function unpackArchiveInto(file: string, staging: () => string, limits?: ArchiveLimits): Promise<string> {
  await checkArchive(file, limits);
  const dir = staging();
  try {
    await extractArchive(file, dir, limits);
    return dir;
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

import { gzipSync } from "node:zlib";
import { Header, Pax } from "tar";

/** One hand-written tar entry; anything a hostile archive might hold. */
export interface RawEntry {
  path: string;
  type?: "File" | "Directory" | "SymbolicLink" | "Link" | "CharacterDevice" | "BlockDevice" | "FIFO";
  data?: string | Buffer;
  linkpath?: string;
  mode?: number;
  /** Overrides the header's path through a pax extended header (the ustar name stays `path`). */
  paxPath?: string;
  /** Declared size when it should differ from the data (directories, lies). */
  size?: number;
}

const BLOCK = 512;

/** The bytes of a tar archive with exactly these entries, gzip-compressed; nothing is sanitised. */
export function rawTarGz(entries: readonly RawEntry[], trailingZeros = 0): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    if (entry.paxPath !== undefined) blocks.push(new Pax({ path: entry.paxPath }).encode());
    const data = typeof entry.data === "string" ? Buffer.from(entry.data) : entry.data ?? Buffer.alloc(0);
    const type = entry.type ?? "File";
    const header = Buffer.alloc(BLOCK);
    new Header({
      path: entry.path,
      type,
      size: entry.size ?? (type === "File" ? data.length : 0),
      mode: entry.mode ?? (type === "Directory" ? 0o755 : 0o644),
      linkpath: entry.linkpath ?? "",
      mtime: new Date("2025-01-01T00:00:00Z"),
      uid: 1000,
      gid: 1000,
    }).encode(header);
    blocks.push(header, data, Buffer.alloc((BLOCK - (data.length % BLOCK)) % BLOCK));
  }
  blocks.push(Buffer.alloc(2 * BLOCK), Buffer.alloc(trailingZeros));
  return gzipSync(Buffer.concat(blocks));
}

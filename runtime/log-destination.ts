import { fstatSync, write, writeSync } from "node:fs";

/** Bytes per write to a file: a busy server's lines cost a write system call per 64 KiB. */
const FILE_CHUNK_BYTES = 64 * 1024;
/**
 * Bytes per write to a pipe (a container's stdout): Linux writes up to PIPE_BUF (4096) bytes to a
 * pipe at once, so the lines of several worker processes sharing the pipe never interleave.
 */
const PIPE_CHUNK_BYTES = 4096;
/** Bytes waiting for a stdout that takes nothing, at most; lines beyond are dropped and counted. */
const MAX_WAITING_BYTES = 16 * 1024 * 1024;
/** A full non-blocking pipe (EAGAIN) is tried again after this long. */
const RETRY_MS = 10;
/** `flushSync` waits this long at most for a full pipe to take the lines (the process is exiting). */
const SYNC_RETRY_LIMIT_MS = 1000;

interface Chunk {
  bytes: Buffer;
  /** Bytes already written (a write can take part of a chunk). */
  offset: number;
  lines: number;
}

/**
 * Log lines to a file descriptor, buffered: lines are copied into a chunk, and a full chunk is
 * written with one write. `flush` starts writing what is buffered, `flushSync` writes it before
 * returning (a process about to exit). Writes never block the event loop: to a file they run on
 * libuv's threads; a pipe or socket is non-blocking (a full one answers EAGAIN at once, and the
 * chunk waits for a retry), so it is written to directly. A stdout that takes nothing keeps at
 * most MAX_WAITING_BYTES, then drops lines and says how many once it takes lines again.
 *
 * A line is either appended as a string or written in place: `reserve` room for it, write its
 * bytes into `chunk` from `used`, and `commit` where it ends (access-log.ts does, without a string).
 */
export class ChunkedLogDestination {
  private readonly chunkBytes: number;
  /** A pipe or socket (non-blocking): written from the event loop; a file is written on libuv's threads. */
  private readonly isStream: boolean;
  /** The chunk being filled, and how much of it holds lines. */
  chunk: Buffer;
  used = 0;
  private lines = 0;
  /** Full chunks in the order they are written; the first is being written when `writing`. */
  private readonly waiting: Chunk[] = [];
  private waitingBytes = 0;
  /** A write to a file is in flight, or a full pipe's retry is due. */
  private writing = false;
  private broken = false;
  private droppedLines = 0;
  private readonly spare: Buffer[] = [];

  constructor(private readonly fd: number) {
    this.isStream = isStream(fd);
    // Node's stdout handle puts a pipe in non-blocking mode (libuv); made here, so no write to it ever blocks.
    if (this.isStream && fd === 1) void process.stdout;
    this.chunkBytes = this.isStream ? PIPE_CHUNK_BYTES : FILE_CHUNK_BYTES;
    this.chunk = Buffer.allocUnsafeSlow(this.chunkBytes);
  }

  /** Buffers one line (ending in a newline). */
  append(line: string): void {
    // A UTF-16 code unit takes at most 3 bytes of UTF-8.
    this.reserve(line.length * 3);
    this.commit(this.used + this.chunk.write(line, this.used, "utf8"));
  }

  /** Makes room for a line of at most `maxBytes` in `chunk` from `used`, writing the chunk out when it is full. */
  reserve(maxBytes: number): void {
    if (this.used + maxBytes <= this.chunk.length) return;
    this.seal();
    if (maxBytes > this.chunk.length) this.chunk = Buffer.allocUnsafeSlow(maxBytes); // a line longer than a chunk is a chunk of its own
  }

  /** The reserved line ends at `end`. */
  commit(end: number): void {
    this.used = end;
    this.lines++;
  }

  /** Starts writing what is buffered. */
  flush(): void {
    this.seal();
  }

  /** Writes what is buffered before returning: for a process about to exit, with no event loop to finish a write. */
  flushSync(): void {
    this.seal();
    // A write to a file in flight is the system's now; the chunks after it are written here.
    const at = this.writing && !this.isStream ? 1 : 0;
    const deadline = Date.now() + SYNC_RETRY_LIMIT_MS;
    while (this.waiting.length > at && !this.broken) {
      if (this.writeNow(at) === "full") {
        if (Date.now() > deadline) return;
        sleepSync(RETRY_MS);
      }
    }
  }

  /** Moves the chunk, if it holds lines, to the chunks to write, and starts writing. */
  private seal(): void {
    if (this.lines === 0) return;
    const chunk: Chunk = { bytes: this.chunk.subarray(0, this.used), offset: 0, lines: this.lines };
    this.chunk = this.spare.pop() ?? Buffer.allocUnsafeSlow(this.chunkBytes);
    this.used = 0;
    this.lines = 0;
    if (this.broken) return;
    if (this.waitingBytes + chunk.bytes.length > MAX_WAITING_BYTES) {
      this.droppedLines += chunk.lines;
      return;
    }
    this.waiting.push(chunk);
    this.waitingBytes += chunk.bytes.length;
    this.writeNext();
  }

  private enqueueDropNotice(): void {
    const line = `${JSON.stringify({ level: 40, time: Date.now(), pid: process.pid, msg: `${this.droppedLines} log lines dropped: stdout took no lines for a while` })}\n`;
    this.droppedLines = 0;
    const bytes = Buffer.from(line, "utf8");
    this.waiting.push({ bytes, offset: 0, lines: 1 });
    this.waitingBytes += bytes.length;
  }

  private writeNext(): void {
    if (this.writing || this.broken) return;
    if (this.isStream) this.writeStream();
    else this.writeFile();
  }

  /** To a pipe or socket: chunks are written until it is full, then again after RETRY_MS. */
  private writeStream(): void {
    while (this.waiting.length > 0) {
      const result = this.writeNow(0);
      if (result === "broken") return;
      if (result === "full") {
        this.writing = true;
        setTimeout(() => {
          this.writing = false;
          this.writeNext();
        }, RETRY_MS).unref();
        return;
      }
    }
  }

  /** Writes (what is left of) a waiting chunk with one write system call. */
  private writeNow(at: number): "written" | "full" | "broken" {
    const chunk = this.waiting[at]!;
    try {
      this.wrote(chunk, writeSync(this.fd, chunk.bytes, chunk.offset, chunk.bytes.length - chunk.offset));
      return "written";
    } catch (error) {
      if (isFull(error)) return "full";
      this.break();
      return "broken";
    }
  }

  /** To a file: one write at a time on libuv's threads. */
  private writeFile(): void {
    const chunk = this.waiting[0];
    if (!chunk) return;
    this.writing = true;
    write(this.fd, chunk.bytes, chunk.offset, chunk.bytes.length - chunk.offset, null, (error, written) => {
      this.writing = false;
      if (error) return this.break();
      if (this.waiting[0] === chunk) this.wrote(chunk, written); // else flushSync has written what was left
      this.writeNext();
    });
  }

  private wrote(chunk: Chunk, bytes: number): void {
    chunk.offset += bytes;
    if (chunk.offset < chunk.bytes.length) return;
    this.waiting.splice(this.waiting.indexOf(chunk), 1);
    this.waitingBytes -= chunk.bytes.length;
    this.recycle(chunk.bytes);
    // stdout takes lines again after some were dropped: say so, after the lines written before them
    if (this.waiting.length === 0 && this.droppedLines > 0) this.enqueueDropNotice();
  }

  /** stdout is closed (EPIPE) or gone: nothing more can be written to it. */
  private break(): void {
    this.broken = true;
    this.waiting.length = 0;
    this.waitingBytes = 0;
  }

  /** A written chunk's buffer, whole, is the next chunk to fill (two are kept: one filled while one is written). */
  private recycle(bytes: Buffer): void {
    if (bytes.buffer.byteLength === this.chunkBytes && bytes.byteOffset === 0 && this.spare.length < 2) this.spare.push(Buffer.from(bytes.buffer, 0, this.chunkBytes));
  }
}

function isStream(fd: number): boolean {
  try {
    const stat = fstatSync(fd);
    return stat.isFIFO() || stat.isSocket();
  } catch {
    return false;
  }
}

function isFull(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === "EAGAIN";
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

// JSON values written straight into a buffer, for log lines written without a string (access-log.ts).
// Each writer takes the buffer and the offset to write at, and returns the offset after what it wrote;
// the caller makes sure there is room (MAX_NUMBER_BYTES for a number, 6 bytes per character for a string).

/** Bytes of a number written here, at most. */
export const MAX_NUMBER_BYTES = 20;
const MAX_SAFE_NUMBER = Number.MAX_SAFE_INTEGER;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const DOT = 0x2e;
const ZERO = 0x30;
const NULL = asciiBytes("null");

/** Shorter byte runs are copied in a loop: cheaper than TypedArray#set's call for a few bytes. */
const COPY_LOOP_BYTES = 32;

/** Copies bytes in. */
export function writeBytes(chunk: Buffer, at: number, bytes: Uint8Array): number {
  if (bytes.length >= COPY_LOOP_BYTES) chunk.set(bytes, at);
  else for (let index = 0; index < bytes.length; index++) chunk[at + index] = bytes[index]!;
  return at + bytes.length;
}

/** The bytes of a text known to be ASCII. */
export function asciiBytes(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

/** A non-negative integer up to MAX_SAFE_NUMBER in decimal digits; anything else as null. */
export function writeInteger(chunk: Buffer, at: number, value: number): number {
  if (!(value >= 0 && value <= MAX_SAFE_NUMBER) || !Number.isInteger(value)) return writeBytes(chunk, at, NULL);
  let digits = 1;
  for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
  for (let index = at + digits - 1, rest = value; index >= at; index--, rest = Math.floor(rest / 10)) chunk[index] = ZERO + (rest % 10);
  return at + digits;
}

/** Milliseconds to the µs, as pino would write `Math.round(ms * 1000) / 1000` (no trailing zeros). */
export function writeMilliseconds(chunk: Buffer, at: number, ms: number): number {
  const micros = Math.round(ms * 1000);
  if (!(micros >= 0 && micros <= MAX_SAFE_NUMBER)) return writeBytes(chunk, at, NULL);
  at = writeInteger(chunk, at, Math.floor(micros / 1000));
  let fraction = micros % 1000;
  if (fraction === 0) return at;
  chunk[at++] = DOT;
  for (let scale = 100; fraction > 0; scale /= 10) {
    const digit = Math.floor(fraction / scale);
    chunk[at++] = ZERO + digit;
    fraction -= digit * scale;
  }
  return at;
}

/** A JSON string: printable ASCII is copied as is; a string with anything else goes through JSON.stringify. */
export function writeJsonString(chunk: Buffer, at: number, text: string): number {
  chunk[at] = QUOTE;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code > 0x7e || code === QUOTE || code === BACKSLASH) return at + chunk.write(JSON.stringify(text), at, "utf8");
    chunk[at + 1 + index] = code;
  }
  chunk[at + 1 + text.length] = QUOTE;
  return at + text.length + 2;
}

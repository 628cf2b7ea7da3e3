import { describe, expect, it } from "vitest";
import { MAX_NUMBER_BYTES, writeBytes, writeInteger, writeJsonString, writeMilliseconds } from "../../runtime/json-bytes.js";
import { seededRandom } from "../support/seeded-random.js";

/** What a writer puts into a fresh buffer, as text. */
function written(write: (chunk: Buffer, at: number) => number, room = 64): string {
  const chunk = Buffer.alloc(room + 3, "#");
  const end = write(chunk, 3);
  expect(chunk.subarray(0, 3).toString()).toBe("###"); // nothing before the offset
  return chunk.subarray(3, end).toString("utf8");
}

describe("JSON values written into a buffer (the access line's)", () => {
  it("writes integers as JSON.stringify does, and null for what is not a non-negative safe integer", () => {
    const random = seededRandom(7);
    const values = [0, 1, 9, 10, 99, 100, 1_765_000_000_000, Number.MAX_SAFE_INTEGER, ...Array.from({ length: 2000 }, () => Math.floor(random() * 10 ** Math.floor(random() * 16)))];
    for (const value of values) expect(written((chunk, at) => writeInteger(chunk, at, value))).toBe(JSON.stringify(value));
    for (const value of [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 2]) expect(written((chunk, at) => writeInteger(chunk, at, value))).toBe("null");
    expect(written((chunk, at) => writeInteger(chunk, at, Number.MAX_SAFE_INTEGER)).length).toBeLessThanOrEqual(MAX_NUMBER_BYTES);
  });

  it("writes milliseconds rounded to the µs, exactly as JSON.stringify(Math.round(ms * 1000) / 1000)", () => {
    const random = seededRandom(11);
    const values = [0, 0.0004, 0.0005, 0.001, 0.01, 0.05, 0.1, 0.999, 1, 1.5, 12.3456, 3_600_000.25, ...Array.from({ length: 5000 }, () => random() * 10 ** Math.floor(random() * 7))];
    for (const ms of values) expect(written((chunk, at) => writeMilliseconds(chunk, at, ms)), String(ms)).toBe(JSON.stringify(Math.round(ms * 1000) / 1000));
    for (const ms of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(written((chunk, at) => writeMilliseconds(chunk, at, ms))).toBe("null");
  });

  it("writes strings as JSON.stringify does, escapes and characters beyond ASCII included", () => {
    const texts = ["", "req-1", "9f1c2d3e-aaaa-bbbb-cccc-1234567890ab", 'a"b', "a\\b", "line\nbreak", "tab\there", "\u0000", "café", "日本", "emoji 🎉", "\u2028"];
    for (const text of texts) expect(JSON.parse(written((chunk, at) => writeJsonString(chunk, at, text)))).toBe(text);
    for (const text of texts) expect(written((chunk, at) => writeJsonString(chunk, at, text))).toBe(JSON.stringify(text));
  });

  it("copies short and long byte runs in whole", () => {
    for (const length of [0, 1, 31, 32, 33, 200]) {
      const bytes = Buffer.from(Array.from({ length }, (_, index) => 97 + (index % 26)));
      expect(written((chunk, at) => writeBytes(chunk, at, bytes), 256)).toBe(bytes.toString("latin1"));
    }
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeadlineSweeper } from "../../runtime/deadlines.js";

describe("DeadlineSweeper", () => {
  let clock = 0;
  beforeEach(() => {
    clock = 0;
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  const sweeper = () => new DeadlineSweeper(100, () => clock);
  const advance = (ms: number) => {
    clock += ms;
    vi.advanceTimersByTime(ms);
  };

  it("expires each pending call once when its deadline has passed, and no removed or later one", () => {
    const deadlines = sweeper();
    const expired: string[] = [];
    const record = (name: string) => expired.push(name);
    const first = deadlines.add(clock + 150, record, "first", undefined);
    const middle = deadlines.add(clock + 150, record, "middle", undefined);
    deadlines.add(clock + 150, record, "last", undefined);
    deadlines.add(clock + 1_000, record, "later", undefined);
    expect(deadlines.remove(middle)).toBe(true); // it was pending
    advance(100);
    expect(expired).toEqual([]);
    advance(100);
    expect(expired).toEqual(["first", "last"]);
    expect(deadlines.remove(first)).toBe(false); // already expired: harmless, and says so
    advance(1_000);
    expect(expired).toEqual(["first", "last", "later"]);
  });

  it("keeps the list whole when the head, the tail or every call is removed, and stops its timer when empty", () => {
    const deadlines = sweeper();
    const expired: number[] = [];
    const record = (index: number) => expired.push(index);
    const calls = [0, 1, 2, 3].map((index) => deadlines.add(clock + 50, record, index, undefined));
    deadlines.remove(calls[0]!);
    expect(deadlines.remove(calls[3]!)).toBe(true);
    expect(deadlines.remove(calls[3]!)).toBe(false);
    advance(100);
    expect(expired).toEqual([1, 2]);
    expect(vi.getTimerCount()).toBe(0);
    const again = deadlines.add(clock + 50, record, 9, undefined);
    expect(vi.getTimerCount()).toBe(1);
    deadlines.remove(again);
    advance(100);
    expect(expired).toEqual([1, 2]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("hands the expiring call and its detail to the expire function", () => {
    const deadlines = sweeper();
    const seen: Array<[string, number]> = [];
    deadlines.add(clock + 50, (call: string, detail: number) => seen.push([call, detail]), "call", 7);
    advance(100);
    expect(seen).toEqual([["call", 7]]);
  });
});

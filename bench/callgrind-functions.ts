// Per-function instruction counts of a callgrind dump of a node process, for
// `npm run bench:http-instructions -- --functions N`. Callgrind names JIT-compiled JavaScript
// only by address (`???:0x…`); node's `--perf-basic-prof` writes a map of those addresses to
// function names (/tmp/perf-<pid>.map), which turns them back into names.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

interface CodeRange {
  start: number;
  end: number;
  name: string;
}

/**
 * The perf map node writes with `--perf-basic-prof`: `<start hex> <size hex> <name>` per line,
 * appended as code is made. Memory freed by the garbage collector is reused for newer code, so
 * for one start address the last line wins. Sorted by start.
 */
function readPerfMap(path: string): CodeRange[] {
  if (!existsSync(path)) return [];
  const ranges = new Map<number, CodeRange>();
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const [start, size, ...name] = line.split(" ");
    if (!start || !size || name.length === 0) continue;
    const from = Number.parseInt(start, 16);
    // V8 marks the tier of a function with a prefix (`JS:*f`, `JS:~f`); one name per function is enough here.
    ranges.set(from, { start: from, end: from + Number.parseInt(size, 16), name: name.join(" ").replace(/^JS:[*^~+]?/, "JS:") });
  }
  return [...ranges.values()].sort((a, b) => a.start - b.start);
}

function nameAt(ranges: CodeRange[], address: number): string | undefined {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const range = ranges[middle]!;
    if (address < range.start) high = middle - 1;
    else if (address >= range.end) low = middle + 1;
    else return range.name;
  }
  return undefined;
}

/**
 * Instructions by function name in a callgrind dump, exclusive (the function's own) or inclusive
 * (with what it calls); JIT code is named through `perfMapPath`. A function compiled more than
 * once (by tier) counts its code objects together.
 */
export function instructionsByFunction(dump: string, perfMapPath: string, { inclusive = false } = {}): Map<string, number> {
  const ranges = readPerfMap(perfMapPath);
  const annotated = execFileSync("callgrind_annotate", ["--threshold=100", `--inclusive=${inclusive ? "yes" : "no"}`, dump], { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  const byName = new Map<string, number>();
  for (const line of annotated.split("\n")) {
    const match = /^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)$/.exec(line);
    if (!match || match[2]!.includes("PROGRAM TOTALS")) continue;
    const instructions = Number(match[1]!.replaceAll(",", ""));
    const symbol = match[2]!;
    // JIT code has no object file (`[???]`); code in a file without symbols keeps its address and file.
    const jit = /^\?\?\?:0x([0-9a-f]+) \[\?\?\?\]$/.exec(symbol);
    const name = jit ? (nameAt(ranges, Number.parseInt(jit[1]!, 16)) ?? "(JIT code missing from the perf map)")
      : symbol.startsWith("???:0x") ? symbol.replace(/\[.*\/([^/\]]+)\]$/, "[$1]") : symbol.replace(/ \[.*\]$/, "").slice(0, 120);
    byName.set(name, (byName.get(name) ?? 0) + instructions);
  }
  return byName;
}

/**
 * Rows of the `top` functions whose per-request counts differ most between two servers, largest
 * first; with `only`, the functions whose names match it, largest count first.
 */
export function functionDifferences(a: Map<string, number>, b: Map<string, number>, requests: number, top: number, only?: RegExp): string[] {
  const names = new Set([...a.keys(), ...b.keys()].filter((name) => !only || only.test(name)));
  const rows = [...names].map((name) => {
    const perA = (a.get(name) ?? 0) / requests;
    const perB = (b.get(name) ?? 0) / requests;
    return { name, perA, perB, difference: perA - perB };
  });
  rows.sort(only ? (x, y) => Math.max(y.perA, y.perB) - Math.max(x.perA, x.perB) : (x, y) => Math.abs(y.difference) - Math.abs(x.difference));
  const cell = (value: number) => Math.round(value).toLocaleString("en").padStart(8);
  return rows.slice(0, top).map((row) => `${cell(row.difference)} ${cell(row.perA)} ${cell(row.perB)}  ${row.name}`);
}

// `npm run bench:compile`: bentoc's compile time against `tsc --noEmit` on the same
// generated service, measured in the same run. The type check is the floor bentoc
// cannot go below (it runs the same checker), so the figure that matters is the ratio.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generateBenchService } from "./generate-service.js";
import { summarize, timeProcess, type ProcessTiming, type Summary } from "./measure.js";
import { findRepoRoot, numberFlag, scratchCleanup } from "./setup.js";
import { writeResults } from "./results-file.js";

const TARGET_RATIO = 1.5;
// Rounds stop early past this budget, so a slow machine still finishes in about two minutes.
const BUDGET_MS = 120_000;
const PROCESS_TIMEOUT_MS = 120_000;

const { values: flags } = parseArgs({
  options: {
    rounds: { type: "string", default: "7" },
    apis: { type: "string", default: "50" },
    // Leaves the temp folder in place so a failing compile can be reproduced by hand.
    keep: { type: "boolean", default: false },
  },
});
const rounds = numberFlag("--rounds", flags.rounds, { integer: true });
const apiCount = numberFlag("--apis", flags.apis, { integer: true });

const root = findRepoRoot();
// Inside the package, so `import "bentoc"` resolves through the package's own `exports` to dist/.
const tmp = join(root, `.bentoc-tmp-bench-compile-${process.pid}`);
const servicePath = join(tmp, "service.ts");
const outDir = join(tmp, "out");

interface Contender {
  label: string;
  args: string[];
  samples: number[];
  /** Work outside the timed region that makes every run start from the same state. */
  reset?: () => void;
}

const contenders: Contender[] = [
  {
    label: "tsc --noEmit",
    args: [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(tmp, "tsconfig.json"), "--noEmit"],
    samples: [],
  },
  {
    label: "bentoc compile",
    args: [join(root, "bin", "bentoc.js"), "compile", servicePath, "-o", outDir],
    samples: [],
    reset: () => rmSync(outDir, { recursive: true, force: true }),
  },
];

function writeFixture(source: string): void {
  mkdirSync(tmp, { recursive: true });
  writeFileSync(servicePath, source);
  // No package.json here on purpose: the nearest one must stay bentoc's own, both for
  // `"type": "module"` and because a package can import itself by name only from inside
  // its own package scope; a nested one makes `import "bentoc"` fail with TS2307.
  const tsconfig = {
    compilerOptions: { strict: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", skipLibCheck: true, noEmit: true },
    include: ["service.ts"],
  };
  writeFileSync(join(tmp, "tsconfig.json"), JSON.stringify(tsconfig, null, 2) + "\n");
}

class CompileFailed extends Error {
  constructor(readonly contender: string, readonly timing: ProcessTiming) {
    super(`${contender} failed`);
  }
}

async function run(contender: Contender): Promise<number> {
  contender.reset?.();
  const timing = await timeProcess(process.execPath, contender.args, { cwd: root, timeoutMs: PROCESS_TIMEOUT_MS });
  if (timing.code !== 0) throw new CompileFailed(contender.label, timing);
  return timing.ms;
}

function formatRow(label: string, s: Summary): string {
  const ms = (v: number) => `${v.toFixed(0)} ms`.padStart(10);
  return `${label.padEnd(16)}${ms(s.median)}${ms(s.min)}${ms(s.max)}`;
}

async function main(): Promise<number> {
  const source = generateBenchService(apiCount);
  const lines = source.split("\n").length;
  writeFixture(source);
  const started = Date.now();

  // One untimed round first: it proves both compile the file cleanly and warms the disk cache.
  for (const c of contenders) await run(c);

  let completed = 0;
  while (completed < rounds) {
    const roundStart = Date.now();
    // Alternate who goes first, so drift in machine load lands on both alike.
    const order = completed % 2 === 0 ? contenders : [...contenders].reverse();
    for (const c of order) c.samples.push(await run(c));
    completed++;
    const roundMs = Date.now() - roundStart;
    if (completed < rounds && Date.now() - started + roundMs > BUDGET_MS) {
      console.log(`(stopping after ${completed} of ${rounds} rounds: the ${BUDGET_MS / 1000} s budget is spent)`);
      break;
    }
  }

  const [tsc, bentoc] = contenders.map((c) => summarize(c.samples)) as [Summary, Summary];
  const ratio = bentoc.median / tsc.median;
  console.log(`\nbentoc compile benchmark: ${apiCount} APIs, ${lines} lines, ${completed} rounds (node ${process.version}, ${cpus().length} CPUs)\n`);
  console.log(`${"".padEnd(16)}${"median".padStart(10)}${"min".padStart(10)}${"max".padStart(10)}`);
  console.log(formatRow(contenders[0]!.label, tsc));
  console.log(formatRow(contenders[1]!.label, bentoc));
  console.log(`\nratio (bentoc / tsc --noEmit, median): ${ratio.toFixed(2)}×  target ≤ ${TARGET_RATIO}×${ratio > TARGET_RATIO ? "  (over target)" : ""}`);

  const resultsPath = writeResults(root, "compile", {
    rounds: completed,
    apiCount,
    serviceLines: lines,
    targetRatio: TARGET_RATIO,
    ratio,
    tsc: { command: "tsc -p tsconfig.json --noEmit", ...tsc, samplesMs: contenders[0]!.samples },
    bentoc: { command: "bentoc compile service.ts -o out", ...bentoc, samplesMs: contenders[1]!.samples },
  });
  console.log(`results: ${resultsPath}`);
  return 0;
}

const cleanUp = scratchCleanup(tmp, flags.keep);

try {
  process.exitCode = await main();
} catch (error) {
  // A failed compile must never produce a ratio: report it and fail the run.
  if (error instanceof CompileFailed) {
    const { code, signal, stdout, stderr } = error.timing;
    console.error(`${error.contender} failed (${signal ? `signal ${signal}` : `exit ${code}`}) on the generated service (${apiCount} APIs):`);
    if (stdout.trim()) console.error(stdout.trimEnd());
    if (stderr.trim()) console.error(stderr.trimEnd());
  } else {
    console.error(error);
  }
  process.exitCode = 1;
} finally {
  cleanUp();
}

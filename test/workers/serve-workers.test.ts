import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/run-cli.js";
import { until } from "../support/bento-server.js";
import { callFresh, isAlive, logLines, primaryLines, sampleSum, sleep } from "./cluster-client.js";
import { PIDS_SERVICE } from "./pids-service.js";

// `bentoc serve` on a multi-worker service, in its own process group as a shell runs it: the
// primary forks the workers, and a Ctrl-C (SIGINT to the whole group) drains them and exits 0.

const dir = fs.mkdtempSync(path.join(REPO_ROOT, ".bentoc-tmp-"));
const pids = new Set<number>();

afterAll(() => {
  for (const pid of pids) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("bentoc serve with workers: 2", () => {
  it("serves from two workers and stops them all on Ctrl-C after their in-flight calls", async () => {
    fs.writeFileSync(path.join(dir, "service.ts"), PIDS_SERVICE(`{ workers: 2 }`));
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin", "bentoc.js"), "serve", "service.ts", "--port", "0"], {
      cwd: dir,
      env: { ...process.env, NO_COLOR: "1", BENTOC_LOG_FORMAT: "json" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    pids.add(child.pid!);
    let output = "";
    child.stdout!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

    // Port 0: the workers share the one port the primary bound; they log it.
    const url = await until(() => logLines(output).map((line) => /^Server listening at (http:\/\/\S+)$/.exec(line.msg)?.[1]).find(Boolean), "a worker to listen", 60_000);
    await until(async () => ((await callFresh(url, "GET", "/readyz")).status === 200 ? true : undefined), "both workers to be ready", 30_000);
    for (const line of logLines(output)) pids.add(line.pid);

    const servedBy = new Set<number>();
    for (let call = 0; call < 8 && servedBy.size < 2; call++) servedBy.add((await callFresh(url, "POST", "/whoami", {})).body.pid);
    expect(servedBy.size).toBe(2);
    const primaryPid = primaryLines(output)[0]!.pid;
    expect(servedBy.has(primaryPid)).toBe(false);

    const slow = [callFresh(url, "POST", "/slow", { ms: 2000 }), callFresh(url, "POST", "/slow", { ms: 2000 })];
    // Both calls have reached a worker once the cluster counts them in flight (a fixed wait may not be enough on a busy machine).
    await until(async () => (sampleSum((await callFresh(url, "GET", "/metrics")).body, "bentoc_requests_in_flight", 'route="/slow"') === 2 ? true : undefined), "the slow calls to be in flight", 30_000);
    process.kill(-child.pid!, "SIGINT");
    expect((await Promise.all(slow)).map((answer) => answer.status)).toEqual([200, 200]);
    expect(await Promise.race([exited, sleep(15_000).then(() => "still running")])).toBe(0);
    for (const pid of [primaryPid, ...servedBy]) expect(isAlive(pid), `process ${pid}`).toBe(false);
  });
});

import { spawn } from "node:child_process";
import path from "node:path";
import { REPO_ROOT, type CliRun } from "../support/run-cli.js";

/**
 * Runs the real `bentoc` without blocking this process, so a server the test runs
 * (the fake Hub) can answer the CLI's requests.
 */
export function runCliAsync(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; tty?: boolean } = {}): Promise<CliRun> {
  const command = [process.execPath, path.join(REPO_ROOT, "bin", "bentoc.js"), ...args];
  // util-linux `script` runs the command on a pseudo-terminal (its output then arrives on stdout).
  const [file, ...argv] = options.tty ? ["script", "-qec", command.map(shellQuote).join(" "), "/dev/null"] : command;
  return new Promise((resolve, reject) => {
    const child = spawn(file!, argv, {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, NO_COLOR: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 60_000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

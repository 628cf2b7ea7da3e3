import { spawn, type ChildProcess } from "node:child_process";

/** The bundled server running as a child process, so a reload can swap it for a new one. */
export class ServerProcess {
  private child: ChildProcess | undefined;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  start(bundle: string): void {
    this.child = spawn(process.execPath, ["--enable-source-maps", bundle], { stdio: "inherit", env: this.env });
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the exit code when the current child exits. */
  exited(): Promise<number> {
    const child = this.child;
    if (!child) return Promise.resolve(0);
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? 1);
    return new Promise((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
  }

  /** Asks the child to shut down gracefully and waits for it. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number> {
    if (!this.running) return this.exited();
    const done = this.exited();
    this.child!.kill(signal);
    return done;
  }
}

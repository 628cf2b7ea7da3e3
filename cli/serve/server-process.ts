import { spawn, type ChildProcess } from "node:child_process";

/**
 * The bundled server running as a child process, so a reload can swap it for a new one.
 *
 * The child runs in its own process group: a Ctrl-C in the terminal reaches only `bentoc serve`,
 * which forwards exactly one signal. (In the terminal's group the child would get the terminal's
 * SIGINT and the forwarded one; the second kills it before its graceful shutdown is done.)
 */
export class ServerProcess {
  private child: ChildProcess | undefined;
  private stopping: Promise<number> | undefined;
  /** If `bentoc` exits with the child still running (it should not), the child is asked to stop too. */
  private readonly killOnExit = () => {
    if (this.running) this.child!.kill("SIGTERM");
  };

  /** `env` is read at every start, so a reload picks up a changed `.env`. */
  constructor(
    readonly env: () => NodeJS.ProcessEnv,
    private readonly onUnexpectedExit: (code: number) => void = () => undefined,
  ) {}

  /** `cwd`: the server's working directory (a stored bento runs in its own folder, as in its image). */
  start(bundle: string, cwd?: string): void {
    if (this.running) throw new Error("the server is already running");
    const child = spawn(process.execPath, ["--enable-source-maps", bundle], { stdio: "inherit", env: this.env(), detached: true, cwd });
    this.child = child;
    this.stopping = undefined;
    process.on("exit", this.killOnExit);
    child.once("exit", (code) => {
      process.off("exit", this.killOnExit);
      if (this.child === child && !this.stopping) this.onUnexpectedExit(code ?? 1);
    });
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves with the exit code when the current child exits (1 when a signal ended it). */
  exited(): Promise<number> {
    const child = this.child;
    if (!child) return Promise.resolve(0);
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? 1);
    return new Promise((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
  }

  /**
   * Asks the child to shut down gracefully and waits for it; with `forceAfterMs`, kills it if it
   * takes longer. Calling it again while a stop is under way waits for that one (one signal only).
   */
  stop(signal: NodeJS.Signals = "SIGTERM", forceAfterMs?: number): Promise<number> {
    if (!this.running) return this.exited();
    if (this.stopping) return this.stopping;
    const child = this.child!;
    const done = this.exited();
    let timer: NodeJS.Timeout | undefined;
    if (forceAfterMs !== undefined) timer = setTimeout(() => child.kill("SIGKILL"), forceAfterMs);
    child.kill(signal);
    this.stopping = done.finally(() => clearTimeout(timer));
    return this.stopping;
  }

  /** Ends the child at once (a second Ctrl-C, or `bentoc` itself exiting). */
  kill(): void {
    if (this.running) this.child!.kill("SIGKILL");
  }
}

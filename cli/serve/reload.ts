import path from "node:path";
import chokidar from "chokidar";
import { compileService } from "../../compiler/index.js";
import { bundleServer } from "../bundle.js";
import { formatDiagnostics } from "../code-frame.js";
import type { ServiceArgs } from "../compile-step.js";
import type { ServerProcess } from "./server-process.js";

const DEBOUNCE_MS = 50;
/** A reload does not wait longer than this for the old server's in-flight calls (an open stream, say). */
const RELOAD_STOP_GRACE_MS = 2_000;

export interface ReloadWatcher {
  /** Stops watching and waits for a reload under way; after it no server is started again. */
  close(): Promise<void>;
}

/**
 * Watches the service's folder; on a change, compiles again. Good code replaces the running
 * server; code with errors prints its diagnostics and leaves the last good server running.
 * Changes that arrive during a reload are coalesced into one more reload after it.
 */
export function watchForReload(args: ServiceArgs, server: ServerProcess, outDir: string): ReloadWatcher {
  const serviceDir = path.dirname(path.resolve(args.service));
  const watcher = chokidar.watch(serviceDir, {
    ignored: (file) => /[\\/](node_modules|\.bentoc|\.git)([\\/]|$)/.test(file),
    ignoreInitial: true,
  });
  const color = !!process.stderr.isTTY && !process.env.NO_COLOR;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let running: Promise<void> | undefined;
  let again = false;

  const reload = async () => {
    const started = Date.now();
    const result = compileService(args.service, args.entry ? { service: args.entry } : {});
    if (closed) return;
    if (result.diagnostics.length > 0) process.stderr.write(formatDiagnostics(result.diagnostics, { color, cwd: process.cwd() }));
    if (!result.manifest) {
      process.stderr.write("bentoc: the change does not compile; the last good server keeps running\n");
      return;
    }
    let bundle: string;
    try {
      bundle = await bundleServer(result.manifest, args.service, outDir);
    } catch (error) {
      process.stderr.write(`bentoc: reload failed: ${(error as Error).message}; the last good server keeps running\n`);
      return;
    }
    if (closed) return;
    await server.stop("SIGTERM", RELOAD_STOP_GRACE_MS);
    if (closed) return;
    server.start(bundle);
    process.stderr.write(`bentoc: reloaded in ${Date.now() - started} ms\n`);
  };

  const schedule = () => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        // A failed reload must not end the watching (nor become an unhandled rejection).
        await reload().catch((error: unknown) => process.stderr.write(`bentoc: reload failed: ${(error as Error).message}\n`));
      } while (again && !closed);
    })().finally(() => (running = undefined));
  };

  watcher.on("all", (_event, file) => {
    if (!/\.(m|c)?tsx?$|\.json$|(^|[\\/])\.env$/.test(file)) return;
    clearTimeout(timer);
    timer = setTimeout(schedule, DEBOUNCE_MS);
  });
  watcher.on("ready", () => process.stderr.write(`bentoc: watching ${path.relative(process.cwd(), serviceDir) || "."} for changes\n`));
  watcher.on("error", (error) => process.stderr.write(`bentoc: watching ${serviceDir} failed: ${(error as Error).message}\n`));

  return {
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
      await running;
    },
  };
}

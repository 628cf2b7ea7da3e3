import path from "node:path";
import chokidar from "chokidar";
import { compileService } from "../../compiler/index.js";
import { bundleServer } from "../bundle.js";
import { formatDiagnostics } from "../code-frame.js";
import type { ServiceArgs } from "../compile-step.js";
import type { ServerProcess } from "./server-process.js";

const DEBOUNCE_MS = 50;

/**
 * Watches the service's folder; on a change, compiles again. Good code replaces the running
 * server; code with errors prints its diagnostics and leaves the last good server running.
 */
export function watchForReload(args: ServiceArgs, server: ServerProcess, outDir: string): { done: Promise<number> } {
  const serviceDir = path.dirname(path.resolve(args.service));
  const watcher = chokidar.watch(serviceDir, {
    ignored: (file) => file.includes("/node_modules/") || file.includes("/.bentoc/") || file.includes("/.git/"),
    ignoreInitial: true,
  });
  let timer: NodeJS.Timeout | undefined;
  let reloading = Promise.resolve();
  const reload = async () => {
    const started = Date.now();
    const result = compileService(args.service, args.entry ? { service: args.entry } : {});
    if (!result.manifest) {
      process.stderr.write(formatDiagnostics(result.diagnostics, { color: !!process.stderr.isTTY, cwd: process.cwd() }));
      process.stderr.write("bentoc: the change does not compile; the last good server keeps running\n");
      return;
    }
    try {
      const bundle = await bundleServer(result.manifest, args.service, outDir);
      await server.stop();
      server.start(bundle);
      process.stderr.write(`bentoc: reloaded in ${Date.now() - started} ms\n`);
    } catch (error) {
      process.stderr.write(`bentoc: reload failed: ${(error as Error).message}; the last good server keeps running\n`);
    }
  };
  watcher.on("all", (_event, file) => {
    if (!/\.(m|c)?tsx?$|\.json$|\.env$/.test(file)) return;
    clearTimeout(timer);
    timer = setTimeout(() => (reloading = reloading.then(reload)), DEBOUNCE_MS);
  });
  const done = new Promise<number>((resolve) => {
    const finish = async () => {
      await watcher.close();
      resolve(await server.stop());
    };
    process.once("SIGTERM", finish);
    process.once("SIGINT", finish);
  });
  return { done };
}

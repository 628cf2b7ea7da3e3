import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import chokidar from "chokidar";
import { compileService } from "../../compiler/index.js";
import { bundleServerWithInputs } from "../bundle.js";
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
 * Watches the service's folder, and the files bundled into the server from elsewhere (a module
 * in a sibling folder, say); on a change, compiles again. Good code replaces the running
 * server; code with errors prints its diagnostics and leaves the last good server running.
 * Changes that arrive during a reload are coalesced into one more reload after it.
 */
export function watchForReload(args: ServiceArgs, server: ServerProcess, outDir: string, first: { inputs: string[]; creationTime: string }): ReloadWatcher {
  const serviceDir = path.dirname(path.resolve(args.service));
  const watched = new Set<string>();
  const outside = (files: string[]) => files.filter((file) => !watched.has(file) && !file.startsWith(serviceDir + path.sep) && !/[\\/]node_modules[\\/]/.test(file));
  const elsewhere = outside(first.inputs);
  for (const file of elsewhere) watched.add(file);
  const watcher = chokidar.watch([serviceDir, ...elsewhere], {
    ignored: (file) => /[\\/](node_modules|\.bentoc|\.git)([\\/]|$)/.test(file),
    ignoreInitial: true,
  });
  const color = !!process.stderr.isTTY && !process.env.NO_COLOR;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let running: Promise<void> | undefined;
  let again = false;
  // What the running server was started from; a reload that would start the same is skipped
  // (several saves during one reload, or a save without changes, restart the server once at most).
  let current = fingerprint(outDir, server.env());

  const reload = async () => {
    const started = Date.now();
    // The first compile's creation time (else it follows the newest source's mtime), so a save
    // that changes nothing bundles the same server.
    const result = compileService(args.service, { creationTime: new Date(first.creationTime), ...(args.entry ? { service: args.entry } : {}) });
    if (closed) return;
    if (result.diagnostics.length > 0) process.stderr.write(formatDiagnostics(result.diagnostics, { color, cwd: process.cwd() }));
    if (!result.manifest) {
      process.stderr.write("bentoc: the change does not compile; the last good server keeps running\n");
      return;
    }
    let bundle: string;
    try {
      const bundled = await bundleServerWithInputs(result.manifest, args.service, outDir);
      bundle = bundled.main;
      const added = outside(bundled.inputs);
      if (added.length > 0 && !closed) watcher.add(added);
      for (const file of added) watched.add(file);
    } catch (error) {
      process.stderr.write(`bentoc: reload failed: ${(error as Error).message}; the last good server keeps running\n`);
      return;
    }
    if (closed) return;
    const next = fingerprint(outDir, server.env());
    if (next === current && server.running) {
      process.stderr.write("bentoc: the server is unchanged; it keeps running\n");
      return;
    }
    await server.stop("SIGTERM", RELOAD_STOP_GRACE_MS);
    if (closed) return;
    server.start(bundle);
    current = next;
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
    if (!/\.[mc]?[jt]sx?$|\.json$|(^|[\\/])\.env$/.test(file)) return;
    clearTimeout(timer);
    timer = setTimeout(schedule, DEBOUNCE_MS);
  });
  watcher.on("ready", () => {
    const more = watched.size > 0 ? ` and ${watched.size} file${watched.size === 1 ? "" : "s"} it imports from elsewhere` : "";
    process.stderr.write(`bentoc: watching ${path.relative(process.cwd(), serviceDir) || "."}${more} for changes\n`);
  });
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

/** The bundled server (code and source maps) and the environment it starts with. */
function fingerprint(outDir: string, env: NodeJS.ProcessEnv): string {
  const hash = createHash("sha256");
  for (const file of fs.readdirSync(outDir).filter((name) => /\.mjs(\.map)?$/.test(name)).sort()) {
    hash.update(`${file}\0`).update(fs.readFileSync(path.join(outDir, file))).update("\0");
  }
  const sorted = Object.keys(env).sort().map((key) => [key, env[key]]);
  return hash.update(JSON.stringify(sorted)).digest("hex");
}

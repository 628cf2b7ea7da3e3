import fs from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { bundleServerWithInputs, serveDirectory } from "../bundle.js";
import { compileForCommand, withServiceArgs, type ServiceArgs } from "../compile-step.js";
import { BentoStore } from "../../store/bento-store.js";
import { bentocHome } from "../../store/home.js";
import { parseTag } from "../../store/tag.js";
import { installedBento } from "../build/run-bento.js";
import { CliError } from "../errors.js";
import { notWholeNumber } from "../../runtime/options.js";
import { storeAction } from "../store/store-action.js";
import { ServerProcess } from "../serve/server-process.js";
import { watchForReload } from "../serve/reload.js";
import { startSplit } from "../serve/split.js";
import type { BentoManifest } from "../../manifest/types.js";

interface ServeArgs extends ServiceArgs {
  port?: string;
  host: string;
  reload: boolean;
  split: boolean;
}

const SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP"] as const;

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: "serve <service>",
  describe: "Compile, bundle and run the service's HTTP server, or run a built bento (name:version)",
  builder: (yargs: Argv) =>
    withServiceArgs(yargs, "Print diagnostics as JSON")
      // A string, checked below: yargs would turn `--port abc` into NaN and `--port ''` into 0.
      .option("port", { alias: "p", type: "string", describe: "Port to listen on (0: any free port); default: BENTOC_PORT or PORT from the environment or .env, else 3000" })
      .option("host", { type: "string", default: "127.0.0.1", describe: "Address to listen on (0.0.0.0 for all)" })
      .option("reload", { type: "boolean", default: false, describe: "Restart when the service's source files change" })
      .option("split", { type: "boolean", default: false, describe: "Run each service another depends on in a process of its own, as Kubernetes runs them; calls between them go over HTTP" })
      .example("$0 serve service.ts", "Serve on http://127.0.0.1:3000")
      .example("$0 serve service.ts --port 8080 --reload", "Develop with automatic restarts")
      .example("$0 serve quickstart:latest", "Serve the newest built quickstart bento")
      .example("$0 serve service.ts --split", "Serve each service depended on in its own process") as Argv<ServeArgs>,
  handler: async (args: ArgumentsCamelCase<ServeArgs>) => {
    // A --port wins; without one, the server reads BENTOC_PORT (or PORT) as a bento in a container does.
    const listen = { BENTOC_HOST: args.host, ...(args.port === undefined ? {} : { BENTOC_PORT: String(parsePort(args.port)) }) };
    const stored = storedBentoNamed(args.service);
    if (stored && args.reload) throw new CliError(`--reload needs a service file; ${args.service} is a stored bento, which does not change`, 2);
    if (args.split && args.reload) throw new CliError("--split and --reload cannot be combined yet: serve with --reload while you change the code, with --split to try the services apart", 2);
    let start: { bundle: string; cwd?: string; manifest: BentoManifest; environment: () => NodeJS.ProcessEnv; watch?: (server: ServerProcess) => ReturnType<typeof watchForReload> };
    if (stored) {
      const bento = await storeAction(() => stored.get(args.service));
      const bundle = installedBento(bento, bentocHome());
      // As in its image (WORKDIR /app/src): files the bento carries are found relative to the bundle's folder.
      start = { bundle, cwd: path.dirname(bundle), manifest: bento.manifest, environment: () => ({ ...process.env, ...listen }) };
    } else {
      const compiled = compileForCommand(args);
      if (!compiled) return;
      const outDir = serveDirectory(args.service);
      const { main: bundle, inputs } = await bundleServerWithInputs(compiled.manifest, args.service, outDir);
      start = {
        bundle,
        manifest: compiled.manifest,
        environment: () => ({ ...environmentBeside(args.service), ...listen }),
        watch: (server) => watchForReload(args, server, outDir, { inputs, creationTime: compiled.manifest.creationTime }),
      };
    }
    if (args.split) {
      process.exitCode = await serveSplit(start.manifest, start.bundle, start.cwd, start.environment);
      return;
    }
    const server = new ServerProcess(start.environment, (code) => {
      if (args.reload) process.stderr.write(`bentoc: the server exited with code ${code}; save a change to start it again\n`);
    });
    server.start(start.bundle, start.cwd);
    const watcher = args.reload ? start.watch?.(server) : undefined;
    // One place handles the signals: stop watching (and any reload under way), then stop the
    // server gracefully with one signal. A second signal kills the server at once.
    const stopped = new Promise<number>((resolve) => {
      let received = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        if (++received > 1) return server.kill();
        void (async () => {
          await watcher?.close();
          const wasRunning = server.running;
          const code = await server.stop(signal === "SIGHUP" ? "SIGTERM" : signal);
          resolve(wasRunning || !args.reload ? code : 0);
        })();
      };
      for (const signal of SIGNALS) process.on(signal, onSignal);
    });
    // Without --reload, the server ending (a signal or a crash) ends `bentoc serve` with its code.
    process.exitCode = await (args.reload ? stopped : server.exited());
  },
};

/**
 * Runs the split servers until a signal (the first stops them all gracefully, a second kills
 * them) or until one of them exits, which stops the others: the exit code is that one's.
 */
async function serveSplit(manifest: BentoManifest, bundle: string, cwd: string | undefined, environment: () => NodeJS.ProcessEnv): Promise<number> {
  const split = await startSplit(manifest, bundle, cwd, environment);
  let received = 0;
  const stopped = new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (++received > 1) return split.kill();
      void split.stop(signal === "SIGHUP" ? "SIGTERM" : signal).then(resolve);
    };
    for (const signal of SIGNALS) process.on(signal, onSignal);
  });
  const ended = await Promise.race([stopped, split.firstExit.then((code) => ({ code }))]);
  if (typeof ended === "number") return ended;
  process.stderr.write(`bentoc: a server of the split bento exited with code ${ended.code}; stopping the others\n`);
  await split.stop("SIGTERM");
  return ended.code === 0 ? 1 : ended.code;
}

/** The bento store when the argument is no file but reads as a bento tag (`name`, `name:version`); else undefined. */
function storedBentoNamed(argument: string): BentoStore | undefined {
  if (fs.existsSync(argument) || /\.(c|m)?tsx?$/.test(argument)) return undefined;
  try {
    parseTag(argument);
  } catch {
    return undefined;
  }
  return new BentoStore();
}

function parsePort(value: string | number | undefined): number {
  const text = String(value ?? "");
  const problem = notWholeNumber("--port", text, 0, 65535);
  if (problem) throw new CliError(problem, 2);
  return Number(text);
}

/** The process environment over the service's `.env` file (if any): variables already set win. */
export function environmentBeside(serviceFile: string): NodeJS.ProcessEnv {
  const file = path.join(path.dirname(path.resolve(serviceFile)), ".env");
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { ...process.env };
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  return { ...parseEnv(text), ...process.env };
}

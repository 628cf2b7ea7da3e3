import fs from "node:fs";
import path from "node:path";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { bundleServer, serveDirectory } from "../bundle.js";
import { compileForCommand, withServiceArgs, type ServiceArgs } from "../compile-step.js";
import { CliError } from "../errors.js";
import { ServerProcess } from "../serve/server-process.js";
import { watchForReload } from "../serve/reload.js";

interface ServeArgs extends ServiceArgs {
  port: number;
  host: string;
  reload: boolean;
}

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: "serve <service>",
  describe: "Compile, bundle and run the service's HTTP server",
  builder: (yargs: Argv) =>
    withServiceArgs(yargs, "Print diagnostics as JSON")
      .option("port", { alias: "p", type: "number", default: 3000, describe: "Port to listen on" })
      .option("host", { type: "string", default: "127.0.0.1", describe: "Address to listen on (0.0.0.0 for all)" })
      .option("reload", { type: "boolean", default: false, describe: "Restart when the service's source files change" })
      .example("$0 serve service.ts", "Serve on http://127.0.0.1:3000")
      .example("$0 serve service.ts --port 8080 --reload", "Develop with automatic restarts") as Argv<ServeArgs>,
  handler: async (args: ArgumentsCamelCase<ServeArgs>) => {
    if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new CliError(`--port must be a number from 0 to 65535; got ${args.port}`, 2);
    const compiled = compileForCommand(args);
    if (!compiled) return;
    const outDir = serveDirectory(args.service);
    const bundle = await bundleServer(compiled.manifest, args.service, outDir);
    const server = new ServerProcess({ ...environmentBeside(args.service), BENTOC_PORT: String(args.port), BENTOC_HOST: args.host });
    server.start(bundle);
    const forward = (signal: NodeJS.Signals) => void server.stop(signal);
    process.once("SIGTERM", forward);
    process.once("SIGINT", forward);
    if (!args.reload) {
      process.exitCode = await server.exited();
      return;
    }
    const watcher = watchForReload(args, server, outDir);
    process.exitCode = await watcher.done;
  },
};

/** The process environment with the service's `.env` file (if any) underneath it. */
export function environmentBeside(serviceFile: string): NodeJS.ProcessEnv {
  const file = path.join(path.dirname(path.resolve(serviceFile)), ".env");
  if (!fs.existsSync(file)) return { ...process.env };
  const saved = { ...process.env };
  try {
    process.loadEnvFile(file);
    return { ...process.env, ...saved };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  }
}

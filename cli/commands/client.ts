import path from "node:path";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { generateClient } from "../../generators/client/index.js";
import { compileForCommand, withServiceArgs, type ServiceArgs } from "../compile-step.js";
import { displayPath, writeFilesAtomically } from "../write-files.js";

interface ClientArgs extends ServiceArgs {
  out: string;
}

export const clientCommand: CommandModule<object, ClientArgs> = {
  command: "client <service>",
  describe: "Generate the service's typed TypeScript client (browsers and Node, no dependencies)",
  builder: (yargs: Argv) =>
    withServiceArgs(yargs, "Print diagnostics and written files as JSON")
      .option("out", { alias: "o", type: "string", default: "client", describe: "Output directory" })
      .example("$0 client service.ts -o src/api", "Write src/api/client.ts and its runtime/") as Argv<ClientArgs>,
  handler: (args: ArgumentsCamelCase<ClientArgs>) => {
    const compiled = compileForCommand(args);
    if (!compiled) return;
    const { manifest, diagnostics } = compiled;
    const written = writeFilesAtomically(args.out, generateClient(manifest));
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ ok: true, diagnostics, written }, null, 2)}\n`);
      return;
    }
    const entry = displayPath(path.resolve(args.out, "client.ts"));
    const classes = manifest.services.map((service) => service.name).join(", ");
    process.stdout.write(`Generated the client of ${classes} → ${entry} (and ${written.length - 1} runtime files beside it)\n`);
  },
};

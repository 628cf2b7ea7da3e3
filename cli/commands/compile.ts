import path from "node:path";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { generateClient } from "../../generators/client/index.js";
import { generateOpenApi } from "../../generators/openapi/index.js";
import { writeBentoYaml } from "../../manifest/bento-yaml.js";
import { compileForCommand, withServiceArgs, type ServiceArgs } from "../compile-step.js";
import { displayPath, writeFilesAtomically } from "../write-files.js";

interface CompileArgs extends ServiceArgs {
  out: string;
}

export const compileCommand: CommandModule<object, CompileArgs> = {
  command: "compile <service>",
  describe: "Compile a service file into bento.yaml, openapi.json and the typed client (client/)",
  builder: (yargs: Argv) =>
    withServiceArgs(yargs, "Print diagnostics and written files as JSON")
      .option("out", { alias: "o", type: "string", default: "out", describe: "Output directory" })
      .example("$0 compile service.ts", "Write out/bento.yaml, out/openapi.json and out/client/")
      .example("$0 compile service.ts -o build --json", "Machine-readable diagnostics for CI") as Argv<CompileArgs>,
  handler: (args: ArgumentsCamelCase<CompileArgs>) => {
    const compiled = compileForCommand(args);
    if (!compiled) return;
    const { manifest, diagnostics } = compiled;
    const client = [...generateClient(manifest)].map(([file, text]): [string, string] => [`client/${file}`, text]);
    const files = new Map<string, string>([["bento.yaml", writeBentoYaml(manifest)], ...generateOpenApi(manifest), ...client]);
    const written = writeFilesAtomically(args.out, files);
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ ok: true, diagnostics, written }, null, 2)}\n`);
    } else {
      // The client's runtime files go unnamed: the client is client.ts and the folder beside it.
      const runtimeDir = path.resolve(args.out, "client", "runtime");
      const shown = written.filter((file) => path.dirname(file) !== runtimeDir).map((file) => displayPath(file));
      process.stdout.write(`Compiled ${manifest.entryService} (${manifest.name}:${manifest.version}) → ${shown.join(", ")}\n`);
    }
  },
};

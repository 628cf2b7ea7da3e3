import path from "node:path";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { generateOpenApi } from "../../generators/openapi/index.js";
import { compileForCommand, withServiceArgs, type ServiceArgs } from "../compile-step.js";
import { displayPath, writeFilesAtomically } from "../write-files.js";

interface OpenApiArgs extends ServiceArgs {
  out?: string;
  format: "json" | "yaml";
}

export const openapiCommand: CommandModule<object, OpenApiArgs> = {
  command: "openapi <service>",
  describe: "Print or write the service's OpenAPI 3.1 document",
  builder: (yargs: Argv) =>
    withServiceArgs(yargs, "Print diagnostics as JSON")
      .option("out", { alias: "o", type: "string", describe: "File to write (default: standard output)" })
      .option("format", { choices: ["json", "yaml"] as const, default: "json" as const, describe: "Document format" })
      .example("$0 openapi service.ts > openapi.json", "Print the document")
      .example("$0 openapi service.ts -o api.yaml --format yaml", "Write it as YAML") as Argv<OpenApiArgs>,
  handler: (args: ArgumentsCamelCase<OpenApiArgs>) => {
    const compiled = compileForCommand(args);
    if (!compiled) return;
    const [, document] = [...generateOpenApi(compiled.manifest, { format: args.format })][0]!;
    if (!args.out) {
      process.stdout.write(document);
      return;
    }
    const target = path.resolve(args.out);
    writeFilesAtomically(path.dirname(target), new Map([[path.basename(target), document]]));
    process.stderr.write(`Wrote ${displayPath(target)}\n`);
  },
};

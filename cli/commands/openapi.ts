import path from "node:path";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { generateOpenApi } from "../../generators/openapi/index.js";
import { compileForCommand } from "../compile-step.js";
import { writeFilesAtomically } from "../write-files.js";

interface OpenApiArgs {
  service: string;
  out?: string;
  format: "json" | "yaml";
  json: boolean;
  entry?: string;
}

export const openapiCommand: CommandModule<object, OpenApiArgs> = {
  command: "openapi <service>",
  describe: "Print or write the service's OpenAPI 3.1 document",
  builder: (yargs: Argv) =>
    yargs
      .positional("service", { type: "string", demandOption: true, describe: "The service's .ts file" })
      .option("out", { alias: "o", type: "string", describe: "File to write (default: standard output)" })
      .option("format", { choices: ["json", "yaml"] as const, default: "json" as const, describe: "Document format" })
      .option("json", { type: "boolean", default: false, describe: "Print diagnostics as JSON" })
      .option("entry", { type: "string", describe: "Entry service (class or service name) when the file has several" })
      .example("$0 openapi service.ts > openapi.json", "Print the document")
      .example("$0 openapi service.ts -o api.yaml --format yaml", "Write it as YAML") as Argv<OpenApiArgs>,
  handler: (args: ArgumentsCamelCase<OpenApiArgs>) => {
    const { manifest, diagnostics } = compileForCommand(args.service, { json: args.json, service: args.entry });
    if (!manifest) {
      if (args.json) process.stdout.write(`${JSON.stringify({ ok: false, diagnostics }, null, 2)}\n`);
      process.exitCode = 1;
      return;
    }
    const [, document] = [...generateOpenApi(manifest, { format: args.format })][0]!;
    if (!args.out) {
      process.stdout.write(document);
      return;
    }
    const target = path.resolve(args.out);
    writeFilesAtomically(path.dirname(target), new Map([[path.basename(target), document]]));
    process.stderr.write(`Wrote ${path.relative(process.cwd(), target)}\n`);
  },
};

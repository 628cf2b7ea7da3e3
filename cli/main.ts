import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { bentocVersion } from "../compiler/bentoc-version.js";
import { bentoCommands } from "./commands/bentos.js";
import { buildCommands } from "./commands/build.js";
import { clientCommand } from "./commands/client.js";
import { compileCommand } from "./commands/compile.js";
import { modelCommands } from "./commands/models.js";
import { openapiCommand } from "./commands/openapi.js";
import { serveCommand } from "./commands/serve.js";
import { CliError } from "./errors.js";

/** Runs the CLI; user mistakes print one line, never a stack trace. */
export async function main(argv: string[] = hideBin(process.argv)): Promise<void> {
  try {
    await yargs(argv)
      .scriptName("bentoc")
      .usage("$0 <command> [options]\n\nTurn a TypeScript service file into a production model server.")
      .command(compileCommand)
      .command(clientCommand)
      .command(openapiCommand)
      .command(serveCommand)
      .command(buildCommands)
      .command(bentoCommands)
      .command(modelCommands)
      .demandCommand(1, "Name a command, e.g. `bentoc compile service.ts`.")
      .recommendCommands()
      .strict()
      .help()
      .alias("h", "help")
      .version(bentocVersion())
      .example("$0 compile examples/hello/service.ts -o out", "Compile a service")
      .epilogue("Docs: README.md and docs/architecture.md")
      .fail((message, error) => {
        if (error) throw error;
        throw new CliError(`${message}\nRun 'bentoc --help' for usage.`, 2);
      })
      .parseAsync();
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`bentoc: error: ${error.message}\n`);
      process.exitCode = error.exitCode;
      return;
    }
    const detail = process.env.BENTOC_DEBUG ? (error as Error).stack : (error as Error).message;
    process.stderr.write(`bentoc: internal error: ${detail}\nThis is a bug in bentoc; please report it (set BENTOC_DEBUG=1 for details).\n`);
    process.exitCode = 70;
  }
}

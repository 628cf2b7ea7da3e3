import path from "node:path";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { ModelStore, type StoredModel } from "../../store/model-store.js";
import { CliError } from "../errors.js";
import { entryCommands } from "../store/entry-commands.js";
import { parseKeyValues } from "../store/labels.js";
import { pullCommand } from "../store/pull-command.js";
import { formatSize, storeAction } from "../store/store-action.js";

const commands = entryCommands<StoredModel>({
  kind: "model",
  prefix: "bentoc models",
  open: () => new ModelStore(),
  summary: modelSummary,
  json: (model) => ({ tag: model.tag, dir: model.dir, path: model.path, ...model.info }),
});

interface ImportArgs {
  path: string;
  name?: string;
  version?: string;
  label?: string[];
  metadata?: string[];
}

const ARCHIVE = /\.(tar\.gz|tgz)$/i;

/** Files with `--name`; an archive from `models export` without. */
const importCommand: CommandModule<object, ImportArgs> = {
  command: "import <path>",
  describe: "Add a model: a directory or file with --name, or an archive made by `bentoc models export`",
  builder: (yargs: Argv) => yargs
    .version(false) // --version here is the model's version, not bentoc's
    .positional("path", { type: "string", demandOption: true, describe: "Directory or file of the model, or a .tar.gz from `models export`" })
    .option("name", { type: "string", describe: "Model name (required for a directory or file)" })
    .option("version", { type: "string", describe: "Version (default: content hash of the files)" })
    .option("label", { type: "string", array: true, describe: "key=value label (repeatable)" })
    .option("metadata", { type: "string", array: true, describe: "key=value metadata (repeatable)" })
    .example("$0 models import ./iris --name iris --label stage=dev", "Store ./iris as iris:<content hash>")
    .example("$0 models import iris-abc.tar.gz", "Import an exported model") as Argv<ImportArgs>,
  handler: (args: ArgumentsCamelCase<ImportArgs>) => storeAction(async () => {
    const store = new ModelStore();
    const source = path.resolve(args.path);
    if (args.name === undefined) {
      if (!ARCHIVE.test(source)) {
        throw new CliError(`Name the model: \`bentoc models import ${args.path} --name <name>\` (only a .tar.gz from \`bentoc models export\` needs no name)`);
      }
      if (args.version !== undefined || args.label?.length || args.metadata?.length) {
        throw new CliError("An exported model keeps its own version, labels and metadata; --version, --label and --metadata go with --name");
      }
      const model = await store.importFrom(source);
      process.stdout.write(`Imported model ${model.tag}\n`);
      return;
    }
    const model = store.importDirectory(source, {
      name: args.name,
      version: args.version,
      labels: parseKeyValues(args.label, "label"),
      metadata: parseKeyValues(args.metadata, "metadata"),
    });
    process.stdout.write(`Stored model ${model.tag} (${model.info.files.length} files, ${formatSize(model.sizeBytes)})\n`);
  }),
};

const subcommands = [commands.list, commands.get, commands.delete, commands.export, importCommand, pullCommand];

/** `bentoc models …`: the model store. */
export const modelCommands: CommandModule<object, any>[] = [{
  command: "models",
  describe: "Manage the model store (import, pull, list, get, delete, export)",
  builder: (yargs: Argv) => {
    for (const subcommand of subcommands) yargs.command(subcommand as CommandModule<object, any>);
    return yargs.demandCommand(1, "Name a models command, e.g. `bentoc models list`.");
  },
  handler: () => {},
}];

function modelSummary(model: StoredModel): string {
  const { info } = model;
  const lines = [
    model.tag,
    `  path:     ${model.path}`,
    `  size:     ${formatSize(info.sizeBytes)}`,
    `  created:  ${info.creationTime}`,
  ];
  const labels = Object.entries(info.labels);
  if (labels.length > 0) lines.push(`  labels:   ${labels.map(([key, value]) => `${key}=${value}`).join(", ")}`);
  const metadata = Object.entries(info.metadata);
  if (metadata.length > 0) lines.push(`  metadata: ${metadata.map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`).join(", ")}`);
  lines.push(`  files:`);
  for (const file of info.files) lines.push(`    ${file.path}  ${formatSize(file.sizeBytes)}  sha256:${file.sha256}`);
  return `${lines.join("\n")}\n`;
}

import path from "node:path";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import type { EntryStore } from "../../store/entry-store.js";
import type { StoredEntry } from "../../store/versioned-dirs.js";
import { displayPath } from "../write-files.js";
import { confirmDelete, formatSize, formatTable, storeAction } from "./store-action.js";

/** A store the list/get/delete/export/import commands work on. */
type ImportingStore<E extends StoredEntry> = EntryStore<E> & { importFrom(file: string): Promise<E> };

export interface EntryCommandsOptions<E extends StoredEntry & { sizeBytes: number }> {
  /** "bento" or "model". */
  kind: string;
  /** The command prefix users type: "bentoc" or "bentoc models". */
  prefix: string;
  open(): ImportingStore<E>;
  /** The human summary `get` prints. */
  summary(entry: E): string;
  /** The object `get --json` and `list --json` print. */
  json(entry: E): unknown;
}

interface NameArgs { name?: string; json: boolean }
interface TagArgs { tag: string; json: boolean }
interface DeleteArgs { tag: string; yes: boolean }
interface ExportArgs { tag: string; file?: string }
interface ImportArgs { file: string }

/** `list`, `get`, `delete`, `export` and `import` for one store; bentos and models share them. */
export function entryCommands<E extends StoredEntry & { sizeBytes: number }>(options: EntryCommandsOptions<E>): {
  list: CommandModule<object, NameArgs>;
  get: CommandModule<object, TagArgs>;
  delete: CommandModule<object, DeleteArgs>;
  export: CommandModule<object, ExportArgs>;
  import: CommandModule<object, ImportArgs>;
} {
  const { kind, prefix } = options;
  const out = (text: string): void => {
    process.stdout.write(text);
  };
  return {
    list: {
      command: "list [name]",
      describe: `List the stored ${kind}s (every version of [name] when given)`,
      builder: (yargs: Argv) => yargs
        .positional("name", { type: "string", describe: `Only this ${kind}` })
        .option("json", { type: "boolean", default: false, describe: "Print JSON" }) as Argv<NameArgs>,
      handler: (args: ArgumentsCamelCase<NameArgs>) => storeAction(() => {
        const entries = options.open().list(args.name);
        if (args.json) return out(`${JSON.stringify(entries.map(options.json), null, 2)}\n`);
        if (entries.length === 0) return out(`No ${kind}s stored yet.\n`);
        out(formatTable(["TAG", "SIZE", "CREATED"], entries.map((entry) => [entry.tag, formatSize(entry.sizeBytes), entry.creationTime])));
      }),
    },
    get: {
      command: "get <tag>",
      describe: `Show a stored ${kind} (name, name:latest or name:version)`,
      builder: (yargs: Argv) => yargs
        .positional("tag", { type: "string", demandOption: true })
        .option("json", { type: "boolean", default: false, describe: "Print JSON" }) as Argv<TagArgs>,
      handler: (args: ArgumentsCamelCase<TagArgs>) => storeAction(() => {
        const entry = options.open().get(args.tag);
        out(args.json ? `${JSON.stringify(options.json(entry), null, 2)}\n` : options.summary(entry));
      }),
    },
    delete: {
      command: "delete <tag>",
      describe: `Delete a stored ${kind}`,
      builder: (yargs: Argv) => yargs
        .positional("tag", { type: "string", demandOption: true })
        .option("yes", { alias: "y", type: "boolean", default: false, describe: "Do not ask for confirmation" }) as Argv<DeleteArgs>,
      handler: (args: ArgumentsCamelCase<DeleteArgs>) => storeAction(async () => {
        const store = options.open();
        const entry = store.get(args.tag);
        if (!(await confirmDelete(entry.tag, args.yes))) return out("Nothing deleted.\n");
        store.delete(entry.tag);
        out(`Deleted ${kind} ${entry.tag}\n`);
      }),
    },
    export: {
      command: "export <tag> [file]",
      describe: `Write a stored ${kind} to a .tar.gz archive`,
      builder: (yargs: Argv) => yargs
        .positional("tag", { type: "string", demandOption: true })
        .positional("file", { type: "string", describe: "Archive to write (default: <name>-<version>.tar.gz)" }) as Argv<ExportArgs>,
      handler: (args: ArgumentsCamelCase<ExportArgs>) => storeAction(() => {
        const store = options.open();
        const entry = store.get(args.tag);
        const file = path.resolve(args.file ?? `${entry.name}-${entry.version}.tar.gz`);
        store.exportTo(entry.tag, file);
        out(`Exported ${kind} ${entry.tag} → ${displayPath(file)}\n`);
      }),
    },
    import: {
      command: "import <file>",
      describe: `Import a ${kind} archive made by \`${prefix} export\``,
      builder: (yargs: Argv) => yargs.positional("file", { type: "string", demandOption: true }) as Argv<ImportArgs>,
      handler: (args: ArgumentsCamelCase<ImportArgs>) => storeAction(async () => {
        const entry = await options.open().importFrom(path.resolve(args.file));
        out(`Imported ${kind} ${entry.tag}\n`);
      }),
    },
  };
}

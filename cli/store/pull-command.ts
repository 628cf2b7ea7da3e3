import cliProgress from "cli-progress";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { type PullProgress, pullHuggingFace } from "../../store/huggingface.js";
import { ModelStore } from "../../store/model-store.js";
import { formatSize, storeAction } from "./store-action.js";

interface PullArgs {
  modelId: string;
  revision: string;
  include?: string[];
  exclude?: string[];
  name?: string;
}

export const pullCommand: CommandModule<object, PullArgs> = {
  command: "pull <model-id>",
  describe: "Download a Hugging Face model into the model store (honours HF_ENDPOINT and HF_TOKEN)",
  builder: (yargs: Argv) => yargs
    .positional("model-id", { type: "string", demandOption: true, describe: "Hub model id, e.g. org/name" })
    .option("revision", { type: "string", default: "main", describe: "Branch, tag or commit sha" })
    .option("include", { type: "string", array: true, describe: "Only files matching this glob (repeatable)" })
    .option("exclude", { type: "string", array: true, describe: "Skip files matching this glob (repeatable)" })
    .option("name", { type: "string", describe: "Store name (default: org--name, lower-case)" })
    .example("$0 models pull sentence-transformers/all-MiniLM-L6-v2 --include '*.json' --include 'onnx/*'", "Fetch the tokenizer and ONNX files only") as unknown as Argv<PullArgs>,
  handler: (args: ArgumentsCamelCase<PullArgs>) => storeAction(async () => {
    const progress = progressReporter();
    try {
      const model = await pullHuggingFace(new ModelStore(), {
        modelId: args.modelId,
        revision: args.revision,
        include: args.include,
        exclude: args.exclude,
        name: args.name,
        onProgress: progress.report,
      });
      progress.stop();
      process.stdout.write(`Stored model ${model.tag} (${model.info.files.length} files, ${formatSize(model.sizeBytes)}) from ${args.modelId}@${args.revision}\n`);
    } finally {
      progress.stop();
    }
  }),
};

/** A bar per file on a terminal; one plain line per file elsewhere (CI logs stay readable). */
export function progressReporter(): { report: (event: PullProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) {
    return {
      report: (event) => {
        if (event.received === 0) process.stderr.write(`Downloading ${event.file} (${event.index}/${event.files}${event.size ? `, ${formatSize(event.size)}` : ""})\n`);
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar({
    format: "{file} [{bar}] {percentage}% {done}/{all} ({index}/{files})",
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  let current: string | undefined;
  let stopped = false;
  return {
    report: (event) => {
      const total = event.size ?? Math.max(event.received, 1);
      const payload = { file: event.file, index: event.index, files: event.files, done: formatSize(event.received), all: event.size ? formatSize(event.size) : "?" };
      if (current !== event.file) {
        if (current !== undefined) bar.stop();
        current = event.file;
        bar.start(total, event.received, payload);
      } else {
        bar.setTotal(total);
        bar.update(event.received, payload);
      }
    },
    stop: () => {
      if (!stopped && current !== undefined) bar.stop();
      stopped = true;
    },
  };
}

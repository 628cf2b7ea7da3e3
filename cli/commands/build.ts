import type { CommandModule } from "yargs";

/** `bentoc build` and `bentoc containerize` (issue 7; being written). */
export const buildCommands: CommandModule<object, any>[] = [];

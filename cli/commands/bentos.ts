import type { CommandModule } from "yargs";

/** `bentoc list|get|delete|export|import`: the bento store (issue 7; being written). */
export const bentoCommands: CommandModule<object, any>[] = [];

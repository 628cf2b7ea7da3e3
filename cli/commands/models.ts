import type { CommandModule } from "yargs";

/** `bentoc models …`: the model store (issue 7; being written). */
export const modelCommands: CommandModule<object, any>[] = [];

import { Cmd, Copy, DockerfileParser, Entrypoint, Env, Healthcheck, Run, type Instruction, type Property } from "dockerfile-ast";

type Range = NonNullable<ReturnType<Property["getValueRange"]>>;

/** One `FROM … AS name` stage of a Dockerfile and the instructions under it, as dockerfile-ast parsed them. */
export interface DockerStage {
  name: string | null;
  image: string | null;
  instructions: Instruction[];
}

/** A Dockerfile read with a real parser: its stages, and the final stage's ENV and CMD as a container gets them. */
export interface DockerfileParts {
  stages: DockerStage[];
  final: DockerStage;
  /** ENV of the final stage, unescaped as Docker would set them. */
  env: Record<string, string>;
  /** The final stage's exec-form ENTRYPOINT (empty when there is none, or it is in shell form). */
  entrypoint: string[];
  /** The final stage's exec-form CMD. */
  command: string[];
  keywords(stage: DockerStage): string[];
  /** The images a stage is built on, itself first: stage names followed back to an image from a registry. */
  baseChain(stage: DockerStage): string[];
}

export function parseDockerfile(text: string): DockerfileParts {
  const dockerfile = DockerfileParser.parse(text);
  const stages: DockerStage[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    if (instruction.getKeyword() === "FROM") {
      const from = dockerfile.getFROMs().find((candidate) => candidate.getRange().start.line === instruction.getRange().start.line)!;
      stages.push({ name: from.getBuildStage(), image: from.getImage(), instructions: [] });
    } else {
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  const final = stages.at(-1)!;
  const env: Record<string, string> = {};
  for (const instruction of final.instructions) {
    if (instruction instanceof Env) for (const property of instruction.getProperties()) env[property.getName()] = dockerWord(textOf(text, property.getValueRange()));
  }
  const cmd = final.instructions.filter((instruction) => instruction instanceof Cmd).at(-1) as Cmd | undefined;
  const entrypoint = final.instructions.filter((instruction) => instruction instanceof Entrypoint).at(-1) as Entrypoint | undefined;
  const execForm = (instruction: Cmd | Entrypoint | undefined) => instruction?.getJSONStrings().map((argument) => argument.getJSONValue()) ?? [];
  const baseChain = (stage: DockerStage): string[] => {
    const parent = stages.slice(0, stages.indexOf(stage)).find((candidate) => candidate.name === stage.image);
    return [stage.image ?? "", ...(parent ? baseChain(parent) : [])];
  };
  return {
    stages,
    final,
    env,
    entrypoint: execForm(entrypoint),
    command: execForm(cmd),
    keywords: (stage) => stage.instructions.map((instruction) => instruction.getKeyword()),
    baseChain,
  };
}

/** `COPY` instructions as `--flag=value … source … target`, flags first as written. */
export function copyInstructions(stage: DockerStage): string[] {
  return stage.instructions
    .filter((instruction): instruction is Copy => instruction instanceof Copy)
    .map((copy) => [...copy.getFlags().map((flag) => `--${flag.getName()}=${flag.getValue()}`), ...copy.getArguments().map((argument) => argument.getValue())].join(" "));
}

export function runInstructions(stage: DockerStage): Run[] {
  return stage.instructions.filter((instruction): instruction is Run => instruction instanceof Run);
}

export function healthcheckOf(stage: DockerStage): Healthcheck | undefined {
  return stage.instructions.find((instruction): instruction is Healthcheck => instruction instanceof Healthcheck);
}

function textOf(text: string, range: Range | null): string {
  if (!range) return "";
  const lines = text.split("\n");
  const offset = (position: Range["start"]) => lines.slice(0, position.line).reduce((sum, line) => sum + line.length + 1, 0) + position.character;
  return text.slice(offset(range.start), offset(range.end));
}

/**
 * A word as Docker's shell lexer reads it (moby/buildkit frontend/dockerfile/shell): quotes
 * removed, `\\` escapes; inside double quotes only `"`, `$` and `\\` are escaped. An unescaped `$`
 * would be expanded by Docker, which no value of ours may allow, so it is an error here.
 */
export function dockerWord(raw: string): string {
  let out = "";
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const character = raw[i]!;
    if (quote === "'") {
      if (character === "'") quote = undefined;
      else out += character;
    } else if (character === "\\") {
      const next = raw[++i] ?? "";
      out += quote === '"' && !['"', "$", "\\"].includes(next) ? `\\${next}` : next;
    } else if (character === "$") {
      throw new Error(`unescaped '$' in ${raw}: Docker would expand it`);
    } else if (character === '"' || (character === "'" && quote === undefined)) {
      quote = quote === character ? undefined : character;
    } else {
      out += character;
    }
  }
  return out;
}

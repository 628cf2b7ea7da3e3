import fs from "node:fs";
import path from "node:path";
import { BentoStore, type StoredBento } from "../../store/bento-store.js";
import { ensureRuntimeBuilt } from "../support/bento-server.js";
import { REPO_ROOT, runCli, tempDir, type CliRun } from "../support/run-cli.js";

/** A small service with a JSON API and a task (whose store is LMDB, a native package). */
export const GREETER = `import { api, service, task } from "bentoc";

/** Greets people. */
@service({ traffic: { timeout: 10 } })
export class Greeter {
  @api()
  async greet(name: string): Promise<string> {
    return \`Hello, \${name}!\`;
  }

  @task()
  async double(n: number): Promise<number> {
    return n * 2;
  }
}
`;

/** The greeter with its greeting word in a stored model (`greetings`, file `word.txt`). */
export const MODEL_GREETER = `import fs from "node:fs";
import path from "node:path";
import { api, model, service } from "bentoc";

@service({ traffic: { timeout: 10 } })
export class Greeter {
  greetings = model("greetings:latest");

  @api()
  async greet(name: string): Promise<string> {
    const word = fs.readFileSync(path.join(this.greetings.path, "word.txt"), "utf8").trim();
    return \`\${word}, \${name}!\`;
  }
}
`;

/**
 * A project folder inside the repository (so `bentoc` and the repository's lockfile are found
 * as in a user's project) and an empty bento store in a temp folder; `build` runs the real CLI.
 */
export class BuildProject {
  readonly dir = fs.mkdtempSync(path.join(REPO_ROOT, ".bentoc-tmp-build-"));
  readonly home = tempDir("build-home");
  readonly store = new BentoStore(this.home);

  static async create(files: Record<string, string> = { "service.ts": GREETER }): Promise<BuildProject> {
    await ensureRuntimeBuilt();
    const project = new BuildProject();
    for (const [name, text] of Object.entries(files)) project.write(name, text);
    return project;
  }

  /** Stores a model named `name` holding the given files, through the real CLI. */
  importModel(name: string, files: Record<string, string>): void {
    const source = path.join(this.home, `model-source-${name}`);
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(source, file)), { recursive: true });
      fs.writeFileSync(path.join(source, file), text);
    }
    const run = this.bentoc("models", "import", source, "--name", name);
    if (run.status !== 0) throw new Error(`bentoc models import failed:\n${run.stderr}`);
  }

  write(name: string, text: string): void {
    fs.mkdirSync(path.dirname(path.join(this.dir, name)), { recursive: true });
    fs.writeFileSync(path.join(this.dir, name), text);
  }

  bentoc(...args: string[]): CliRun {
    return this.bentocWith({}, ...args);
  }

  /** The CLI with more environment variables (PATH, say). */
  bentocWith(env: NodeJS.ProcessEnv, ...args: string[]): CliRun {
    return runCli(args, { cwd: this.dir, env: { BENTOC_HOME: this.home, SOURCE_DATE_EPOCH: "", ...env } });
  }

  /** Builds and returns the stored bento, failing with the CLI's output when the build fails. */
  build(target = "service.ts"): StoredBento {
    const run = this.bentoc("build", target, "--json");
    if (run.status !== 0) throw new Error(`bentoc build failed (${run.status}):\n${run.stderr}`);
    return this.store.get(JSON.parse(run.stdout).tag);
  }

  /** Everything under the store's bentos folder, hidden staging folders included. */
  storeEntries(): string[] {
    const root = path.join(this.home, "bentos");
    return fs.existsSync(root) ? fs.readdirSync(root, { recursive: true }).map(String) : [];
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

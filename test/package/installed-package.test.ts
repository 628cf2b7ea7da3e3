import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson } from "../support/bento-server.js";
import { startLikeImage } from "../support/image-on-host.js";
import { REPO_ROOT, tempDir } from "../support/run-cli.js";
import { packBentoc, type ServeRun, UserProject } from "./user-project.js";

// bentoc as users get it: packed as npm would publish it, installed into a project of their own
// (outside this repository, with its own lockfile), and every command run from there.

const SETUP_TIMEOUT_MS = 300_000;
const STEP_TIMEOUT_MS = 240_000;

/** The tsconfig.json the README tells users to write (its first ```json block with compilerOptions). */
function readmeTsconfig(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
  const block = [...readme.matchAll(/```json\n([\s\S]*?)```/g)].map((match) => match[1]!).find((text) => text.includes("compilerOptions"));
  if (!block) throw new Error("the README shows no tsconfig.json");
  return block;
}

const SERVICE_FILES = {
  "words.ts": `export const POSITIVE = ["good", "great", "love"];\nexport const NEGATIVE = ["bad", "awful", "hate"];\n`,
  "service.ts": `import { api, service, task } from "bentoc";
import { NEGATIVE, POSITIVE } from "./words.js";

export interface Review {
  text: string;
  /** @minimum 1 @maximum 5 */
  stars?: number;
}

export interface Verdict {
  label: "positive" | "negative" | "neutral";
  lang: "en" | "fr";
}

/** Reviews, served from a project that installed bentoc from npm. */
@service({ traffic: { timeout: 10 } })
export class Reviews {
  @api()
  async classify(review: Review, lang: "en" | "fr" = "en"): Promise<Verdict> {
    const words = review.text.toLowerCase().split(/\\W+/);
    const balance = words.filter((word) => POSITIVE.includes(word)).length - words.filter((word) => NEGATIVE.includes(word)).length;
    return { label: balance > 0 ? "positive" : balance < 0 ? "negative" : "neutral", lang };
  }

  @task()
  async count(texts: string[]): Promise<number> {
    return texts.length;
  }
}
`,
};

/**
 * A gateway of the user's: it calls a service of its own file's folder (split into a process of
 * its own by `--split`) and the Reviews bento's service through that bento's generated client.
 */
const COMPOSED_FILES = {
  "tokenizer.ts": `import { api, service } from "bentoc";

declare const process: { pid: number }; // the project has no @types/node

@service()
export class Tokenizer {
  @api()
  async count(text: string): Promise<{ words: number; pid: number }> {
    return { words: text.split(/\\s+/).filter(Boolean).length, pid: process.pid };
  }
}
`,
  "front.ts": `import { api, depends, service, type Context } from "bentoc";
import { ReviewsClient } from "./reviews-client/client.js";
import { Tokenizer } from "./tokenizer.js";

declare const process: { pid: number };

@service()
export class Front {
  private readonly tokenizer = depends(Tokenizer);
  private readonly reviews = depends(ReviewsClient);

  @api()
  async summarize(text: string, ctx: Context): Promise<{ words: number; label: string; pids: number[] }> {
    const { words, pid } = await this.tokenizer.count({ text }, { context: ctx });
    const verdict = await this.reviews.classify({ review: { text } }, { context: ctx });
    return { words, label: verdict.label, pids: [process.pid, pid] };
  }
}
`,
};

/** A script of the user's that calls the served API through the generated client. */
function clientCall(url: string): string {
  return `import { ReviewsClient } from "./client/client.js";

const client = new ReviewsClient({ baseUrl: ${JSON.stringify(url)} });
console.log(JSON.stringify(await client.classify({ review: { text: "I love it" }, lang: "fr" })));
`;
}

/** Each parameter is a key of the JSON body: `{"review": {…}, "lang": "fr"}`. */
async function expectClassifies(run: { url: string }): Promise<void> {
  const response = await postJson(`${run.url}/classify`, { review: { text: "awful, just bad", stars: 1 }, lang: "fr" });
  expect(response.status, response.text).toBe(200);
  expect(response.body).toEqual({ label: "negative", lang: "fr" });
  const invalid = await postJson(`${run.url}/classify`, { review: { text: "good", stars: 9 } });
  expect(invalid.status).toBe(400);
}

async function expectStopsCleanly(run: ServeRun): Promise<void> {
  expect(await run.stop(), run.output()).toBe(0);
}

/** The bento `bentoc build` printed, and its folder in the project's store. */
function built(project: UserProject, stdout: string): { tag: string; dir: string } {
  const tag = /^Built (reviews:[a-z0-9]+) → /m.exec(stdout)?.[1];
  expect(tag, stdout).toBeDefined();
  return { tag: tag!, dir: path.join(project.home, "bentos", "reviews", tag!.split(":")[1]!) };
}

let tarball: string;
let packDir: string;
let shipped: string[];

beforeAll(() => {
  packDir = tempDir("pack");
  ({ tarball, files: shipped } = packBentoc(packDir));
}, SETUP_TIMEOUT_MS);

afterAll(() => fs.rmSync(packDir, { recursive: true, force: true }));

describe("the published package", () => {
  it("holds the CLI, its templates and the built code, and no benchmarks, examples, tests or sources", () => {
    expect(shipped).toEqual(expect.arrayContaining(["package.json", "README.md", "bin/bentoc.js", "dist/cli/main.js", "dist/runtime/index.js", "dist/sdk/index.d.ts", "templates/Dockerfile.hbs", "templates/dockerignore.hbs"]));
    const unwanted = shipped.filter((file) => /^(dist\/(bench|examples|test)\/|bench\/|examples\/|fixtures\/|test\/|docs\/|\.ci\/)/.test(file) || /^(cli|compiler|generators|manifest|runtime|sdk|store)\/.*\.ts$/.test(file));
    expect(unwanted).toEqual([]);
  });
});

describe("bentoc installed from its tarball into a fresh project", () => {
  let project: UserProject;

  beforeAll(() => {
    project = UserProject.create("user", ["install", tarball], { ...SERVICE_FILES, "tsconfig.json": readmeTsconfig() });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => project?.remove());

  it("compiles the service: bento.yaml, the OpenAPI document and a typed client", () => {
    const run = project.bentoc(["compile", "service.ts", "-o", "out"]);
    expect(run.status, run.stderr).toBe(0);
    for (const file of ["out/bento.yaml", "out/openapi.json", "out/client/client.ts"]) expect(fs.existsSync(path.join(project.dir, file)), file).toBe(true);
  }, STEP_TIMEOUT_MS);

  it("serves the service; the generated client, type-checked with the README's tsconfig, calls it", async () => {
    const client = project.bentoc(["client", "service.ts", "-o", "client"]);
    expect(client.status, client.stderr).toBe(0);
    const run = await project.serve("service.ts");
    await expectClassifies(run);
    project.write({ "call.ts": clientCall(run.url) });
    const typecheck = project.tool("tsc", ["-p", "."]);
    expect(typecheck.stdout + typecheck.stderr).toBe("");
    const bundle = project.tool("esbuild", ["call.ts", "--bundle", "--platform=node", "--format=esm", "--outfile=call.mjs", "--log-level=error"]);
    expect(bundle.status, bundle.stderr).toBe(0);
    const call = project.tool("node", ["call.mjs"]);
    expect(call.stderr).toBe("");
    expect(JSON.parse(call.stdout)).toEqual({ label: "positive", lang: "fr" });
    await expectStopsCleanly(run);
  }, STEP_TIMEOUT_MS);

  it("serves a gateway --split that depends on a service of its own and on the Reviews bento's, type-checked with the README's tsconfig", async () => {
    const client = project.bentoc(["client", "service.ts", "-o", "reviews-client"]);
    expect(client.status, client.stderr).toBe(0);
    project.write(COMPOSED_FILES);
    const compile = project.bentoc(["compile", "front.ts", "-o", "front-out"]);
    expect(compile.status, compile.stderr).toBe(0);
    expect(fs.existsSync(path.join(project.dir, "front.bentoc.d.ts"))).toBe(true);
    const typecheck = project.tool("tsc", ["-p", "."]);
    expect(typecheck.stdout + typecheck.stderr).toBe("");

    const reviews = await project.serve("service.ts");
    const front = await project.serve("front.ts", { args: ["--split"], env: { BENTOC_DEPENDENCY_REVIEWS_URL: reviews.url } });
    const response = await postJson(`${front.url}/summarize`, { text: "I love it" });
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ words: 3, label: "positive" });
    const [frontPid, tokenizerPid] = response.body.pids as number[];
    expect(tokenizerPid).not.toBe(frontPid); // the split tokenizer answers from a process of its own
    await expectStopsCleanly(front);
    await expectStopsCleanly(reviews);
  }, STEP_TIMEOUT_MS);

  it("builds a bento into its store, serves it as packaged, and names the build context when no container builder is here", async () => {
    const build = project.bentoc(["build", "service.ts"]);
    expect(build.status, build.stderr).toBe(0);
    const bento = built(project, build.stdout);
    const lock = JSON.parse(fs.readFileSync(path.join(bento.dir, "package-lock.json"), "utf8"));
    expect(lock.packages["node_modules/lmdb"]).toMatchObject({ version: expect.any(String), integrity: expect.stringMatching(/^sha512-/) });

    const run = await project.serve("reviews:latest");
    await expectClassifies(run);
    await expectStopsCleanly(run);

    const containerize = project.bentoc(["containerize", "reviews:latest"]);
    expect(containerize.status).toBe(1);
    expect(containerize.stderr).toContain("no container builder works here (docker: not on PATH; podman: not on PATH; buildah: not on PATH)");
    expect(containerize.stderr).toContain(`The build context is ready at ${bento.dir}`);

    // The build context as an image would run it: the Dockerfile's install, ENTRYPOINT and CMD.
    const image = await startLikeImage(bento.dir);
    try {
      await expectClassifies(image);
      image.child.kill("SIGTERM");
      expect(await image.exited, image.output()).toEqual([0, null]);
    } finally {
      await image.remove();
    }
  }, STEP_TIMEOUT_MS);
});

describe.each([
  // A checkout of bentoc linked into the project: its packages stay in the checkout's node_modules.
  ["a file: dependency", (repo: string) => ["install", "--ignore-scripts", `file:${repo}`]],
  // The same folder packed and installed like a registry package: its packages land in the project's node_modules.
  ["npm install --install-links", (repo: string) => ["install", "--ignore-scripts", "--install-links", repo]],
])("bentoc as %s", (_how, install) => {
  // --ignore-scripts: bentoc's `prepare` would rebuild this checkout's dist/ under the other test files.
  let project: UserProject;

  beforeAll(() => {
    project = UserProject.create("linked", install(REPO_ROOT), { ...SERVICE_FILES, "tsconfig.json": readmeTsconfig() });
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => project?.remove());

  it("builds a bento whose runtime packages install from its own lockfile, and serves it", async () => {
    const build = project.bentoc(["build", "service.ts"]);
    expect(build.status, build.stderr).toBe(0);
    built(project, build.stdout);
    const run = await project.serve("reviews:latest");
    await expectClassifies(run);
    await expectStopsCleanly(run);
  }, STEP_TIMEOUT_MS);
});

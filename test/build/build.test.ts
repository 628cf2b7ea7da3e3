import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { readBentoYaml } from "../../manifest/bento-yaml.js";
import { REPO_ROOT } from "../support/run-cli.js";
import { BuildProject, GREETER, MODEL_GREETER } from "./project.js";

let project: BuildProject;
beforeAll(() => {
  expect(fs.existsSync(path.join(REPO_ROOT, "dist/cli/commands/build.js")), "run `npm run build` first").toBe(true);
});
afterEach(() => project?.remove());

describe("bentoc build", () => {
  it("stores a bento with its bundle, runtime packages, Dockerfile, Kubernetes manifests, OpenAPI and client", async () => {
    project = await BuildProject.create();
    const bento = project.build();
    expect(bento.tag).toMatch(/^greeter:[a-z2-7]{16}$/);
    const files = fs.readdirSync(bento.dir, { recursive: true }).map(String).filter((name) => fs.statSync(path.join(bento.dir, name)).isFile()).sort();
    expect(files).toEqual(expect.arrayContaining([
      ".dockerignore", "Dockerfile", "bento.yaml", "client/client.ts", "k8s/greeter.yaml", "openapi.json",
      "package-lock.json", "package.json", "src/main.mjs", "src/main.mjs.map", "src/service.ts",
    ]));
    const manifest = readBentoYaml(fs.readFileSync(path.join(bento.dir, "bento.yaml"), "utf8"));
    expect(manifest.version).toBe(bento.version);
    expect(JSON.parse(fs.readFileSync(path.join(bento.dir, "openapi.json"), "utf8")).info.version).toBe(bento.version);
    expect(fs.readFileSync(path.join(bento.dir, "Dockerfile"), "utf8")).toContain(`org.opencontainers.image.version="${bento.version}"`);
    // The build wrote nothing into the project.
    expect(fs.readdirSync(project.dir)).toEqual(["service.ts"]);
  });

  it("keeps only native, file-reading and asset packages out of the bundle, locked as in the project", async () => {
    project = await BuildProject.create();
    const bento = project.build();
    const packageJson = JSON.parse(fs.readFileSync(path.join(bento.dir, "package.json"), "utf8"));
    const projectLock = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package-lock.json"), "utf8"));
    // lmdb has a native addon; swagger-ui-dist is read from disk; pino starts workers from files beside it.
    expect(Object.keys(packageJson.dependencies)).toEqual(expect.arrayContaining(["lmdb", "pino", "swagger-ui-dist"]));
    for (const bundled of ["fastify", "ajv", "prom-client", "fast-json-stringify", "bentoc"]) expect(packageJson.dependencies).not.toHaveProperty(bundled);
    for (const [name, version] of Object.entries(packageJson.dependencies)) expect(version).toBe(projectLock.packages[`node_modules/${name}`].version);
    const lock = JSON.parse(fs.readFileSync(path.join(bento.dir, "package-lock.json"), "utf8"));
    expect(lock.packages[""].dependencies).toEqual(packageJson.dependencies);
    for (const [key, entry] of Object.entries<any>(lock.packages)) {
      if (key === "") continue;
      expect(entry.dev, key).toBeUndefined();
      expect(entry.integrity, key).toBe(projectLock.packages[key]?.integrity ?? entry.integrity);
    }
    // Every dependency of every locked package is locked too (or optional).
    for (const [key, entry] of Object.entries<any>(lock.packages)) {
      for (const name of Object.keys(entry.dependencies ?? {})) {
        const found = [`${key}/node_modules/${name}`, `node_modules/${name}`].some((candidate) => lock.packages[candidate]);
        expect(found, `${key} → ${name}`).toBe(true);
      }
    }
    const bundle = fs.readFileSync(path.join(bento.dir, "src/main.mjs"), "utf8");
    expect(bundle).not.toMatch(/from\s+"fastify"|require\("fastify"\)/);
  });

  it("gives the same version when built twice without changes, whatever the files' times", async () => {
    project = await BuildProject.create();
    const first = project.build();
    // A later modification time changes the creation time, not the content.
    const later = new Date(Date.now() + 3_600_000);
    fs.utimesSync(path.join(project.dir, "service.ts"), later, later);
    const second = project.build();
    expect(second.tag).toBe(first.tag);
    expect(project.store.list("greeter")).toHaveLength(1);
    // A change to a method body (same API, same manifest) is a new version.
    project.write("service.ts", GREETER.replace("Hello, ", "Hi, "));
    const third = project.build();
    expect(third.version).not.toBe(first.version);
    expect(project.store.list("greeter")).toHaveLength(2);
  });

  it("copies the files bentoc.yaml includes, minus the excluded ones, and applies its docker options", async () => {
    project = await BuildProject.create({
      "service.ts": GREETER,
      "data/greetings.txt": "hello\n",
      "data/secret.key": "nope",
      "tests/greeter.test.ts": "",
      "bentoc.yaml": "service: service.ts\ninclude: ['**/*']\nexclude: ['tests/**', '**/*.key']\nlabels: { team: ml }\ndocker: { nodeVersion: '22', systemPackages: [libgomp1] }\n",
    });
    const bento = project.build("bentoc.yaml");
    const sources = fs.readdirSync(path.join(bento.dir, "src"), { recursive: true }).map(String).sort();
    expect(sources).toEqual(["bentoc.yaml", "data", "data/greetings.txt", "main.mjs", "main.mjs.map", "service.ts"]);
    expect(bento.manifest.labels).toMatchObject({ team: "ml" });
    expect(bento.manifest.exclude).toEqual(["tests/**", "**/*.key"]);
    const dockerfile = fs.readFileSync(path.join(bento.dir, "Dockerfile"), "utf8");
    expect(dockerfile).toContain("FROM node:22-bookworm-slim AS node");
    expect(dockerfile).toContain("--no-install-recommends libgomp1");
  });

  it("refuses an included link that leaves the project, and stores nothing", async () => {
    project = await BuildProject.create();
    fs.symlinkSync("/etc/hostname", path.join(project.dir, "host.txt"));
    const run = project.bentoc("build", "service.ts");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^bentoc: error: host\.txt is a link to .*, outside .*; a bento only carries files from its project/);
    expect(project.storeEntries()).toEqual([]);
  });

  it.each([
    ["a shell command as a system package", "docker: { systemPackages: ['curl; rm -rf /'] }", /docker\/systemPackages\/0/],
    ["a base image with an instruction after a newline", "docker: { baseImage: \"debian:12\\nRUN id\" }", /docker\/baseImage/],
    ["an unknown CUDA version", "docker: { cuda: '12.7' }", /CUDA version '12.7' is not supported; use one of .*12\.4\.1/],
    ["an unknown field", "dockerr: {}", /bentoc.yaml: dockerr is not a bentoc.yaml field/],
  ])("fails with one clear line and stores nothing for %s", async (_what, yaml, message) => {
    project = await BuildProject.create({ "service.ts": GREETER, "bentoc.yaml": `service: service.ts\n${yaml}\n` });
    const run = project.bentoc("build", "bentoc.yaml");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(project.storeEntries()).toEqual([]);
  });

  it("fails with the compiler's diagnostics for a service that does not compile, and stores nothing", async () => {
    project = await BuildProject.create({ "service.ts": GREETER.replace("Promise<string>", "Promise<strin>") });
    const run = project.bentoc("build", "service.ts");
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/service\.ts does not compile:\n.*service\.ts:\d+:\d+ - error/);
    expect(project.storeEntries()).toEqual([]);
  });
});

describe("bentoc build with models", () => {
  it("carries the referenced stored model as a model store of its own, sized in bento.yaml", async () => {
    project = await BuildProject.create({ "service.ts": MODEL_GREETER });
    project.importModel("greetings", { "word.txt": "Hi\n" });
    const bento = project.build();
    const [model] = bento.manifest.models;
    expect(model).toMatchObject({ tag: "greetings:latest", source: "store", size: 3 });
    const stored = fs.readdirSync(path.join(bento.dir, "models", "greetings"));
    expect(stored).toHaveLength(1);
    expect(fs.readFileSync(path.join(bento.dir, "models", "greetings", stored[0]!, "files", "word.txt"), "utf8")).toBe("Hi\n");
    expect(fs.readFileSync(path.join(bento.dir, "Dockerfile"), "utf8")).toContain("COPY models /var/lib/bentoc/models");
    // Another model version is another bento version.
    project.importModel("greetings", { "word.txt": "Hello\n" });
    expect(project.build().version).not.toBe(bento.version);
  });

  it("fails before building when a referenced model is not stored, naming the import command", async () => {
    project = await BuildProject.create({ "service.ts": MODEL_GREETER });
    const run = project.bentoc("build", "service.ts");
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("bentoc models import <path> --name greetings");
    expect(project.storeEntries()).toEqual([]);
  });
});

describe("bentoc build for a GPU service", () => {
  it("writes a CUDA Dockerfile and asks Kubernetes for the GPU", async () => {
    project = await BuildProject.create({
      "service.ts": GREETER.replace("@service({ traffic: { timeout: 10 } })", `@service({ traffic: { timeout: 10 }, resources: { gpu: 1, memory: "4Gi" }, image: { cuda: "12.4" } })`),
    });
    const bento = project.build();
    const dockerfile = fs.readFileSync(path.join(bento.dir, "Dockerfile"), "utf8");
    expect(dockerfile).toContain("FROM nvidia/cuda:12.4.1-runtime-ubuntu22.04 AS runtime");
    expect(dockerfile).toContain("COPY --from=node /usr/local/bin/node /usr/local/bin/node");
    const k8s = fs.readFileSync(path.join(bento.dir, "k8s/greeter.yaml"), "utf8");
    expect(k8s).toMatch(/limits:\n\s+memory: 4Gi\n\s+nvidia.com\/gpu: "1"/);
  });
});

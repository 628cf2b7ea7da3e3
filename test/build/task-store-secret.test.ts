import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { readBuildConfig, type BuildConfig } from "../../cli/build/build-config.js";
import { withTaskStoreSecret } from "../../cli/build/task-store-secret.js";
import { CliError } from "../../cli/errors.js";
import { secretKeyProblem, secretNameProblem } from "../../manifest/task-store-secret.js";
import type { SecretKeyManifest } from "../../manifest/types.js";
import { validateManifest } from "../../manifest/validate.js";
import type { StoredBento } from "../../store/bento-store.js";
import { tempDir } from "../support/run-cli.js";
import { cpuManifest } from "./manifests.js";
import { BuildProject, GREETER } from "./project.js";

describe("Secret names and keys, as Kubernetes checks them", () => {
  it.each(["bento-redis", "redis.cache", "a", "0redis", "a".repeat(253)])("accepts the name %s", (name) => expect(secretNameProblem(name)).toBeUndefined());
  it.each(["Bento-Redis", "bento_redis", "-redis", "redis-", "redis..cache", "", "a".repeat(254)])("refuses the name %j", (name) => expect(secretNameProblem(name)).toBeDefined());
  it.each(["url", "REDIS_URL", "redis-url", ".hidden", "a.b_c-D"])("accepts the key %s", (key) => expect(secretKeyProblem(key)).toBeUndefined());
  it.each(["", ".", "..", "..x", "redis url", "a/b", "a".repeat(254)])("refuses the key %j", (key) => expect(secretKeyProblem(key)).toBeDefined());

  it("a bento.yaml with a bad Secret reference is not a valid manifest, field by field", () => {
    const manifest = { ...cpuManifest(), taskStore: { secret: { name: "Bento_Redis", key: "url", passwordKey: "a b" } } };
    expect(validateManifest(manifest)).toEqual({ ok: false, problems: [
      expect.stringMatching(/^taskStore\/secret\/name: "Bento_Redis" is not a Kubernetes Secret name/),
      expect.stringMatching(/^taskStore\/secret\/passwordKey: "a b" is not a Secret key/),
    ] });
    expect(validateManifest({ ...cpuManifest(), taskStore: { secret: { name: "bento-redis", key: "url" } } })).toMatchObject({ ok: true });
  });
});

describe("withTaskStoreSecret", () => {
  const config = (taskStoreSecret?: SecretKeyManifest): BuildConfig =>
    ({ serviceFile: "service.ts", contextDir: ".", labels: {}, docker: {}, ...(taskStoreSecret ? { taskStoreSecret } : {}) });
  const yaml = { name: "yaml-redis", key: "url", passwordKey: "password" };

  it("takes --task-store-secret over BENTOC_TASK_STORE_SECRET over bentoc.yaml, whole; an empty value is unset", () => {
    expect(withTaskStoreSecret(config(yaml), "flag-redis", { BENTOC_TASK_STORE_SECRET: "env-redis:u" }).taskStoreSecret).toEqual({ name: "flag-redis", key: "url" });
    expect(withTaskStoreSecret(config(yaml), undefined, { BENTOC_TASK_STORE_SECRET: "env-redis:u" }).taskStoreSecret).toEqual({ name: "env-redis", key: "u" });
    expect(withTaskStoreSecret(config(yaml), "", { BENTOC_TASK_STORE_SECRET: "" }).taskStoreSecret).toEqual(yaml);
    expect(withTaskStoreSecret(config(), undefined, {})).not.toHaveProperty("taskStoreSecret");
  });

  it.each<[string, SecretKeyManifest]>([
    ["bento-redis", { name: "bento-redis", key: "url" }],
    ["bento-redis:REDIS_URL", { name: "bento-redis", key: "REDIS_URL" }],
    ["bento-redis:url:redis-password", { name: "bento-redis", key: "url", passwordKey: "redis-password" }],
    ["bento-redis::redis-password", { name: "bento-redis", key: "url", passwordKey: "redis-password" }],
  ])("reads %s", (flag, secret) => expect(withTaskStoreSecret(config(), flag, {}).taskStoreSecret).toEqual(secret));

  it.each<[string | undefined, NodeJS.ProcessEnv, SecretKeyManifest | undefined, string]>([
    ["Bento_Redis", {}, undefined, '--task-store-secret: "Bento_Redis" is not a Kubernetes Secret name; use lower-case letters, digits'],
    ["bento-redis:redis url", {}, undefined, '--task-store-secret: "redis url" is not a Secret key'],
    ["a:b:c:d", {}, undefined, "--task-store-secret: \"a:b:c:d\" has too many ':'; write <name>[:<key>[:<passwordKey>]]"],
    [undefined, { BENTOC_TASK_STORE_SECRET: "redis://cache:6379" }, undefined, "BENTOC_TASK_STORE_SECRET: give the name of a Kubernetes Secret that holds the task store's URL, not the URL"],
    [undefined, {}, { name: "bento-redis", key: "url", passwordKey: ".." }, 'taskStore.secret in bentoc.yaml: Secret key ".." may not be'],
  ])("names where a wrong Secret came from (%s, %j, %j)", (flag, env, yaml, message) => {
    expect(() => withTaskStoreSecret(config(yaml), flag, env)).toThrow(CliError);
    expect(() => withTaskStoreSecret(config(yaml), flag, env)).toThrow(message);
  });
});

describe("taskStore in bentoc.yaml", () => {
  const dir = tempDir("task-store-config");
  afterEach(() => fs.rmSync(path.join(dir, "bentoc.yaml"), { force: true }));
  const read = (text: string) => {
    fs.writeFileSync(path.join(dir, "bentoc.yaml"), `service: service.ts\n${text}`);
    fs.writeFileSync(path.join(dir, "service.ts"), "");
    return readBuildConfig(path.join(dir, "bentoc.yaml"));
  };

  it("reads taskStore.secret, key defaulting to url", () => {
    expect(read("taskStore: { secret: { name: bento-redis, key: redis-url, passwordKey: redis-password } }\n").taskStoreSecret)
      .toEqual({ name: "bento-redis", key: "redis-url", passwordKey: "redis-password" });
    expect(read("taskStore: { secret: { name: bento-redis } }\n").taskStoreSecret).toEqual({ name: "bento-redis", key: "url" });
    expect(read("labels: {}\n")).not.toHaveProperty("taskStoreSecret");
  });

  it.each<[string, RegExp]>([
    ["taskStore: bento-redis", /taskStore must be a mapping, e.g. \{ secret: \{ name: bento-redis, key: url \} \}$/],
    ["taskStore: { url: redis://x }", /taskStore.url is not a taskStore option \(known: secret\)$/],
    ["taskStore: { secret: bento-redis }", /taskStore.secret must be a mapping \{ name, key, passwordKey \}/],
    ["taskStore: { secret: { key: url } }", /taskStore.secret.name is required$/],
    ["taskStore: { secret: { name: r, password: p } }", /taskStore.secret.password is not a Secret reference field \(known: name, key, passwordKey\)$/],
  ])("refuses %s", (text, message) => {
    expect(() => read(`${text}\n`)).toThrow(CliError);
    expect(() => read(`${text}\n`)).toThrow(message);
  });
});

describe("bentoc build --task-store-secret", () => {
  let project: BuildProject;
  afterEach(() => project?.remove());

  const deploymentAndScaler = (bento: StoredBento) => {
    const objects = parseAllDocuments(fs.readFileSync(path.join(bento.dir, "k8s/greeter.yaml"), "utf8")).map((document) => document.toJS());
    return { env: objects[0].spec.template.spec.containers[0].env, maxReplicas: objects[2].spec.maxReplicas };
  };

  it("wires the Secret into the task service's Deployment and lets it scale; without one, 1 replica and a note naming the setting", async () => {
    project = await BuildProject.create({ "service.ts": GREETER, "bentoc.yaml": "service: service.ts\ntaskStore: { secret: { name: yaml-redis } }\n" });
    const run = project.bentocWith({ BENTOC_TASK_STORE_SECRET: "" }, "build", "bentoc.yaml", "--json", "--task-store-secret", "bento-redis:url:password");
    expect(run.status, run.stderr).toBe(0);
    const bento = project.store.get(JSON.parse(run.stdout).tag);
    expect(bento.manifest.taskStore).toEqual({ secret: { name: "bento-redis", key: "url", passwordKey: "password" } });
    expect(deploymentAndScaler(bento)).toEqual({
      env: [
        { name: "BENTOC_TASK_STORE", valueFrom: { secretKeyRef: { name: "bento-redis", key: "url" } } },
        { name: "BENTOC_TASK_STORE_PASSWORD", valueFrom: { secretKeyRef: { name: "bento-redis", key: "password" } } },
      ],
      maxReplicas: 10,
    });
    expect(run.stderr).not.toContain("runs as 1 replica");

    const plain = project.bentocWith({ BENTOC_TASK_STORE_SECRET: "" }, "build", "service.ts", "--json");
    expect(plain.status, plain.stderr).toBe(0);
    const bare = project.store.get(JSON.parse(plain.stdout).tag);
    expect(bare.manifest).not.toHaveProperty("taskStore");
    expect(deploymentAndScaler(bare)).toEqual({ env: [], maxReplicas: 1 });
    expect(plain.stderr).toContain("bentoc: note: service Greeter runs as 1 replica in Kubernetes (maxReplicas: 1) because it has task APIs (double): ");
    expect(plain.stderr).toContain("name it with --task-store-secret <name>[:<key>], BENTOC_TASK_STORE_SECRET or taskStore.secret in bentoc.yaml\n");
  });

  it("refuses a Secret name Kubernetes would refuse with one line naming the setting, and stores nothing", async () => {
    project = await BuildProject.create();
    const run = project.bentocWith({}, "build", "service.ts", "--task-store-secret", "Bento_Redis");
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      'bentoc: error: --task-store-secret: "Bento_Redis" is not a Kubernetes Secret name; ' +
      "use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit (e.g. bento-redis)\n",
    );
    expect(project.storeEntries()).toEqual([]);
  });
});

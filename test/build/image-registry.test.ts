import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { withImageRegistry } from "../../cli/build/image-registry.js";
import type { BuildConfig } from "../../cli/build/build-config.js";
import { CliError } from "../../cli/errors.js";
import { imageRegistryProblem } from "../../manifest/image-registry.js";
import type { StoredBento } from "../../store/bento-store.js";
import { BuildProject, GREETER } from "./project.js";

describe("imageRegistryProblem", () => {
  it.each(["ghcr.io/acme", "registry.example.com:5000/ml/team", "localhost:5000", "Registry.Example.com/acme", "acme", "docker.io/a_b/c__d/e-f.g", "10.0.0.1:5000/ml"])(
    "accepts %s",
    (registry) => expect(imageRegistryProblem(registry)).toBeUndefined(),
  );

  it.each<[string, RegExp]>([
    ["https://ghcr.io/acme", /has a URL scheme; give the registry without it/],
    ["ghcr.io/Acme", /upper-case letters after the host; image paths are lower case/],
    ["ghcr.io/acme/", /is not an image registry; write host\[:port\]\[\/path\]/],
    ["ghcr.io//acme", /is not an image registry/],
    ["ghcr.io/acme:latest", /is not an image registry/],
    ["ghcr.io/acme/greeter@sha256:abc", /is not an image registry/],
    ["-ghcr.io/acme", /is not an image registry/],
    ["ghcr.io/a..b", /is not an image registry/],
    ["ghcr.io/acme team", /is not an image registry/],
    [`ghcr.io/${"a".repeat(200)}`, /is longer than 200 characters/],
  ])("refuses %s", (registry, message) => expect(imageRegistryProblem(registry)).toMatch(message));
});

describe("withImageRegistry", () => {
  const config = (imageRegistry?: string): BuildConfig =>
    ({ serviceFile: "service.ts", contextDir: ".", labels: {}, docker: imageRegistry === undefined ? {} : { imageRegistry } });
  const registryOf = (built: BuildConfig) => built.docker.imageRegistry;

  it("takes --image-registry over BENTOC_IMAGE_REGISTRY over bentoc.yaml; an empty value is unset", () => {
    expect(registryOf(withImageRegistry(config("yaml.example/a"), "flag.example/a", { BENTOC_IMAGE_REGISTRY: "env.example/a" }))).toBe("flag.example/a");
    expect(registryOf(withImageRegistry(config("yaml.example/a"), undefined, { BENTOC_IMAGE_REGISTRY: "env.example/a" }))).toBe("env.example/a");
    expect(registryOf(withImageRegistry(config("yaml.example/a"), "", { BENTOC_IMAGE_REGISTRY: "" }))).toBe("yaml.example/a");
    expect(withImageRegistry(config(), undefined, {}).docker).toEqual({});
  });

  it.each<[string | undefined, NodeJS.ProcessEnv, string | undefined, string]>([
    ["Ghcr.io/Acme", {}, undefined, '--image-registry: "Ghcr.io/Acme" has upper-case letters after the host'],
    [undefined, { BENTOC_IMAGE_REGISTRY: "https://ghcr.io/acme" }, undefined, 'BENTOC_IMAGE_REGISTRY: "https://ghcr.io/acme" has a URL scheme'],
    [undefined, {}, "ghcr.io/acme:1", 'docker.imageRegistry in bentoc.yaml: "ghcr.io/acme:1" is not an image registry'],
  ])("names where a wrong registry came from (%s, %j, %s)", (flag, env, yaml, message) => {
    expect(() => withImageRegistry(config(yaml), flag, env)).toThrow(CliError);
    expect(() => withImageRegistry(config(yaml), flag, env)).toThrow(message);
  });
});

describe("bentoc build --image-registry", () => {
  let project: BuildProject;
  afterEach(() => project?.remove());

  /** `bentoc build` with more arguments and environment, and the bento it stored. */
  function build(env: NodeJS.ProcessEnv, ...args: string[]): { bento: StoredBento; stderr: string } {
    const run = project.bentocWith(env, "build", ...args, "--json");
    if (run.status !== 0) throw new Error(`bentoc build failed (${run.status}):\n${run.stderr}`);
    return { bento: project.store.get(JSON.parse(run.stdout).tag), stderr: run.stderr };
  }
  const imageIn = (bento: StoredBento) =>
    parseAllDocuments(fs.readFileSync(path.join(bento.dir, "k8s/greeter.yaml"), "utf8"))[0]!.toJS().spec.template.spec.containers[0].image;

  it("names the image under the flag's registry, over BENTOC_IMAGE_REGISTRY and bentoc.yaml", async () => {
    project = await BuildProject.create({ "service.ts": GREETER, "bentoc.yaml": "service: service.ts\ndocker: { imageRegistry: yaml.example.com/ml }\n" });
    const { bento, stderr } = build({ BENTOC_IMAGE_REGISTRY: "env.example.com/ml" }, "bentoc.yaml", "--image-registry", "registry.example.com:5000/ml");
    expect(bento.manifest.docker.imageRegistry).toBe("registry.example.com:5000/ml");
    expect(imageIn(bento)).toBe(`registry.example.com:5000/ml/greeter:${bento.version}`);
    expect(stderr).not.toContain("with no registry");
  });

  it("takes BENTOC_IMAGE_REGISTRY over bentoc.yaml, and bentoc.yaml's docker.imageRegistry alone", async () => {
    project = await BuildProject.create({ "service.ts": GREETER, "bentoc.yaml": "service: service.ts\ndocker: { imageRegistry: yaml.example.com/ml }\n" });
    const fromEnv = build({ BENTOC_IMAGE_REGISTRY: "env.example.com/ml" }, "bentoc.yaml").bento;
    expect(imageIn(fromEnv)).toBe(`env.example.com/ml/greeter:${fromEnv.version}`);
    const fromYaml = build({ BENTOC_IMAGE_REGISTRY: "" }, "bentoc.yaml").bento;
    expect(imageIn(fromYaml)).toBe(`yaml.example.com/ml/greeter:${fromYaml.version}`);
    // The registry is part of what the bento holds, so it is part of its version.
    expect(fromYaml.version).not.toBe(fromEnv.version);
  });

  it("without a registry, notes that the manifests name a bare image, and why a task service stays at one replica", async () => {
    project = await BuildProject.create();
    const { bento, stderr } = build({ BENTOC_IMAGE_REGISTRY: "" }, "service.ts");
    expect(imageIn(bento)).toBe(`greeter:${bento.version}`);
    expect(stderr).toContain(
      `bentoc: note: k8s/*.yaml name the image greeter:${bento.version} with no registry, so a cluster cannot pull it; ` +
      "set one with --image-registry <host/path>, BENTOC_IMAGE_REGISTRY or docker.imageRegistry in bentoc.yaml\n",
    );
    expect(stderr).toContain("bentoc: note: service Greeter runs as 1 replica in Kubernetes (maxReplicas: 1) because it has task APIs (double): ");
  });

  it("refuses a registry that is not host[:port][/path] with one line, and stores nothing", async () => {
    project = await BuildProject.create();
    const run = project.bentocWith({}, "build", "service.ts", "--image-registry", "https://ghcr.io/acme");
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('bentoc: error: --image-registry: "https://ghcr.io/acme" has a URL scheme; give the registry without it (e.g. ghcr.io/acme or registry.example.com:5000/ml)\n');
    expect(project.storeEntries()).toEqual([]);
  });
});

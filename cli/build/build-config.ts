import fs from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { DEFAULT_TASK_STORE_SECRET_KEY } from "../../manifest/task-store-secret.js";
import type { DockerManifest, SecretKeyManifest } from "../../manifest/types.js";
import { CliError } from "../errors.js";

/** What `bentoc build` builds: a service file, and what bentoc.yaml adds to its manifest. */
export interface BuildConfig {
  serviceFile: string;
  /** Where `include`/`exclude` globs are matched: the folder of bentoc.yaml, else of the service file. */
  contextDir: string;
  entry?: string;
  include?: string[];
  exclude?: string[];
  labels: Record<string, string>;
  docker: Partial<DockerManifest>;
  /** The Secret holding the shared task store's URL (see task-store-secret.ts); unchecked until then. */
  taskStoreSecret?: SecretKeyManifest;
}

/**
 * The build for `bentoc build <target>`: a `.ts` service file as it is, or a bentoc.yaml:
 *
 * ```yaml
 * service: service.ts          # relative to this file
 * entry: Quickstart            # optional, when the file has several services
 * include: ["**\/*.ts", "data/**"]
 * exclude: ["tests/**"]
 * labels: { team: ml }
 * docker: { nodeVersion: "24", cuda: "12.4", systemPackages: [libgomp1], baseImage: "…", nodeImage: "…", imageRegistry: ghcr.io/acme }
 * taskStore: { secret: { name: bento-redis, key: url, passwordKey: password } }   # key defaults to url
 * ```
 */
export function readBuildConfig(target: string): BuildConfig {
  const absolute = path.resolve(target);
  if (!fs.existsSync(absolute)) throw new CliError(`cannot find '${target}': give a service .ts file or a bentoc.yaml`);
  if (!/\.ya?ml$/.test(absolute)) return { serviceFile: absolute, contextDir: path.dirname(absolute), labels: {}, docker: {} };
  let document: unknown;
  try {
    document = parse(fs.readFileSync(absolute, "utf8"));
  } catch (error) {
    throw new CliError(`${target} is not valid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  const config = new ConfigReader(target, document);
  const contextDir = path.dirname(absolute);
  const service = config.string("service", true)!;
  return {
    serviceFile: path.resolve(contextDir, service),
    contextDir,
    ...optional("entry", config.string("entry")),
    ...optional("include", config.strings("include")),
    ...optional("exclude", config.strings("exclude")),
    labels: config.labels(),
    docker: config.docker(),
    ...optional("taskStoreSecret", config.taskStoreSecret()),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

const TOP_LEVEL = ["service", "entry", "include", "exclude", "labels", "docker", "taskStore"];
const DOCKER_KEYS = ["nodeVersion", "cuda", "systemPackages", "baseImage", "nodeImage", "imageRegistry"];
const SECRET_KEYS = ["name", "key", "passwordKey"];

/** Reads bentoc.yaml's fields, each with an error that names the file and the field. */
class ConfigReader {
  private readonly record: Record<string, unknown>;

  constructor(private readonly file: string, document: unknown) {
    if (typeof document !== "object" || document === null || Array.isArray(document)) this.fail("", "must be a mapping with at least `service: <file>.ts`");
    this.record = document as Record<string, unknown>;
    const unknown = Object.keys(this.record).filter((key) => !TOP_LEVEL.includes(key));
    if (unknown.length > 0) this.fail(unknown[0]!, `is not a bentoc.yaml field (known: ${TOP_LEVEL.join(", ")})`);
  }

  string(key: string, required = false, record = this.record, prefix = ""): string | undefined {
    const value = record[key];
    if (value === undefined || value === null) {
      if (required) this.fail(prefix + key, "is required");
      return undefined;
    }
    if (typeof value !== "string" && typeof value !== "number") this.fail(prefix + key, "must be a string");
    return String(value);
  }

  strings(key: string, record = this.record, prefix = ""): string[] | undefined {
    const value = record[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== "string")) this.fail(prefix + key, "must be a list of strings");
    return value as string[];
  }

  labels(): Record<string, string> {
    const value = this.record.labels ?? {};
    if (typeof value !== "object" || Array.isArray(value) || Object.values(value as object).some((item) => typeof item !== "string")) {
      this.fail("labels", "must be a mapping of string values");
    }
    return { ...(value as Record<string, string>) };
  }

  docker(): Partial<DockerManifest> {
    const value = this.record.docker ?? {};
    if (typeof value !== "object" || Array.isArray(value)) this.fail("docker", "must be a mapping");
    const docker = value as Record<string, unknown>;
    const unknown = Object.keys(docker).filter((key) => !DOCKER_KEYS.includes(key));
    if (unknown.length > 0) this.fail(`docker.${unknown[0]}`, `is not a docker option (known: ${DOCKER_KEYS.join(", ")})`);
    return {
      ...optional("nodeVersion", this.string("nodeVersion", false, docker, "docker.")),
      ...optional("cuda", this.string("cuda", false, docker, "docker.")),
      ...optional("systemPackages", this.strings("systemPackages", docker, "docker.")),
      ...optional("baseImage", this.string("baseImage", false, docker, "docker.")),
      ...optional("nodeImage", this.string("nodeImage", false, docker, "docker.")),
      ...optional("imageRegistry", this.string("imageRegistry", false, docker, "docker.")),
    };
  }

  taskStoreSecret(): SecretKeyManifest | undefined {
    const value = this.record.taskStore;
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "object" || Array.isArray(value)) this.fail("taskStore", "must be a mapping, e.g. { secret: { name: bento-redis, key: url } }");
    const unknown = Object.keys(value).filter((key) => key !== "secret");
    if (unknown.length > 0) this.fail(`taskStore.${unknown[0]}`, "is not a taskStore option (known: secret)");
    const secret = (value as Record<string, unknown>).secret;
    if (secret === undefined || secret === null) return undefined;
    if (typeof secret !== "object" || Array.isArray(secret)) this.fail("taskStore.secret", "must be a mapping { name, key, passwordKey }, e.g. { name: bento-redis, key: url }");
    const fields = secret as Record<string, unknown>;
    const unknownField = Object.keys(fields).filter((key) => !SECRET_KEYS.includes(key));
    if (unknownField.length > 0) this.fail(`taskStore.secret.${unknownField[0]}`, `is not a Secret reference field (known: ${SECRET_KEYS.join(", ")})`);
    const prefix = "taskStore.secret.";
    return {
      name: this.string("name", true, fields, prefix)!,
      key: this.string("key", false, fields, prefix) ?? DEFAULT_TASK_STORE_SECRET_KEY,
      ...optional("passwordKey", this.string("passwordKey", false, fields, prefix)),
    };
  }

  private fail(key: string, message: string): never {
    throw new CliError(`${this.file}: ${key ? `${key} ` : ""}${message}`);
  }
}

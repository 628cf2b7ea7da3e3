import { DEFAULT_TASK_STORE_SECRET_KEY, TASK_STORE_SECRET_ENV, secretKeyManifestProblem } from "../../manifest/task-store-secret.js";
import type { SecretKeyManifest } from "../../manifest/types.js";
import { CliError } from "../errors.js";
import type { BuildConfig } from "./build-config.js";

/**
 * The build with the Secret its task services read the shared task store from:
 * `--task-store-secret`, else BENTOC_TASK_STORE_SECRET (both `name[:key[:passwordKey]]`), else
 * bentoc.yaml's `taskStore.secret` (an empty value counts as unset). The whole reference comes
 * from one place; a value Kubernetes would refuse is an error naming where it came from.
 */
export function withTaskStoreSecret(config: BuildConfig, flag: string | undefined, env: NodeJS.ProcessEnv = process.env): BuildConfig {
  const { taskStoreSecret: fromYaml, ...rest } = config;
  const sources: [string, string | SecretKeyManifest | undefined][] = [
    ["--task-store-secret", flag],
    [TASK_STORE_SECRET_ENV, env[TASK_STORE_SECRET_ENV]],
    ["taskStore.secret in bentoc.yaml", fromYaml],
  ];
  const chosen = sources.find(([, value]) => value !== undefined && value !== "");
  if (chosen === undefined) return rest;
  const [source, value] = chosen as [string, string | SecretKeyManifest];
  const secret = typeof value === "string" ? parseSecretReference(source, value) : value;
  const problem = secretKeyManifestProblem(secret);
  if (problem !== undefined) throw new CliError(`${source}: ${problem}`);
  return { ...rest, taskStoreSecret: secret };
}

/** `name[:key[:passwordKey]]`: neither Secret names nor keys may hold a colon, so it splits cleanly. */
function parseSecretReference(source: string, value: string): SecretKeyManifest {
  // The URL itself would be written into the bento and its manifests, password and all.
  if (value.includes("://")) throw new CliError(`${source}: give the name of a Kubernetes Secret that holds the task store's URL, not the URL (e.g. bento-redis:url)`);
  const parts = value.split(":");
  if (parts.length > 3) throw new CliError(`${source}: ${JSON.stringify(value)} has too many ':'; write <name>[:<key>[:<passwordKey>]] (e.g. bento-redis:url)`);
  const [name, key, passwordKey] = parts as [string, string?, string?];
  return { name, key: key || DEFAULT_TASK_STORE_SECRET_KEY, ...(passwordKey ? { passwordKey } : {}) };
}

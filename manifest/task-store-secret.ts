import type { SecretKeyManifest } from "./types.js";

/** The variables the runtime reads its task store from (runtime/options.ts): a URL, and a password kept apart from it. */
export const TASK_STORE_ENV = "BENTOC_TASK_STORE";
export const TASK_STORE_PASSWORD_ENV = "BENTOC_TASK_STORE_PASSWORD";

/** The environment variable that names the Secret when `bentoc build --task-store-secret` does not. */
export const TASK_STORE_SECRET_ENV = "BENTOC_TASK_STORE_SECRET";

/** The Secret's key that holds the store's URL when the setting names none. */
export const DEFAULT_TASK_STORE_SECRET_KEY = "url";

// Kubernetes' own checks (k8s.io/apimachinery/pkg/util/validation): an object name is a DNS-1123
// subdomain, a Secret's data key is IsConfigMapKey.
const DNS1123_LABEL = "[a-z0-9](?:[-a-z0-9]*[a-z0-9])?";
const DNS1123_SUBDOMAIN = new RegExp(`^${DNS1123_LABEL}(?:\\.${DNS1123_LABEL})*$`);
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_LENGTH = 253;

/** Why `value` cannot name a Kubernetes Secret, or undefined when it can. */
export function secretNameProblem(value: string): string | undefined {
  const shown = JSON.stringify(value);
  if (value.length > MAX_LENGTH) return `Secret name ${shown} is longer than ${MAX_LENGTH} characters`;
  if (DNS1123_SUBDOMAIN.test(value)) return undefined;
  return `${shown} is not a Kubernetes Secret name; use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit (e.g. bento-redis)`;
}

/** Why `value` cannot be a key of a Secret's data, or undefined when it can. */
export function secretKeyProblem(value: string): string | undefined {
  const shown = JSON.stringify(value);
  if (value.length > MAX_LENGTH) return `Secret key ${shown} is longer than ${MAX_LENGTH} characters`;
  if (!SECRET_KEY.test(value)) return `${shown} is not a Secret key; use letters, digits, '-', '_' and '.' (e.g. url)`;
  if (value === "." || value === ".." || value.startsWith("..")) return `Secret key ${shown} may not be '.' or start with '..'`;
  return undefined;
}

/** The first thing wrong with a Secret reference (its name, then its keys), or undefined. */
export function secretKeyManifestProblem(secret: SecretKeyManifest): string | undefined {
  return secretNameProblem(secret.name)
    ?? secretKeyProblem(secret.key)
    ?? (secret.passwordKey === undefined ? undefined : secretKeyProblem(secret.passwordKey));
}

// Kubernetes names and label values have their own grammars (RFC 1035 labels, 63 characters);
// bento and service names are close but not the same, so they are mapped here, once.

const MAX_NAME = 63;

/** An RFC 1035 label (what a Service name must be): lower-case letters, digits and '-', starting with a letter. */
export function kubernetesName(...parts: string[]): string {
  const joined = parts
    .map((part) => part.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase())
    .join("-")
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-");
  const named = /^[a-z]/.test(joined) ? joined : `b-${joined}`;
  return named.slice(0, MAX_NAME).replace(/[^a-z0-9]+$/, "");
}

/**
 * The name of one service's objects: `<bento>-<service>`, or the bento's name alone when the
 * service is named like the bento (`notes` and `Notes` give `notes`, not `notes-notes`). A bento
 * with one service otherwise keeps both parts, so adding a second service renames nothing.
 */
export function serviceObjectName(bentoName: string, serviceName: string): string {
  const bento = kubernetesName(bentoName);
  return kubernetesName(serviceName) === bento ? bento : kubernetesName(bentoName, serviceName);
}

/** A label value: up to 63 of `[A-Za-z0-9._-]`, starting and ending alphanumeric. */
export function labelValue(value: string): string {
  return value.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, MAX_NAME).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}

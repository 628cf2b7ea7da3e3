import { IMAGE_REGISTRY_ENV, imageReference } from "../../manifest/image-registry.js";
import { TASK_STORE_SECRET_ENV } from "../../manifest/task-store-secret.js";
import type { BentoManifest } from "../../manifest/types.js";
import { replicaBounds, taskApiNames } from "./scaling.js";

/** The flag, variable and bentoc.yaml field that set the registry, as the notes name them. */
export const IMAGE_REGISTRY_SETTINGS = `--image-registry <host/path>, ${IMAGE_REGISTRY_ENV} or docker.imageRegistry in bentoc.yaml`;

/** The flag, variable and bentoc.yaml field that name the shared task store's Secret. */
export const TASK_STORE_SECRET_SETTINGS = `--task-store-secret <name>[:<key>], ${TASK_STORE_SECRET_ENV} or taskStore.secret in bentoc.yaml`;

/** What a deployer should know about the bento's Kubernetes manifests before applying them; `bentoc build` prints them. */
export function kubernetesNotes(manifest: BentoManifest): string[] {
  const notes: string[] = [];
  if (!manifest.docker.imageRegistry) {
    notes.push(`k8s/*.yaml name the image ${imageReference(manifest)} with no registry, so a cluster cannot pull it; set one with ${IMAGE_REGISTRY_SETTINGS}`);
  }
  for (const service of manifest.services) {
    const tasks = taskApiNames(service);
    if (tasks.length === 0 || replicaBounds(service, manifest.taskStore).maxReplicas > 1) continue;
    notes.push(
      `service ${service.name} runs as 1 replica in Kubernetes (maxReplicas: 1) because it has task APIs (${tasks.join(", ")}): ` +
      "tasks live in each pod's own store, so another replica would not know them; to scale it, put a shared store's URL " +
      `(redis://host:port/db) in a Secret and name it with ${TASK_STORE_SECRET_SETTINGS}`,
    );
  }
  return notes;
}

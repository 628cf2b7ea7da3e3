import { stringify } from "yaml";
import { imageReference } from "../../manifest/image-registry.js";
import type { BentoManifest, ServiceManifest } from "../../manifest/types.js";
import { CONTAINER_PORT } from "../docker/index.js";
import { labelValue, serviceObjectName } from "./names.js";
import { podSpec } from "./pod.js";
import { autoscalerSpec, disruptionBudgetSpec } from "./scaling.js";

export { GRACE_MARGIN_SECONDS, PRE_STOP_SECONDS } from "./pod.js";
export { IMAGE_REGISTRY_SETTINGS, TASK_STORE_SECRET_SETTINGS, kubernetesNotes } from "./notes.js";
export { serviceObjectName } from "./names.js";

// No aliases (kubectl users read each object whole), no folding, and strings such as "on" quoted
// because kubectl's YAML 1.1 parser would read them as booleans.
const YAML_OPTIONS = { aliasDuplicateObjects: false, lineWidth: 0, compat: "yaml-1.1" } as const;

type KubernetesObject = Record<string, unknown> & { apiVersion: string; kind: string };

/**
 * Per service, `k8s/<name>.yaml` holding a Deployment (see pod.ts), a Service on port 3000, a
 * HorizontalPodAutoscaler (autoscaling/v2, on CPU) and a PodDisruptionBudget (policy/v1), to be
 * applied as they are.
 */
export function generateKubernetes(manifest: BentoManifest): Map<string, string> {
  const files = new Map<string, string>();
  for (const service of manifest.services) {
    const name = serviceObjectName(manifest.name, service.name);
    const documents = kubernetesObjects(manifest, service, name, imageReference(manifest)).map((object) => stringify(object, YAML_OPTIONS));
    files.set(`k8s/${name}.yaml`, documents.join("---\n"));
  }
  return files;
}

function kubernetesObjects(manifest: BentoManifest, service: ServiceManifest, name: string, image: string): KubernetesObject[] {
  const selector = { "app.kubernetes.io/name": labelValue(manifest.name), "app.kubernetes.io/instance": name };
  const labels = { ...selector, "app.kubernetes.io/version": labelValue(manifest.version), "app.kubernetes.io/component": labelValue(service.name), "app.kubernetes.io/managed-by": "bentoc" };
  const metadata = { name, labels };
  return [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata,
      // No `replicas`: the autoscaler owns it, and a value here would reset it on every `kubectl apply`.
      spec: { selector: { matchLabels: selector }, template: { metadata: { labels }, spec: podSpec(manifest, service, name, image) } },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata,
      spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: CONTAINER_PORT, targetPort: "http", protocol: "TCP" }] },
    },
    { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata, spec: autoscalerSpec(service, name, manifest.taskStore) },
    { apiVersion: "policy/v1", kind: "PodDisruptionBudget", metadata, spec: disruptionBudgetSpec(selector) },
  ];
}

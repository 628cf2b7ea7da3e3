import { stringify } from "yaml";
import type { BentoManifest, ServiceManifest } from "../../manifest/types.js";
import { CONTAINER_PORT } from "../docker/index.js";
import { kubernetesName, labelValue } from "./names.js";
import { containerResources } from "./resources.js";

export interface KubernetesOptions {
  /** The container image; default `<name>:<version>`, as `bentoc containerize` tags it. */
  image?: string;
}

/** Seconds a pod gets past the traffic timeout to finish its last requests and exit. */
export const GRACE_MARGIN_SECONDS = 15;

const HPA_MAX_REPLICAS = 10;
const HPA_CPU_UTILIZATION = 70;

// No aliases (kubectl users read each object whole), no folding, and strings such as "on" quoted
// because kubectl's YAML 1.1 parser would read them as booleans.
const YAML_OPTIONS = { aliasDuplicateObjects: false, lineWidth: 0, compat: "yaml-1.1" } as const;

type KubernetesObject = Record<string, unknown> & { apiVersion: string; kind: string };

/**
 * Per service, `k8s/<name>.yaml` holding a Deployment (resources, GPU limit, probes on /livez
 * and /readyz, grace period from the traffic timeout, non-root), a Service on port 3000 and a
 * HorizontalPodAutoscaler (autoscaling/v2, on CPU).
 */
export function generateKubernetes(manifest: BentoManifest, options: KubernetesOptions = {}): Map<string, string> {
  const files = new Map<string, string>();
  for (const service of manifest.services) {
    const name = kubernetesName(manifest.name, service.name);
    const documents = kubernetesObjects(manifest, service, name, options).map((object) => stringify(object, YAML_OPTIONS));
    files.set(`k8s/${name}.yaml`, documents.join("---\n"));
  }
  return files;
}

function kubernetesObjects(manifest: BentoManifest, service: ServiceManifest, name: string, options: KubernetesOptions): KubernetesObject[] {
  const selector = { "app.kubernetes.io/name": labelValue(manifest.name), "app.kubernetes.io/instance": name };
  const labels = { ...selector, "app.kubernetes.io/version": labelValue(manifest.version), "app.kubernetes.io/component": labelValue(service.name), "app.kubernetes.io/managed-by": "bentoc" };
  const metadata = { name, labels };
  return [
    { apiVersion: "apps/v1", kind: "Deployment", metadata, spec: deploymentSpec(manifest, service, name, options, selector, labels) },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata,
      spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: CONTAINER_PORT, targetPort: "http", protocol: "TCP" }] },
    },
    {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name },
        minReplicas: 1,
        maxReplicas: HPA_MAX_REPLICAS,
        metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: HPA_CPU_UTILIZATION } } }],
      },
    },
  ];
}

function deploymentSpec(
  manifest: BentoManifest,
  service: ServiceManifest,
  name: string,
  options: KubernetesOptions,
  selector: Record<string, string>,
  labels: Record<string, string>,
): Record<string, unknown> {
  const { resources, traffic } = service.config;
  const probe = (path: string, failureThreshold: number) => ({ httpGet: { path, port: "http" }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold });
  const container = {
    name: "bento",
    image: options.image ?? `${manifest.name}:${manifest.version}`,
    ports: [{ name: "http", containerPort: CONTAINER_PORT, protocol: "TCP" }],
    env: service.config.envs.map((variable) =>
      variable.value !== undefined
        ? { name: variable.name, value: variable.value }
        // A variable the service needs but did not set: it comes from a Secret the deployer creates.
        : { name: variable.name, valueFrom: { secretKeyRef: { name: `${name}-env`, key: variable.name } } }),
    resources: containerResources(resources),
    // Startup may load models: the startup probe holds the others off for up to 10 minutes.
    startupProbe: probe("/livez", 60),
    livenessProbe: probe("/livez", 3),
    readinessProbe: probe("/readyz", 1),
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
    // The root file system is read-only: the task store and /tmp get writable volumes.
    volumeMounts: [{ name: "tasks", mountPath: "/var/lib/bentoc/tasks" }, { name: "tmp", mountPath: "/tmp" }],
  };
  const gpuNodes = (resources.gpu ?? 0) > 0 && resources.gpuType ? { nodeSelector: { "nvidia.com/gpu.product": labelValue(resources.gpuType) } } : {};
  return {
    replicas: 1,
    selector: { matchLabels: selector },
    template: {
      metadata: { labels },
      spec: {
        terminationGracePeriodSeconds: Math.ceil(traffic.timeout) + GRACE_MARGIN_SECONDS,
        securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 },
        containers: [container],
        volumes: [{ name: "tasks", emptyDir: {} }, { name: "tmp", emptyDir: {} }],
        ...gpuNodes,
      },
    },
  };
}

import { TASK_STORE_ENV, TASK_STORE_PASSWORD_ENV } from "../../manifest/task-store-secret.js";
import { dependencyUrlVariable, SERVICE_ENV } from "../../manifest/service-selection.js";
import type { BentoManifest, EnvVarManifest, ServiceManifest, TaskStoreManifest } from "../../manifest/types.js";
import { CONTAINER_PORT } from "../docker/index.js";
import { labelValue, serviceObjectName } from "./names.js";
import { containerResources } from "./resources.js";
import { taskApiNames } from "./scaling.js";

/** Seconds a pod gets past the traffic timeout to finish its last requests and exit. */
export const GRACE_MARGIN_SECONDS = 15;

/**
 * Seconds a terminating pod keeps serving before it gets SIGTERM: removing it from a Service's
 * endpoints reaches kube-proxy and ingress controllers a little after the pod is told to stop.
 */
export const PRE_STOP_SECONDS = 5;

/** The image's user and group (numeric in the Dockerfile, so the kubelet can check runAsNonRoot). */
const APP_ID = 1000;

/** Mounts over the read-only root file system: the task store and /tmp. */
const WRITABLE_PATHS = { tasks: "/var/lib/bentoc/tasks", tmp: "/tmp" } as const;

/**
 * The pod a service's Deployment runs: one container from the bento's image that passes the
 * Pod Security "restricted" profile as written (non-root, seccomp RuntimeDefault, no privilege
 * escalation, all capabilities dropped), with no API token and no service links.
 */
export function podSpec(manifest: BentoManifest, service: ServiceManifest, name: string, image: string): Record<string, unknown> {
  const { resources, traffic } = service.config;
  const gpuNodes = (resources.gpu ?? 0) > 0 && resources.gpuType ? { nodeSelector: { "nvidia.com/gpu.product": labelValue(resources.gpuType) } } : {};
  return {
    // The grace period counts from the preStop hook, so it covers the delay, then the drain.
    terminationGracePeriodSeconds: PRE_STOP_SECONDS + Math.ceil(traffic.timeout) + GRACE_MARGIN_SECONDS,
    // The bento never calls the Kubernetes API: a mounted token could only be stolen.
    automountServiceAccountToken: false,
    // Service links put <SERVICE>_PORT=tcp://<ip>:<port> in the environment for every Service in the
    // namespace (kubernetes.io/docs/concepts/services-networking/service/#environment-variables), over
    // the image's ENV: a Service named `bentoc` would set BENTOC_PORT, which the bento refuses at start-up.
    enableServiceLinks: false,
    securityContext: { runAsNonRoot: true, runAsUser: APP_ID, runAsGroup: APP_ID, fsGroup: APP_ID, seccompProfile: { type: "RuntimeDefault" } },
    containers: [container(manifest, service, name, image)],
    volumes: Object.keys(WRITABLE_PATHS).map((volume) => ({ name: volume, emptyDir: {} })),
    ...gpuNodes,
  };
}

function container(manifest: BentoManifest, service: ServiceManifest, name: string, image: string): Record<string, unknown> {
  return {
    name: "bento",
    image,
    ports: [{ name: "http", containerPort: CONTAINER_PORT, protocol: "TCP" }],
    env: environment(manifest, service, name),
    resources: containerResources(service.config.resources),
    ...probes(),
    lifecycle: { preStop: { sleep: { seconds: PRE_STOP_SECONDS } } },
    securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } },
    volumeMounts: Object.entries(WRITABLE_PATHS).map(([volume, mountPath]) => ({ name: volume, mountPath })),
  };
}

/**
 * The service's variables; then, for a service with tasks, the shared task store's from its
 * Secret; then, in a bento of several services, which one this Deployment serves and where each
 * of its dependencies is (its Kubernetes Service, in the same namespace). Ours win over the
 * service's own variables of the same name, but for the URL of another bento's service, which a
 * service may set itself (that bento runs in another namespace, say).
 */
function environment(manifest: BentoManifest, service: ServiceManifest, name: string): Record<string, unknown>[] {
  const store = manifest.taskStore !== undefined && taskApiNames(service).length > 0 ? taskStoreEnvironment(manifest.taskStore) : [];
  const ownNames = new Set(service.config.envs.map((variable) => variable.name));
  const external = (service.externalDependencies ?? []).map((other) => urlVariable(other.bento, other.service)).filter((variable) => !ownNames.has(variable.name));
  const ours = [...store, ...selectionEnvironment(manifest, service)];
  const own = service.config.envs.filter((variable) => !ours.some((entry) => entry.name === variable.name)).map((variable) => serviceVariable(variable, name));
  return [...own, ...ours, ...external];
}

/** BENTOC_DEPENDENCY_<NAME>_URL of a service, at the Kubernetes Service its bento's manifests name it by. */
function urlVariable(bento: string, service: string): { name: string; value: string } {
  return { name: dependencyUrlVariable(service), value: `http://${serviceObjectName(bento, service)}:${CONTAINER_PORT}` };
}

/** BENTOC_SERVICE and BENTOC_DEPENDENCY_<NAME>_URL, for a bento with more than one service. */
function selectionEnvironment(manifest: BentoManifest, service: ServiceManifest): { name: string; value: string }[] {
  if (manifest.services.length < 2) return [];
  return [{ name: SERVICE_ENV, value: service.name }, ...service.dependencies.map((dependency) => urlVariable(manifest.name, dependency))];
}

function serviceVariable(variable: EnvVarManifest, name: string): Record<string, unknown> {
  return variable.value !== undefined
    ? { name: variable.name, value: variable.value }
    // A variable the service needs but did not set: it comes from a Secret the deployer creates.
    : { name: variable.name, valueFrom: { secretKeyRef: { name: `${name}-env`, key: variable.name } } };
}

// Not `optional`: a pod without its store would fall back to a pod-local one while scaled out.
function taskStoreEnvironment({ secret }: TaskStoreManifest): { name: string; valueFrom: unknown }[] {
  const fromSecret = (variable: string, key: string) => ({ name: variable, valueFrom: { secretKeyRef: { name: secret.name, key } } });
  return [fromSecret(TASK_STORE_ENV, secret.key), ...(secret.passwordKey === undefined ? [] : [fromSecret(TASK_STORE_PASSWORD_ENV, secret.passwordKey)])];
}

/**
 * Readiness takes a pod out of the Service after 3 failed probes (15 s), not one slow answer;
 * liveness restarts it only after 30 s without an answer, so a pod busy with a long batch is
 * taken out of rotation well before it is killed. Startup may load models: it holds the other
 * probes off for up to 10 minutes.
 */
function probes(): Record<string, unknown> {
  const probe = (path: string, periodSeconds: number, timeoutSeconds: number, failureThreshold: number) =>
    ({ httpGet: { path, port: "http" }, periodSeconds, timeoutSeconds, failureThreshold });
  return {
    startupProbe: probe("/livez", 5, 3, 120),
    livenessProbe: probe("/livez", 10, 5, 3),
    readinessProbe: probe("/readyz", 5, 3, 3),
  };
}

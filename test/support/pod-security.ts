// The Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards/) as
// the Pod Security admission controller checks them (github.com/kubernetes/pod-security-admission,
// policy/check_*.go, at their newest versions): "baseline" forbids known privilege escalations,
// "restricted" adds the hardening rules. Linux pods; a Windows pod (`os.name: windows`) is
// excused the rules the API refuses for it, as the controller does.
import type { IContainer, IPodSpec, IProbe, ILifecycleHandler, ISecurityContext } from "kubernetes-models/v1";

export type PodSecurityLevel = "baseline" | "restricted";

/** One broken rule: the control's name, as the standard's table names it, and what breaks it. */
export interface PodSecurityViolation {
  control: string;
  detail: string;
}

type Annotations = Record<string, string> | undefined;
type Check = (spec: IPodSpec, annotations: Annotations) => string[];

const DEFAULT_CAPABILITIES = new Set([
  "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
]);
const SAFE_SYSCTLS = new Set([
  "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
  "net.ipv4.ip_unprivileged_port_start", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem",
  "net.ipv4.tcp_slow_start_after_idle", "net.ipv4.tcp_notsent_lowat",
]);
const SELINUX_TYPES = new Set(["", "container_t", "container_init_t", "container_kvm_t", "container_engine_t"]);
const RESTRICTED_VOLUME_SOURCES = new Set(["configMap", "downwardAPI", "emptyDir", "projected", "secret", "csi", "persistentVolumeClaim", "ephemeral", "image"]);
const ALLOWED_PROFILE_TYPES = new Set(["RuntimeDefault", "Localhost"]);

/** Init, regular and ephemeral containers, as the controller visits them. */
function containersOf(spec: IPodSpec): IContainer[] {
  return [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...((spec.ephemeralContainers ?? []) as IContainer[])];
}

/** Each container whose security context makes `bad` true, as "container <name>: <what>". */
function containerFindings(spec: IPodSpec, bad: (context: ISecurityContext, container: IContainer) => string | undefined): string[] {
  return containersOf(spec).flatMap((container) => {
    const finding = bad(container.securityContext ?? {}, container);
    return finding === undefined ? [] : [`container ${container.name}: ${finding}`];
  });
}

const isWindows = (spec: IPodSpec) => spec.os?.name === "windows";
const inUserNamespace = (spec: IPodSpec) => spec.hostUsers === false;

function probeHosts(probe: IProbe | undefined, where: string): string[] {
  return [probe?.httpGet?.host ? `${where}.httpGet.host` : "", probe?.tcpSocket?.host ? `${where}.tcpSocket.host` : ""].filter(Boolean);
}

function handlerHosts(handler: ILifecycleHandler | undefined, where: string): string[] {
  return [handler?.httpGet?.host ? `${where}.httpGet.host` : "", handler?.tcpSocket?.host ? `${where}.tcpSocket.host` : ""].filter(Boolean);
}

const BASELINE: Record<string, Check> = {
  "Host Namespaces": (spec) => (["hostNetwork", "hostPID", "hostIPC"] as const).filter((field) => spec[field] === true).map((field) => `${field}=true`),
  "Privileged Containers": (spec) => containerFindings(spec, (context) => (context.privileged ? "privileged=true" : undefined)),
  Capabilities: (spec) => containerFindings(spec, (context) => {
    const added = (context.capabilities?.add ?? []).filter((capability) => !DEFAULT_CAPABILITIES.has(capability));
    return added.length > 0 ? `adds ${added.join(", ")}` : undefined;
  }),
  "HostPath Volumes": (spec) => (spec.volumes ?? []).filter((volume) => volume.hostPath !== undefined).map((volume) => `volume ${volume.name} is a hostPath`),
  "Host Ports": (spec) => containersOf(spec).flatMap((container) =>
    (container.ports ?? []).filter((port) => (port.hostPort ?? 0) !== 0).map((port) => `container ${container.name}: hostPort ${port.hostPort}`)),
  "Host Probes / Lifecycle Hooks": (spec) => containersOf(spec).flatMap((container) => [
    ...probeHosts(container.livenessProbe, "livenessProbe"), ...probeHosts(container.readinessProbe, "readinessProbe"), ...probeHosts(container.startupProbe, "startupProbe"),
    ...handlerHosts(container.lifecycle?.postStart, "lifecycle.postStart"), ...handlerHosts(container.lifecycle?.preStop, "lifecycle.preStop"),
  ].map((field) => `container ${container.name}: sets ${field}`)),
  AppArmor: (spec, annotations) => [
    ...(spec.securityContext?.appArmorProfile && !ALLOWED_PROFILE_TYPES.has(spec.securityContext.appArmorProfile.type) ? [`pod appArmorProfile ${spec.securityContext.appArmorProfile.type}`] : []),
    ...containerFindings(spec, (context) => (context.appArmorProfile && !ALLOWED_PROFILE_TYPES.has(context.appArmorProfile.type) ? `appArmorProfile ${context.appArmorProfile.type}` : undefined)),
    ...Object.entries(annotations ?? {})
      .filter(([key, value]) => key.startsWith("container.apparmor.security.beta.kubernetes.io/") && !(value === "" || value === "runtime/default" || value.startsWith("localhost/")))
      .map(([key, value]) => `annotation ${key}=${value}`),
  ],
  SELinux: (spec) => {
    const bad = (options: ISecurityContext["seLinuxOptions"]) =>
      options && (!SELINUX_TYPES.has(options.type ?? "") || options.user || options.role) ? `seLinuxOptions ${JSON.stringify(options)}` : undefined;
    const pod = bad(spec.securityContext?.seLinuxOptions);
    return [...(pod ? [`pod ${pod}`] : []), ...containerFindings(spec, (context) => bad(context.seLinuxOptions))];
  },
  "/proc Mount Type": (spec) => (inUserNamespace(spec) ? [] : containerFindings(spec, (context) => (context.procMount && context.procMount !== "Default" ? `procMount ${context.procMount}` : undefined))),
  Seccomp: (spec) => seccompFindings(spec, false),
  Sysctls: (spec) => (spec.securityContext?.sysctls ?? []).filter((sysctl) => !SAFE_SYSCTLS.has(sysctl.name)).map((sysctl) => `sysctl ${sysctl.name}`),
  HostProcess: (spec) => [
    ...(spec.securityContext?.windowsOptions?.hostProcess ? ["pod windowsOptions.hostProcess=true"] : []),
    ...containerFindings(spec, (context) => (context.windowsOptions?.hostProcess ? "windowsOptions.hostProcess=true" : undefined)),
  ],
};

/**
 * Seccomp profiles other than RuntimeDefault and Localhost are refused; with `required`
 * (restricted), every container must have one, set on it or on the pod.
 */
function seccompFindings(spec: IPodSpec, required: boolean): string[] {
  const pod = spec.securityContext?.seccompProfile?.type;
  const podFindings = pod !== undefined && !ALLOWED_PROFILE_TYPES.has(pod) ? [`pod seccompProfile ${pod}`] : [];
  return [...podFindings, ...containerFindings(spec, (context) => {
    const type = context.seccompProfile?.type;
    if (type !== undefined) return ALLOWED_PROFILE_TYPES.has(type) ? undefined : `seccompProfile ${type}`;
    return required && !ALLOWED_PROFILE_TYPES.has(pod ?? "") ? "seccompProfile is not set, nor on the pod" : undefined;
  })];
}

// Where restricted tightens a baseline rule, its rule replaces that rule (the controller's
// OverrideCheckIDs): by name (Seccomp, Capabilities, /proc Mount Type), or as listed in REPLACES.
const REPLACES: Record<string, string> = { "Volume Types": "HostPath Volumes" };

const RESTRICTED: Record<string, Check> = {
  "Volume Types": (spec) => (spec.volumes ?? []).flatMap((volume) => {
    const sources = Object.keys(volume).filter((key) => key !== "name");
    return sources.every((source) => RESTRICTED_VOLUME_SOURCES.has(source)) ? [] : [`volume ${volume.name} is ${sources.join(", ")}`];
  }),
  "Privilege Escalation": (spec) => (isWindows(spec) ? [] : containerFindings(spec, (context) => (context.allowPrivilegeEscalation === false ? undefined : "allowPrivilegeEscalation is not false"))),
  "Running as Non-root": (spec) => {
    if (inUserNamespace(spec)) return [];
    const pod = spec.securityContext?.runAsNonRoot;
    return [
      ...(pod === false ? ["pod runAsNonRoot=false"] : []),
      ...containerFindings(spec, (context) => (context.runAsNonRoot === false ? "runAsNonRoot=false" : context.runAsNonRoot === undefined && pod !== true ? "runAsNonRoot is not set, nor on the pod" : undefined)),
    ];
  },
  "Running as Non-root user": (spec) => (inUserNamespace(spec) ? [] : [
    ...(spec.securityContext?.runAsUser === 0 ? ["pod runAsUser=0"] : []),
    ...containerFindings(spec, (context) => (context.runAsUser === 0 ? "runAsUser=0" : undefined)),
  ]),
  Seccomp: (spec) => (isWindows(spec) ? [] : seccompFindings(spec, true)),
  Capabilities: (spec) => (isWindows(spec) ? [] : containerFindings(spec, (context) => {
    const { add = [], drop = [] } = context.capabilities ?? {};
    if (!drop.includes("ALL")) return 'capabilities.drop does not include "ALL"';
    const added = add.filter((capability) => capability !== "NET_BIND_SERVICE");
    return added.length > 0 ? `adds ${added.join(", ")}` : undefined;
  })),
  // No other mount type in a user namespace either.
  "/proc Mount Type": (spec) => containerFindings(spec, (context) => (context.procMount && context.procMount !== "Default" ? `procMount ${context.procMount}` : undefined)),
};

/** Every rule of `level` the pod breaks; [] when the Pod Security admission controller would admit it at that level. */
export function podSecurityViolations(spec: IPodSpec, level: PodSecurityLevel, annotations?: Annotations): PodSecurityViolation[] {
  const replaced = new Set(Object.values(REPLACES));
  const checks = level === "baseline" ? BASELINE : { ...Object.fromEntries(Object.entries(BASELINE).filter(([control]) => !replaced.has(control))), ...RESTRICTED };
  return Object.entries(checks).flatMap(([control, check]) => check(spec, annotations).map((detail) => ({ control, detail })));
}

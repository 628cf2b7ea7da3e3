import { Service } from "kubernetes-models/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { GRACE_MARGIN_SECONDS, PRE_STOP_SECONDS, generateKubernetes, kubernetesNotes } from "../../generators/k8s/index.js";
import type { BentoManifest } from "../../manifest/types.js";
import { podSecurityViolations } from "../support/pod-security.js";
import { cpuManifest, gpuManifest } from "./manifests.js";

const MODELS = { Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget } as const;

/** Every object of every generated file, read back from YAML as a YAML 1.1 reader (kubectl) would, and validated against the Kubernetes API schema. */
function validatedObjects(manifest: BentoManifest): Map<string, any[]> {
  const out = new Map<string, any[]>();
  for (const [file, text] of generateKubernetes(manifest)) {
    const objects = parseAllDocuments(text, { version: "1.1" }).map((document) => {
      expect(document.errors).toEqual([]);
      return document.toJS() as { kind: keyof typeof MODELS };
    });
    for (const object of objects) {
      const Model = MODELS[object.kind];
      expect(Model, `unexpected kind ${object.kind}`).toBeDefined();
      new Model(object as never).validate(); // throws with the schema's complaint
    }
    out.set(file, objects);
  }
  return out;
}

/** The objects of one file by kind. */
function objectsOf(manifest: BentoManifest, file: string): Record<keyof typeof MODELS, any> {
  const objects = validatedObjects(manifest).get(file);
  expect(objects, `no ${file}`).toBeDefined();
  return Object.fromEntries(objects!.map((object) => [object.kind, object])) as Record<keyof typeof MODELS, any>;
}

/** A manifest named `name` whose one service is `service`, with no task API. */
function oneServiceManifest(name: string, service: string): BentoManifest {
  const manifest = cpuManifest();
  manifest.name = name;
  manifest.services = [{ ...manifest.services[1]!, name: service }];
  manifest.entryService = service;
  return manifest;
}

describe("Kubernetes manifests", () => {
  test("one file per service with a Deployment, a Service, an HPA and a PodDisruptionBudget, each valid", () => {
    const files = validatedObjects(cpuManifest());
    expect([...files.keys()]).toEqual(["k8s/iris-shop-iris-classifier.yaml", "k8s/iris-shop-tokenizer.yaml"]);
    for (const objects of files.values()) expect(objects.map((object) => object.kind)).toEqual(["Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"]);
  });

  test("the Deployment takes resources, probes, grace period and env from the manifest", () => {
    const { Deployment: deployment, Service: service, HorizontalPodAutoscaler: hpa } = objectsOf(gpuManifest("12"), "k8s/iris-shop-iris-classifier.yaml");
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(container.resources).toEqual({ requests: { cpu: "2", memory: "1Gi" }, limits: { memory: "1Gi", "nvidia.com/gpu": "1" } });
    expect(pod.nodeSelector).toEqual({ "nvidia.com/gpu.product": "nvidia-tesla-t4" });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/livez", port: "http" });
    expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
    expect(container.ports).toEqual([{ name: "http", containerPort: 3000, protocol: "TCP" }]);
    expect(pod.terminationGracePeriodSeconds).toBe(PRE_STOP_SECONDS + 30 + GRACE_MARGIN_SECONDS);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    // "on" and "0x10" stay strings through a YAML 1.1 reader.
    expect(container.env).toEqual([
      { name: "MODE", value: "on" },
      { name: "THRESHOLD", value: "0x10" },
      { name: "EMPTY", valueFrom: { secretKeyRef: { name: "iris-shop-iris-classifier-env", key: "EMPTY" } } },
      // A bento of several services: this Deployment serves one, and reaches its dependency through that one's Service.
      { name: "BENTOC_SERVICE", value: "IrisClassifier" },
      { name: "BENTOC_DEPENDENCY_TOKENIZER_URL", value: "http://iris-shop-tokenizer:3000" },
    ]);
    expect(container.image).toBe("iris-shop:0000000000000000");
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports).toEqual([{ name: "http", port: 3000, targetPort: "http", protocol: "TCP" }]);
    expect(hpa.apiVersion).toBe("autoscaling/v2");
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name });
    // The autoscaler owns the replica count; a count in the Deployment would reset it on every apply.
    expect(deployment.spec).not.toHaveProperty("replicas");
  });

  test("a CPU service asks for no GPU; fractional CPU becomes millicores; a short timeout a short grace period", () => {
    const manifest = cpuManifest();
    manifest.services[1]!.config.resources = { cpu: 0.25 };
    const pod = objectsOf(manifest, "k8s/iris-shop-tokenizer.yaml").Deployment.spec.template.spec;
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "512Mi" } });
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.terminationGracePeriodSeconds).toBe(PRE_STOP_SECONDS + 5 + GRACE_MARGIN_SECONDS);
  });

  test("names that Kubernetes would refuse are mapped to valid ones", () => {
    const manifest = cpuManifest();
    manifest.name = "9.my_bento";
    manifest.services[0]!.name = "Very_Long_Service_Name_That_Goes_On_And_On_Past_Sixty_Three_Characters";
    const files = validatedObjects(manifest);
    for (const [file, objects] of files) {
      for (const object of objects) expect(object.metadata.name).toMatch(/^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$/);
      expect(file).toMatch(/^k8s\/[a-z][a-z0-9-]*\.yaml$/);
    }
  });

  test("a service named like its bento is named once (notes, not notes-notes); other services keep both names", () => {
    expect([...validatedObjects(oneServiceManifest("notes", "Notes")).keys()]).toEqual(["k8s/notes.yaml"]);
    const { Deployment: deployment, Service: service } = objectsOf(oneServiceManifest("iris-shop", "IrisShop"), "k8s/iris-shop.yaml");
    expect(deployment.metadata.name).toBe("iris-shop");
    expect(service.metadata.name).toBe("iris-shop");
    // One service is not reason enough to drop its name: a second service would rename the first.
    expect([...validatedObjects(oneServiceManifest("notes", "Summarizer")).keys()]).toEqual(["k8s/notes-summarizer.yaml"]);
  });

  test("the schema check is real: a broken object fails it", () => {
    const { Deployment: deployment, PodDisruptionBudget: budget } = objectsOf(cpuManifest(), "k8s/iris-shop-tokenizer.yaml");
    deployment.spec.template.spec.containers[0].ports[0].containerPort = "http";
    expect(() => new Deployment(deployment).validate()).toThrow();
    budget.spec.unhealthyPodEvictionPolicy = "Never";
    expect(() => new PodDisruptionBudget(budget).validate()).toThrow();
  });
});

describe("Kubernetes manifests a cluster admin applies as they are", () => {
  const manifests = { cpu: cpuManifest(), gpu: gpuManifest("12") };

  test.each(Object.keys(manifests) as (keyof typeof manifests)[])("every %s pod passes Pod Security 'restricted' as generated", (kind) => {
    for (const [file, objects] of validatedObjects(manifests[kind])) {
      const template = objects.find((object) => object.kind === "Deployment").spec.template;
      expect(podSecurityViolations(template.spec, "restricted", template.metadata.annotations), file).toEqual([]);
      expect(template.spec.securityContext.seccompProfile).toEqual({ type: "RuntimeDefault" });
      expect(template.spec.containers[0].securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } });
    }
  });

  test("no service-account token, and no service links that would set BENTOC_PORT=tcp://… over the image's ENV", () => {
    for (const objects of validatedObjects(cpuManifest()).values()) {
      const pod = objects.find((object) => object.kind === "Deployment").spec.template.spec;
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.enableServiceLinks).toBe(false);
    }
  });

  test("a preStop sleep lets endpoints stop routing before SIGTERM, within a grace period that still drains the traffic timeout", () => {
    const pod = objectsOf(cpuManifest(), "k8s/iris-shop-iris-classifier.yaml").Deployment.spec.template.spec;
    expect(pod.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: PRE_STOP_SECONDS } } });
    expect(PRE_STOP_SECONDS).toBeGreaterThan(0);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(PRE_STOP_SECONDS + 30 + GRACE_MARGIN_SECONDS);
  });

  test("probes do not flap: readiness takes 3 failures, liveness waits longer than readiness, startup allows minutes", () => {
    const container = objectsOf(cpuManifest(), "k8s/iris-shop-tokenizer.yaml").Deployment.spec.template.spec.containers[0];
    const budget = (probe: any) => probe.periodSeconds * probe.failureThreshold;
    expect(container.readinessProbe.failureThreshold).toBeGreaterThanOrEqual(3);
    expect(container.livenessProbe.failureThreshold).toBeGreaterThanOrEqual(3);
    expect(budget(container.livenessProbe)).toBeGreaterThan(budget(container.readinessProbe));
    expect(budget(container.startupProbe)).toBeGreaterThanOrEqual(600);
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe]) expect(probe.timeoutSeconds).toBeLessThan(probe.periodSeconds);
  });

  test("a PodDisruptionBudget per Deployment that never blocks a drain, even at one replica", () => {
    for (const objects of validatedObjects(cpuManifest()).values()) {
      const [deployment, budget] = ["Deployment", "PodDisruptionBudget"].map((kind) => objects.find((object) => object.kind === kind));
      expect(budget.apiVersion).toBe("policy/v1");
      expect(budget.metadata.name).toBe(deployment.metadata.name);
      expect(budget.spec).toEqual({ maxUnavailable: 1, selector: deployment.spec.selector, unhealthyPodEvictionPolicy: "AlwaysAllow" });
      expect(budget.spec).not.toHaveProperty("minAvailable");
    }
  });

  test("a service with a task API scales to 1 replica (tasks live in the pod); the others to 10", () => {
    const files = validatedObjects(cpuManifest());
    const hpaOf = (file: string) => files.get(file)!.find((object) => object.kind === "HorizontalPodAutoscaler").spec;
    expect(hpaOf("k8s/iris-shop-iris-classifier.yaml")).toMatchObject({ minReplicas: 1, maxReplicas: 1 });
    expect(hpaOf("k8s/iris-shop-tokenizer.yaml")).toMatchObject({ minReplicas: 1, maxReplicas: 10 });
  });

  test("without a shared task store, a task service's pod reads no BENTOC_TASK_STORE", () => {
    for (const objects of validatedObjects(cpuManifest()).values()) {
      const env = objects.find((object) => object.kind === "Deployment").spec.template.spec.containers[0].env;
      expect(env.map((variable: any) => variable.name)).not.toContain("BENTOC_TASK_STORE");
    }
  });

  test("each Deployment of a bento of several services serves only its own, and finds its dependencies by their Services; a bento of one service sets neither", () => {
    const tokenizer = objectsOf(cpuManifest(), "k8s/iris-shop-tokenizer.yaml").Deployment.spec.template.spec.containers[0].env;
    expect(tokenizer.filter((variable: { name: string }) => variable.name.startsWith("BENTOC_"))).toEqual([{ name: "BENTOC_SERVICE", value: "Tokenizer" }]);
    const one = cpuManifest();
    const single = { ...one, services: [{ ...one.services[0]!, dependencies: [] }] };
    const files = generateKubernetes(single);
    expect([...files.values()].join("\n")).not.toMatch(/BENTOC_SERVICE|BENTOC_DEPENDENCY_/);
  });

  describe("with a shared task store's Secret", () => {
    const withStore = (secret: NonNullable<BentoManifest["taskStore"]>["secret"]) => ({ ...cpuManifest(), taskStore: { secret } });

    test("a task service reads BENTOC_TASK_STORE from the Secret and scales to 10; a service without tasks is as before", () => {
      const files = validatedObjects(withStore({ name: "bento-redis", key: "url" }));
      const [tasks, plain] = ["k8s/iris-shop-iris-classifier.yaml", "k8s/iris-shop-tokenizer.yaml"].map((file) =>
        Object.fromEntries(files.get(file)!.map((object) => [object.kind, object])));
      expect(tasks!.HorizontalPodAutoscaler.spec).toMatchObject({ minReplicas: 1, maxReplicas: 10 });
      expect(tasks!.Deployment.spec.template.spec.containers[0].env).toEqual([
        { name: "MODE", value: "on" },
        { name: "THRESHOLD", value: "0x10" },
        { name: "EMPTY", valueFrom: { secretKeyRef: { name: "iris-shop-iris-classifier-env", key: "EMPTY" } } },
        { name: "BENTOC_TASK_STORE", valueFrom: { secretKeyRef: { name: "bento-redis", key: "url" } } },
        { name: "BENTOC_SERVICE", value: "IrisClassifier" },
        { name: "BENTOC_DEPENDENCY_TOKENIZER_URL", value: "http://iris-shop-tokenizer:3000" },
      ]);
      expect(plain!.HorizontalPodAutoscaler.spec).toMatchObject({ minReplicas: 1, maxReplicas: 10 });
      expect(plain!.Deployment.spec.template.spec.containers[0].env).toEqual(objectsOf(cpuManifest(), "k8s/iris-shop-tokenizer.yaml").Deployment.spec.template.spec.containers[0].env);
      expect(kubernetesNotes({ ...withStore({ name: "bento-redis", key: "url" }), docker: { ...cpuManifest().docker, imageRegistry: "ghcr.io/acme" } })).toEqual([]);
    });

    test("a password key adds BENTOC_TASK_STORE_PASSWORD from the same Secret, over a variable of the service's with that name", () => {
      const manifest = withStore({ name: "redis.cache", key: "redis-url", passwordKey: "redis-password" });
      manifest.services[0]!.config.envs.push({ name: "BENTOC_TASK_STORE", value: "memory" });
      const env = objectsOf(manifest, "k8s/iris-shop-iris-classifier.yaml").Deployment.spec.template.spec.containers[0].env;
      expect(env.filter((variable: any) => variable.name.startsWith("BENTOC_TASK_STORE"))).toEqual([
        { name: "BENTOC_TASK_STORE", valueFrom: { secretKeyRef: { name: "redis.cache", key: "redis-url" } } },
        { name: "BENTOC_TASK_STORE_PASSWORD", valueFrom: { secretKeyRef: { name: "redis.cache", key: "redis-password" } } },
      ]);
    });
  });

  test("the image is named under the bento's registry", () => {
    const manifest = cpuManifest();
    manifest.docker.imageRegistry = "registry.example.com:5000/ml";
    for (const objects of validatedObjects(manifest).values()) {
      expect(objects[0].spec.template.spec.containers[0].image).toBe("registry.example.com:5000/ml/iris-shop:0000000000000000");
    }
  });
});

describe("kubernetesNotes", () => {
  test("say when the image has no registry, and why a task service stays at one replica", () => {
    expect(kubernetesNotes(cpuManifest())).toEqual([
      "k8s/*.yaml name the image iris-shop:0000000000000000 with no registry, so a cluster cannot pull it; " +
        "set one with --image-registry <host/path>, BENTOC_IMAGE_REGISTRY or docker.imageRegistry in bentoc.yaml",
      "service IrisClassifier runs as 1 replica in Kubernetes (maxReplicas: 1) because it has task APIs (train): " +
        "tasks live in each pod's own store, so another replica would not know them; to scale it, put a shared store's URL (redis://host:port/db) " +
        "in a Secret and name it with --task-store-secret <name>[:<key>], BENTOC_TASK_STORE_SECRET or taskStore.secret in bentoc.yaml",
    ]);
  });

  test("say nothing for a bento with a registry and no tasks", () => {
    const manifest = oneServiceManifest("notes", "Notes");
    manifest.docker.imageRegistry = "ghcr.io/acme";
    expect(kubernetesNotes(manifest)).toEqual([]);
  });
});

describe("the Pod Security checker is honest", () => {
  /** The generated tokenizer pod with one change made by `edit`. */
  function podWith(edit: (pod: any, container: any) => void): any {
    const pod = objectsOf(cpuManifest(), "k8s/iris-shop-tokenizer.yaml").Deployment.spec.template.spec;
    edit(pod, pod.containers[0]);
    return pod;
  }
  const controls = (pod: any, level: "baseline" | "restricted", annotations?: Record<string, string>) =>
    [...new Set(podSecurityViolations(pod, level, annotations).map((violation) => violation.control))];

  test.each<[string, (pod: any, container: any) => void, string[], string[]]>([
    ["no seccompProfile", (pod) => delete pod.securityContext.seccompProfile, [], ["Seccomp"]],
    ["seccomp RuntimeDefault on the container only", (pod, container) => { delete pod.securityContext.seccompProfile; container.securityContext.seccompProfile = { type: "RuntimeDefault" }; }, [], []],
    ["seccomp Unconfined", (pod) => (pod.securityContext.seccompProfile = { type: "Unconfined" }), ["Seccomp"], ["Seccomp"]],
    ["runAsNonRoot nowhere", (pod, container) => { delete pod.securityContext.runAsNonRoot; delete container.securityContext.runAsNonRoot; }, [], ["Running as Non-root"]],
    ["runAsNonRoot on the pod only", (_pod, container) => delete container.securityContext.runAsNonRoot, [], []],
    ["runAsUser 0", (_pod, container) => (container.securityContext.runAsUser = 0), [], ["Running as Non-root user"]],
    ["privilege escalation allowed", (_pod, container) => delete container.securityContext.allowPrivilegeEscalation, [], ["Privilege Escalation"]],
    ["capabilities not dropped", (_pod, container) => delete container.securityContext.capabilities, [], ["Capabilities"]],
    ["NET_BIND_SERVICE added", (_pod, container) => (container.securityContext.capabilities.add = ["NET_BIND_SERVICE"]), [], []],
    ["NET_RAW added", (_pod, container) => (container.securityContext.capabilities.add = ["NET_RAW"]), ["Capabilities"], ["Capabilities"]],
    ["SYS_ADMIN added", (_pod, container) => (container.securityContext.capabilities.add = ["SYS_ADMIN"]), ["Capabilities"], ["Capabilities"]],
    ["privileged", (_pod, container) => (container.securityContext.privileged = true), ["Privileged Containers"], ["Privileged Containers"]],
    ["host network", (pod) => (pod.hostNetwork = true), ["Host Namespaces"], ["Host Namespaces"]],
    ["host PID", (pod) => (pod.hostPID = true), ["Host Namespaces"], ["Host Namespaces"]],
    ["a hostPath volume", (pod) => pod.volumes.push({ name: "host", hostPath: { path: "/" } }), ["HostPath Volumes"], ["Volume Types"]],
    ["an nfs volume", (pod) => pod.volumes.push({ name: "share", nfs: { server: "nfs", path: "/" } }), [], ["Volume Types"]],
    ["a host port", (_pod, container) => (container.ports[0].hostPort = 3000), ["Host Ports"], ["Host Ports"]],
    ["a probe on another host", (_pod, container) => (container.readinessProbe.httpGet.host = "10.0.0.1"), ["Host Probes / Lifecycle Hooks"], ["Host Probes / Lifecycle Hooks"]],
    ["AppArmor unconfined", (_pod, container) => (container.securityContext.appArmorProfile = { type: "Unconfined" }), ["AppArmor"], ["AppArmor"]],
    ["a custom SELinux user", (pod) => (pod.securityContext.seLinuxOptions = { user: "system_u" }), ["SELinux"], ["SELinux"]],
    ["an unmasked /proc", (_pod, container) => (container.securityContext.procMount = "Unmasked"), ["/proc Mount Type"], ["/proc Mount Type"]],
    ["an unmasked /proc in a user namespace", (pod, container) => { pod.hostUsers = false; container.securityContext.procMount = "Unmasked"; }, [], ["/proc Mount Type"]],
    ["an unsafe sysctl", (pod) => (pod.securityContext.sysctls = [{ name: "kernel.msgmax", value: "1" }]), ["Sysctls"], ["Sysctls"]],
    ["a Windows pod, which cannot set seccomp, capabilities or privilege escalation", (pod, container) => {
      pod.os = { name: "windows" };
      delete pod.securityContext.seccompProfile;
      delete container.securityContext.capabilities;
      delete container.securityContext.allowPrivilegeEscalation;
    }, [], []],
    ["a safe sysctl", (pod) => (pod.securityContext.sysctls = [{ name: "net.ipv4.tcp_keepalive_time", value: "60" }]), [], []],
  ])("%s", (_name, edit, baseline, restricted) => {
    const pod = podWith(edit);
    expect(controls(pod, "baseline")).toEqual(baseline);
    expect(controls(pod, "restricted")).toEqual(restricted);
  });

  test("an AppArmor annotation other than runtime/default or localhost/* breaks baseline", () => {
    const pod = podWith(() => undefined);
    expect(controls(pod, "baseline", { "container.apparmor.security.beta.kubernetes.io/bento": "unconfined" })).toEqual(["AppArmor"]);
    expect(controls(pod, "baseline", { "container.apparmor.security.beta.kubernetes.io/bento": "localhost/bento" })).toEqual([]);
  });

  test("an automounted service-account token is no Pod Security rule (the generator turns it off for its own reasons)", () => {
    expect(controls(podWith((pod) => (pod.automountServiceAccountToken = true)), "restricted")).toEqual([]);
    expect(controls(podWith((pod) => (pod.enableServiceLinks = true)), "restricted")).toEqual([]);
  });

  test("the default pod Kubernetes would run with nothing set passes baseline only", () => {
    const bare = { containers: [{ name: "app", image: "app:1" }] };
    expect(controls(bare, "baseline")).toEqual([]);
    expect(controls(bare, "restricted").sort()).toEqual(["Capabilities", "Privilege Escalation", "Running as Non-root", "Seccomp"]);
  });
});

import { Service } from "kubernetes-models/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { GRACE_MARGIN_SECONDS, generateKubernetes } from "../../generators/k8s/index.js";
import type { BentoManifest } from "../../manifest/types.js";
import { cpuManifest, gpuManifest } from "./manifests.js";

const MODELS = { Deployment, Service, HorizontalPodAutoscaler } as const;

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

describe("Kubernetes manifests", () => {
  test("one file per service with a Deployment, a Service and an HPA, each valid", () => {
    const files = validatedObjects(cpuManifest());
    expect([...files.keys()]).toEqual(["k8s/iris-shop-iris-classifier.yaml", "k8s/iris-shop-tokenizer.yaml"]);
    for (const objects of files.values()) expect(objects.map((object) => object.kind)).toEqual(["Deployment", "Service", "HorizontalPodAutoscaler"]);
  });

  test("the Deployment takes resources, probes, grace period and env from the manifest", () => {
    const [deployment, service, hpa] = validatedObjects(gpuManifest("12")).get("k8s/iris-shop-iris-classifier.yaml")!;
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(container.resources).toEqual({ requests: { cpu: "2", memory: "1Gi" }, limits: { memory: "1Gi", "nvidia.com/gpu": "1" } });
    expect(pod.nodeSelector).toEqual({ "nvidia.com/gpu.product": "nvidia-tesla-t4" });
    expect(container.livenessProbe.httpGet).toEqual({ path: "/livez", port: "http" });
    expect(container.readinessProbe.httpGet).toEqual({ path: "/readyz", port: "http" });
    expect(container.ports).toEqual([{ name: "http", containerPort: 3000, protocol: "TCP" }]);
    expect(pod.terminationGracePeriodSeconds).toBe(30 + GRACE_MARGIN_SECONDS);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    // "on" and "0x10" stay strings through a YAML 1.1 reader.
    expect(container.env).toEqual([
      { name: "MODE", value: "on" },
      { name: "THRESHOLD", value: "0x10" },
      { name: "EMPTY", valueFrom: { secretKeyRef: { name: "iris-shop-iris-classifier-env", key: "EMPTY" } } },
    ]);
    expect(container.image).toBe("iris-shop:0000000000000000");
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports).toEqual([{ name: "http", port: 3000, targetPort: "http", protocol: "TCP" }]);
    expect(hpa.apiVersion).toBe("autoscaling/v2");
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name });
  });

  test("a CPU service asks for no GPU; fractional CPU becomes millicores; a short timeout a short grace period", () => {
    const manifest = cpuManifest();
    manifest.services[1]!.config.resources = { cpu: 0.25 };
    const [deployment] = validatedObjects(manifest).get("k8s/iris-shop-tokenizer.yaml")!;
    const pod = deployment.spec.template.spec;
    expect(pod.containers[0].resources).toEqual({ requests: { cpu: "250m", memory: "512Mi" }, limits: { memory: "512Mi" } });
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.terminationGracePeriodSeconds).toBe(5 + GRACE_MARGIN_SECONDS);
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

  test("the schema check is real: a broken object fails it", () => {
    const [deployment] = validatedObjects(cpuManifest()).get("k8s/iris-shop-tokenizer.yaml")!;
    deployment.spec.template.spec.containers[0].ports[0].containerPort = "http";
    expect(() => new Deployment(deployment).validate()).toThrow();
  });
});

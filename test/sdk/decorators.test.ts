import { describe, expect, it } from "vitest";
import { api, model, onShutdown, onStartup, service, serviceMetadataOf, task } from "../../sdk/index.js";

@service({ workers: 2, traffic: { timeout: 10 } })
class Recorded {
  @api({ route: "/sum", batchable: true })
  async sum(values: number[]): Promise<number[]> {
    return values;
  }

  @task()
  async train(): Promise<void> {}

  @onStartup
  async warm(): Promise<void> {}

  @onShutdown
  async close(): Promise<void> {}

  plain(): number {
    return 1;
  }
}

@service()
class Child extends Recorded {
  @api()
  async extra(): Promise<string> {
    return "x";
  }
}

describe("SDK decorators", () => {
  it("record the service, its endpoints and hooks as metadata, and leave methods callable", async () => {
    expect(serviceMetadataOf(Recorded)).toEqual({
      options: { workers: 2, traffic: { timeout: 10 } },
      endpoints: [
        { kind: "api", method: "sum", options: { route: "/sum", batchable: true } },
        { kind: "task", method: "train", options: {} },
      ],
      onStartup: ["warm"],
      onShutdown: ["close"],
    });
    expect(await new Recorded().sum([1, 2])).toEqual([1, 2]);
  });

  it("keep a subclass's endpoints separate from its parent's", () => {
    expect(serviceMetadataOf(Child)?.endpoints.map((endpoint) => endpoint.method)).toEqual(["extra"]);
    expect(serviceMetadataOf(Recorded)?.endpoints.map((endpoint) => endpoint.method)).toEqual(["sum", "train"]);
  });

  it("say nothing about an undecorated class", () => {
    expect(serviceMetadataOf(class Plain {})).toBeUndefined();
  });
});

describe("model()", () => {
  it("defaults the version to latest and refuses malformed tags", () => {
    expect(model("iris")).toEqual({ kind: "store", tag: "iris:latest" });
    expect(model("iris:v1")).toEqual({ kind: "store", tag: "iris:v1" });
    expect(() => model("Iris Model")).toThrow(/a tag is "name" or "name:version"/);
  });
});

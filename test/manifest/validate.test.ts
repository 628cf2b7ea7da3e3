import { describe, expect, it } from "vitest";
import { ManifestError, readBentoYaml, validateManifest, writeBentoYaml, type BentoManifest } from "../../manifest/index.js";
import { sampleManifest } from "./sample-manifest.js";

/** Reads `manifest` back from bento.yaml text and returns the problems it was refused for. */
function problemsOf(manifest: unknown, source = "fixtures/bad/bento.yaml"): string[] {
  const text = writeBentoYaml(manifest as BentoManifest);
  try {
    readBentoYaml(text, source);
  } catch (error) {
    expect(error).toBeInstanceOf(ManifestError);
    const manifestError = error as ManifestError;
    expect(manifestError.message).toContain(source);
    expect(manifestError.message).toContain(manifestError.problems[0]);
    return manifestError.problems;
  }
  throw new Error("expected readBentoYaml to throw a ManifestError");
}

function mutated(change: (manifest: BentoManifest) => void): BentoManifest {
  const manifest = sampleManifest();
  change(manifest);
  return manifest;
}

describe("validateManifest", () => {
  it("accepts the sample manifest", () => {
    const result = validateManifest(sampleManifest());
    expect(result).toEqual({ ok: true, manifest: sampleManifest() });
  });

  it("refuses what is not a manifest at all", () => {
    expect(validateManifest(null)).toEqual({ ok: false, problems: ["(root): must be object"] });
    expect(validateManifest([])).toMatchObject({ ok: false });
  });

  it("names a missing required field by its path", () => {
    const problems = problemsOf(mutated((m) => delete (m.services[0]!.apis[1] as Partial<typeof m.services[0]["apis"][1]>).route));
    expect(problems).toEqual(["services/0/apis/1/route: is required but missing"]);
  });

  it("reports a route that is not a path", () => {
    for (const route of ["classify", "/classify/", "/a b", "/a//b", "/"]) {
      const problems = problemsOf(mutated((m) => { m.services[0]!.apis[1]!.route = route; }));
      expect(problems).toEqual(['services/0/apis/1/route: must match pattern "^(/[A-Za-z0-9._~-]+)+$"']);
    }
  });

  it("reports an unknown kind with the allowed ones", () => {
    const problems = problemsOf(mutated((m) => { (m.services[1]!.apis[0] as { kind: string }).kind = "rpc"; }));
    expect(problems).toEqual(['services/1/apis/0/kind: must be one of "unary", "stream", "task", "websocket"']);
  });

  it("reports unknown properties, wrong types and bad formats", () => {
    const problems = problemsOf(mutated((m) => {
      (m.services[0]!.config as unknown as Record<string, unknown>).replicas = 3;
      (m as { manifestVersion: number }).manifestVersion = 2;
      m.creationTime = "yesterday";
      m.services[0]!.config.workers = 0;
      (m.services[1]!.config as { workers: unknown }).workers = "gpu";
    }));
    expect(problems).toEqual(expect.arrayContaining([
      "services/0/config/replicas: is not a known property here",
      "manifestVersion: must be 1",
      'creationTime: must match format "date-time"',
      "services/0/config/workers: must be >= 1",
      'services/1/config/workers: must match pattern "^cpu$"',
    ]));
  });

  it("checks a model tag by its source", () => {
    const problems = problemsOf(mutated((m) => {
      m.models[0]!.tag = "Iris/v1";
      m.models[1]!.tag = "org/name:v1";
      m.services[0]!.models = ["Iris/v1", "org/name:v1"];
    }));
    expect(problems).toEqual([
      expect.stringMatching(/^models\/0\/tag: must match pattern/),
      expect.stringMatching(/^models\/1\/tag: must match pattern/),
    ]);
  });

  it("takes task options on a task only, as whole numbers in range", () => {
    expect(validateManifest(mutated((m) => { m.services[0]!.apis[2]!.task = { retriesOnLoss: 10, retentionS: 315_360_000 }; }))).toMatchObject({ ok: true });
    const problems = problemsOf(mutated((m) => {
      m.services[0]!.apis[2]!.task = { retriesOnLoss: 11, retentionS: 0.5 };
      m.services[0]!.apis[0]!.task = { retriesOnLoss: 1 };
      m.services[1]!.apis[0]!.task = {};
    }));
    expect(problems).toEqual(expect.arrayContaining([
      "services/0/apis/2/task/retriesOnLoss: must be <= 10",
      "services/0/apis/2/task/retentionS: must be integer",
      expect.stringMatching(/^services\/1\/apis\/0\/task: must NOT have fewer than 1 properties/),
    ]));
    // Only once the shape is right does the kind check run.
    expect(problemsOf(mutated((m) => { m.services[0]!.apis[0]!.task = { retriesOnLoss: 1 }; }))).toEqual([
      'services/0/apis/0/task: task options on an API of kind "unary"; only tasks take them',
    ]);
  });

  it("reports an image registry outside Docker's reference grammar", () => {
    expect(problemsOf(mutated((m) => { m.docker.imageRegistry = "ghcr.io/Acme"; }))).toEqual([
      'docker/imageRegistry: "ghcr.io/Acme" has upper-case letters after the host; image paths are lower case (e.g. ghcr.io/acme or registry.example.com:5000/ml)',
    ]);
    expect(validateManifest(mutated((m) => { m.docker.imageRegistry = "ghcr.io/acme"; }))).toMatchObject({ ok: true });
  });

  it("reports a dangling $ref wherever it is", () => {
    const problems = problemsOf(mutated((m) => {
      m.services[0]!.apis[0]!.output.schema = { type: "array", items: { $ref: "#/$defs/Specie" } };
      m.$defs.Tree = { type: "object", properties: { children: { type: "array", items: { $ref: "#/$defs/Trees" } } } };
    }));
    expect(problems).toEqual([
      '$defs/Tree/properties/children/items/$ref: "#/$defs/Trees" does not resolve: $defs has no "Trees"',
      'services/0/apis/0/output/schema/items/$ref: "#/$defs/Specie" does not resolve: $defs has no "Specie"',
    ]);
  });

  it("resolves escaped and deep references, and refuses references outside $defs", () => {
    const ok = mutated((m) => {
      m.$defs["a/b~c"] = { type: "string" };
      m.$defs.Uses = {
        anyOf: [
          { $ref: "#/$defs/Page%3CTree%3E" },
          { $ref: "#/$defs/a~1b~0c" },
          { $ref: "#/$defs/Tree/properties/children" },
        ],
        oneOf: [{ $ref: "#/$defs/Tree" }],
        discriminator: { propertyName: "kind", mapping: { tree: "#/$defs/Tree" } },
        // Data, not references.
        default: { $ref: "#/$defs/Nope" },
        examples: [{ $ref: "nowhere" }],
      };
    });
    expect(validateManifest(ok)).toMatchObject({ ok: true });

    const problems = problemsOf(mutated((m) => {
      m.$defs.Uses = {
        allOf: [{ $ref: "https://example.com/schema.json" }, { $ref: "#/$defs/Tree/properties/nope" }],
        discriminator: { propertyName: "kind", mapping: { tree: "#/$defs/Gone" } },
      };
    }));
    expect(problems).toEqual([
      '$defs/Uses/allOf/0/$ref: must point into the manifest\'s $defs ("#/$defs/Name"), not "https://example.com/schema.json"',
      '$defs/Uses/allOf/1/$ref: "#/$defs/Tree/properties/nope" does not resolve: $defs/Tree has nothing at "nope"',
      '$defs/Uses/discriminator/mapping/tree: "#/$defs/Gone" does not resolve: $defs has no "Gone"',
    ]);
  });

  it("reports a duplicate API route, and routes that collide with a task's or the server's", () => {
    const problems = problemsOf(mutated((m) => {
      const apis = m.services[0]!.apis;
      apis[1]!.route = "/classify";
      apis.push({ ...structuredClone(apis[0]!), name: "submitTrain", method: "submitTrain", route: "/train/submit" });
      apis.push({ ...structuredClone(apis[0]!), name: "metrics", method: "metrics", route: "/metrics" });
    }));
    expect(problems).toEqual([
      "services/0/apis/1/route: route /classify is already taken by apis/0 (classify)",
      "services/0/apis/3/route: route /train/submit is already taken by apis/2 (train)",
      "services/0/apis/4/route: route /metrics is already taken by the server itself",
    ]);
  });

  it("reports duplicate service and API names, and names that lead nowhere", () => {
    const problems = problemsOf(mutated((m) => {
      m.services[1]!.apis[1]!.name = "tokenize";
      m.services[1]!.dependencies = ["Tokenizer", "Ghost"];
      m.services.push({ ...structuredClone(m.services[1]!), apis: [] });
      m.entryService = "Iris";
      m.services[0]!.models.push("resnet:v2");
    }));
    expect(problems).toEqual([
      'services/2/name: duplicate service name "Tokenizer" (also services/1/name)',
      'entryService: names no service; the services are "IrisClassifier", "Tokenizer", "Tokenizer"',
      'services/0/models/2: model "resnet:v2" is not listed in the bento\'s models',
      "services/1/dependencies/0: a service cannot depend on itself",
      'services/1/dependencies/1: names no service in this bento: "Ghost"',
      'services/1/apis/1/name: duplicate API name "tokenize" (also apis/0/name)',
      "services/2/dependencies/0: a service cannot depend on itself",
      'services/2/dependencies/1: names no service in this bento: "Ghost"',
    ]);
  });

  it("reports parameters that share a name or a position", () => {
    const problems = problemsOf(mutated((m) => {
      const input = m.services[0]!.apis[1]!.input;
      input.parameters[1]!.name = "prompt";
      input.parameters[2]!.index = 0;
      input.contextIndex = 3;
    }));
    expect(problems).toEqual([
      'services/0/apis/1/input/parameters/1/name: duplicate parameter "prompt" (also parameters/0/name)',
      "services/0/apis/1/input/parameters/2/index: parameter position 0 is also parameters/0/index",
      "services/0/apis/1/input/contextIndex: position 3 is also a parameter's index",
    ]);
  });
});

describe("readBentoYaml", () => {
  it("reports a YAML syntax error with its line and the source file", () => {
    const text = writeBentoYaml(sampleManifest()).replace("entryService: IrisClassifier", "entryService: [IrisClassifier");
    expect(() => readBentoYaml(text, "/tmp/x/bento.yaml")).toThrow(ManifestError);
    try {
      readBentoYaml(text, "/tmp/x/bento.yaml");
    } catch (error) {
      const { problems, message } = error as ManifestError;
      expect(problems.length).toBeGreaterThan(0);
      expect(problems[0]).toMatch(/line \d+, column \d+/);
      expect(message).toMatch(/^\/tmp\/x\/bento\.yaml is not a valid bento manifest:\n {2}\S/);
    }
  });

  it("refuses duplicate keys and several documents", () => {
    const text = writeBentoYaml(sampleManifest());
    expect(() => readBentoYaml(`${text}name: again\n`)).toThrow(/bento\.yaml is not a valid bento manifest:\n.*[Mm]ap keys must be unique/);
    expect(() => readBentoYaml(`${text}---\n${text}`)).toThrow(ManifestError);
  });

  it("lists the first problems in the message and counts the rest", () => {
    const manifest = sampleManifest() as unknown as Record<string, unknown>;
    for (const key of ["name", "version", "labels", "docker", "include", "exclude", "models"]) delete manifest[key];
    try {
      readBentoYaml(writeBentoYaml(manifest as unknown as BentoManifest), "b.yaml");
      expect.unreachable();
    } catch (error) {
      const { problems, message } = error as ManifestError;
      expect(problems).toHaveLength(7);
      expect(message.split("\n")).toEqual(["b.yaml is not a valid bento manifest:", ...problems.slice(0, 5).map((p) => `  ${p}`), "  … and 2 more"]);
    }
  });
});

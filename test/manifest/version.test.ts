import { describe, expect, it } from "vitest";
import { canonicalJson, manifestVersionHash, withVersion, type BentoManifest } from "../../manifest/index.js";
import { base32Lower } from "../../manifest/version.js";
import { sampleManifest } from "./sample-manifest.js";

/** A deep copy with every object's keys in reverse order. */
function reversedDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reversedDeep) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedDeep(v)])) as T;
  }
  return value;
}

const minimal: BentoManifest = {
  manifestVersion: 1,
  name: "echo",
  version: "",
  bentocVersion: "0.1.0",
  creationTime: "2025-01-01T00:00:00Z",
  labels: {},
  entryService: "Echo",
  services: [],
  models: [],
  include: [],
  exclude: [],
  docker: { nodeVersion: "20", systemPackages: [] },
  $defs: {},
};

describe("base32Lower", () => {
  it("matches the RFC 4648 test vectors, lower-cased and unpadded", () => {
    const vectors: [string, string][] = [
      ["", ""], ["f", "my"], ["fo", "mzxq"], ["foo", "mzxw6"], ["foob", "mzxw6yq"], ["fooba", "mzxw6ytb"], ["foobar", "mzxw6ytboi"],
    ];
    for (const [input, expected] of vectors) expect(base32Lower(new TextEncoder().encode(input))).toBe(expected);
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined properties", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: "é" }], c: undefined } })).toBe('{"a":{"d":[3,{"y":"é","z":null}]},"b":1}');
  });
});

describe("manifestVersionHash", () => {
  it("is 16 characters of lower-case base32, the same on every run and machine", () => {
    const hash = manifestVersionHash(minimal);
    expect(hash).toMatch(/^[a-z2-7]{16}$/);
    expect(hash).toBe(manifestVersionHash(structuredClone(minimal)));
    // Pinned (cross-checked with Python's json.dumps(sort_keys=True) + sha256 + b32encode):
    // a change here changes the version of every bento ever built.
    expect(hash).toBe("bgf5u7asbovogysv");
  });

  it("ignores version, creationTime and object key order", () => {
    const hash = manifestVersionHash(sampleManifest());
    expect(manifestVersionHash({ ...sampleManifest(), creationTime: "2030-12-31T23:59:59Z" })).toBe(hash);
    expect(manifestVersionHash({ ...sampleManifest(), version: "other" })).toBe(hash);
    expect(manifestVersionHash(reversedDeep(sampleManifest()))).toBe(hash);
  });

  it("changes when an API, a label or the order of APIs changes", () => {
    const hash = manifestVersionHash(sampleManifest());
    const changes: ((m: BentoManifest) => void)[] = [
      (m) => { m.services[0]!.apis[0]!.route = "/predict"; },
      (m) => { m.services[0]!.apis[0]!.batching!.maxBatchSize = 32; },
      (m) => { m.$defs.Species = { enum: ["setosa"] }; },
      (m) => { m.labels.team = "data"; },
      (m) => { m.services[0]!.apis.reverse(); },
    ];
    const hashes = changes.map((change) => {
      const manifest = sampleManifest();
      change(manifest);
      return manifestVersionHash(manifest);
    });
    for (const changed of hashes) expect(changed).not.toBe(hash);
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});

describe("withVersion", () => {
  it("returns a copy whose version is the content hash and leaves the input alone", () => {
    const manifest = sampleManifest();
    const versioned = withVersion(manifest);
    expect(versioned.version).toBe(manifestVersionHash(manifest));
    expect(manifest.version).toBe("0000000000000000");
    expect({ ...versioned, version: manifest.version }).toEqual(manifest);
    expect(withVersion(versioned)).toEqual(versioned);
  });
});

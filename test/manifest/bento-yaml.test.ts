import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BENTO_YAML_KEY_ORDER, readBentoYaml, writeBentoYaml, type BentoManifest } from "../../manifest/index.js";
import { sampleManifest } from "./sample-manifest.js";

const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "bentoc-manifest-"));
afterAll(() => fs.rmSync(tempDir, { recursive: true, force: true }));

/** The same record with its keys in reverse insertion order. */
function reversedKeys<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).reverse()) as T;
}

function topLevelKeysOf(text: string): string[] {
  return text.split("\n").filter((line) => /^[^\s#-]/.test(line)).map((line) => line.slice(0, line.indexOf(":")).replace(/^"|"$/g, ""));
}

describe("writeBentoYaml / readBentoYaml", () => {
  it("round-trips a realistic manifest through a file on disk", () => {
    const manifest = sampleManifest();
    const file = path.join(tempDir, "bento.yaml");
    fs.writeFileSync(file, writeBentoYaml(manifest));

    const back = readBentoYaml(fs.readFileSync(file, "utf8"), file);

    expect(back).toEqual(manifest);
    // Writing what was read gives the same bytes: the file is a fixed point.
    expect(writeBentoYaml(back)).toBe(fs.readFileSync(file, "utf8"));
  });

  it("keeps strings that look like booleans, numbers, null or syntax as strings", () => {
    const tricky = ["yes", "no", "on", "off", "y", "n", "true", "False", "null", "~", "", "1.0", "1", "0x10", "0o17", "017",
      "1e3", ".inf", "-.nan", ":", "- a", "#x", "a: b", "a #b", "*x", "&a", "!t", "%x", "@x", "2025-01-01", "12:30", "1_000",
      " lead", "trail ", "multi\nline", "multi\nline\n", "tail\n\n", "\ttab", "quote'\"", "{}", "[]", "<<"];
    const manifest = sampleManifest();
    manifest.labels = Object.fromEntries(tricky.map((value, i) => [`k${String(i).padStart(2, "0")}`, value]));
    manifest.$defs.Tricky = { enum: tricky };
    const file = path.join(tempDir, "tricky.yaml");
    fs.writeFileSync(file, writeBentoYaml(manifest));
    const text = fs.readFileSync(file, "utf8");

    const back = readBentoYaml(text, file);
    expect(Object.values(back.labels)).toEqual(tricky);
    expect(back.$defs.Tricky).toEqual({ enum: tricky });
    // Quoted for YAML 1.1 readers too (PyYAML reads a plain `yes` as true).
    expect(text).toContain('k00: "yes"');
    expect(text).toContain('k11: "1.0"');
    expect(text).toContain('k13: "0x10"');
    expect(text).toContain('k08: "null"');
    expect(parse(text, { version: "1.1" }).labels).toEqual(back.labels);
  });

  it("quotes the sample's look-alike strings", () => {
    const text = writeBentoYaml(sampleManifest());
    for (const line of ['owner: "yes"', 'stage: "1.0"', 'app.kubernetes.io/part-of: "null"', 'value: "on"', 'value: "0x10"']) {
      expect(text).toContain(line);
    }
  });

  it("never writes anchors or aliases, even for objects used twice", () => {
    const manifest = sampleManifest();
    const shared = { type: "string", minLength: 1 };
    manifest.$defs.A = { type: "object", properties: { x: shared, y: shared } };
    const text = writeBentoYaml(manifest);
    expect(text).not.toMatch(/(^|\s)[&*][A-Za-z0-9_-]+(\s|$)/m);
    expect(readBentoYaml(text)).toEqual(manifest);
  });

  it("never folds a long line", () => {
    const manifest = sampleManifest();
    const long = `${"word ".repeat(80)}end`;
    manifest.services[0]!.doc.summary = long;
    const text = writeBentoYaml(manifest);
    expect(text).toContain(`summary: ${long}\n`);
  });

  it("writes top-level keys in the documented order, labels and $defs sorted", () => {
    // With every optional top-level field set, so that each one's place is checked.
    const text = writeBentoYaml({ ...sampleManifest(), taskStore: { secret: { name: "bento-redis", key: "url" } } });
    expect(topLevelKeysOf(text)).toEqual([...BENTO_YAML_KEY_ORDER]);
    const doc = parse(text) as BentoManifest;
    expect(Object.keys(doc.labels)).toEqual(["app.kubernetes.io/part-of", "owner", "stage", "team"]);
    expect(Object.keys(doc.$defs)).toEqual(["Anything", "Page<Tree>", "Report", "Species", "Tree"]);
  });

  it("keeps the manifest's order everywhere else, property order in schemas included", () => {
    const manifest = sampleManifest();
    const back = readBentoYaml(writeBentoYaml(manifest));
    expect(Object.keys(back.services[0]!.apis[1]!.input.schema.properties as object)).toEqual(["prompt", "maxTokens", "temperature", "stop"]);
    expect(back.services.map((s) => s.name)).toEqual(["IrisClassifier", "Tokenizer"]);
    expect(Object.keys(back.services[0]!.apis[0]!)).toEqual(Object.keys(manifest.services[0]!.apis[0]!));
  });

  it("is byte-identical across writes and independent of top-level, labels and $defs key order", () => {
    const manifest = sampleManifest();
    const first = writeBentoYaml(manifest);
    expect(writeBentoYaml(manifest)).toBe(first);
    expect(writeBentoYaml(sampleManifest())).toBe(first);

    const shuffled = reversedKeys(sampleManifest());
    shuffled.$defs = reversedKeys(shuffled.$defs);
    shuffled.labels = reversedKeys(shuffled.labels);
    expect(Object.keys(shuffled)[0]).toBe("$defs");
    expect(writeBentoYaml(shuffled)).toBe(first);
  });

  it("leaves out optional fields that are undefined", () => {
    const manifest = sampleManifest();
    manifest.services[0]!.apis[0]!.batching = undefined;
    const text = writeBentoYaml(manifest);
    expect(text).not.toContain("batching");
    expect(readBentoYaml(text).services[0]!.apis[0]).not.toHaveProperty("batching");
  });
});

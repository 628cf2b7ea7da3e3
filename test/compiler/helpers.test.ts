import { describe, expect, it } from "vitest";
import { bentoNameOf } from "../../compiler/assemble.js";
import { docText } from "../../compiler/doc-text.js";
import { routeProblem } from "../../compiler/routes.js";
import { closestMatch } from "../../compiler/suggest.js";

describe("closestMatch", () => {
  it("suggests a near typo and nothing for an unrelated word", () => {
    expect(closestMatch("resurces", ["name", "resources", "workers"])).toBe("resources");
    expect(closestMatch("maxBatchsize", ["maxBatchSize", "maxLatencyMs"])).toBe("maxBatchSize");
    expect(closestMatch("colour", ["name", "resources", "workers"])).toBeUndefined();
  });
});

describe("routeProblem", () => {
  it.each(["/predict", "/v1/models/classify", "/a.b_c~d-e"])("accepts %s", (route) => {
    expect(routeProblem(route)).toBeUndefined();
  });
  it.each([
    ["predict", /starts with '\/'/],
    ["/", /names no API/],
    ["/predict/", /does not end with/],
    ["/a//b", /empty segments/],
    ["/users/{id}", /segment '\{id\}'/],
    ["/users/:id", /segment ':id'/],
    ["/a/../b", /'\.\.'/],
    ["/search?q=1", /segment 'search\?q=1'/],
  ])("refuses %s", (route, reason) => {
    expect(routeProblem(route)).toMatch(reason);
  });
});

describe("bentoNameOf", () => {
  it.each([
    ["IrisClassifier", "iris-classifier"],
    ["HTTPServer", "http-server"],
    ["my_service", "my_service"],
    ["Svc2Go", "svc2-go"],
    ["__", "service"],
  ])("%s → %s", (service, bento) => {
    expect(bentoNameOf(service)).toBe(bento);
  });
});

describe("docText", () => {
  it("takes the first sentence as summary and keeps the whole text as description", () => {
    expect(docText({ description: "Adds numbers. Handles overflow.\n\nMore.", tags: [] })).toEqual({
      summary: "Adds numbers.",
      description: "Adds numbers. Handles overflow.\n\nMore.",
    });
    expect(docText({ description: "Just this.", tags: [{ name: "deprecated", text: "" }] })).toEqual({ summary: "Just this.", deprecated: true });
    expect(docText({ description: "", tags: [] })).toEqual({});
  });
});

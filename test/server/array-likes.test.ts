import { describe, expect, it } from "vitest";
import { postJson, startBento } from "../support/bento-server.js";

// Array types that are not `T[]` or a plain tuple travel as JSON arrays both ways: the client
// gets `[1]`, never the array's keys as an object, and the method gets an array.
const TYPES = `
import { api, service } from "bentoc";

type NonEmpty = [number, ...number[]] & number[];
interface Tags extends Array<string> {}
type Scores = number[] & { readonly __brand: "Scores" };

function received(value: unknown): string {
  return Array.isArray(value) ? \`array of \${value.length}\` : typeof value;
}
`;

describe("array-likes served", () => {
  it("answers an array-like result as a JSON array", async () => {
    const bento = await startBento(`${TYPES}
@service()
export class Results {
  @api() async nonEmpty(): Promise<NonEmpty> { return [1]; }
  @api() async tags(): Promise<Tags> { return ["a", "b"]; }
  @api() async scores(): Promise<Scores> { return [0.5] as Scores; }
}
`);
    try {
      for (const [route, expected] of [["/nonEmpty", [1]], ["/tags", ["a", "b"]], ["/scores", [0.5]]] as const) {
        const response = await postJson(`${bento.url}${route}`, {});
        expect([route, response.status, response.text]).toEqual([route, 200, JSON.stringify(expected)]);
      }
    } finally {
      await bento.close();
    }
  });

  it("hands the method an array and refuses an object with numbered keys", async () => {
    const bento = await startBento(`${TYPES}
@service()
export class Arguments {
  @api() async take(values: NonEmpty, tags: Tags, scores: Scores): Promise<string[]> {
    return [received(values), received(tags), received(scores)];
  }
}
`);
    try {
      const ok = await postJson(`${bento.url}/take`, { values: [1], tags: ["a"], scores: [] });
      expect([ok.status, ok.body]).toEqual([200, ["array of 1", "array of 1", "array of 0"]]);
      const keyed = await postJson(`${bento.url}/take`, { values: { 0: 1, length: 1 }, tags: [], scores: [] });
      expect([keyed.status, keyed.body.path]).toEqual([400, "/values"]);
      const empty = await postJson(`${bento.url}/take`, { values: [], tags: [], scores: [] });
      expect([empty.status, empty.body.path]).toEqual([400, "/values"]);
    } finally {
      await bento.close();
    }
  });
});

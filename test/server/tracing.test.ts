// OpenTelemetry traces, received over OTLP/HTTP by a collector stand-in on 127.0.0.1: one request
// through a gateway, its dependency and a batch is one trace, continuing the caller's
// `traceparent`, in one process and split (where the dependency's process continues the trace
// from the gateway's call). Without the OTEL_* variables nothing is exported.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBento, postJson, until, type BuiltBento, type SpawnedBento } from "../support/bento-server.js";

const SERVICE = `
import { api, depends, service, type Context } from "bentoc";

@service()
export class Gateway {
  private readonly embedder = depends(Embedder);

  @api()
  async search(text: string, ctx: Context): Promise<number> {
    const [vector] = await this.embedder.embed({ texts: [text] }, { context: ctx });
    return vector!.length;
  }
}

@service()
export class Embedder {
  @api({ batchable: true, maxBatchSize: 16, maxLatencyMs: 50 })
  async embed(texts: string[]): Promise<number[][]> {
    return texts.map((text) => [text.length, 1]);
  }
}
`;

interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  links?: { traceId: string; spanId: string }[];
  service: string;
}

/** A collector stand-in: what OTLP/HTTP (JSON) exporters post to /v1/traces, flattened to spans. */
const spans: ReceivedSpan[] = [];
const collector = http.createServer((request, response) => {
  let body = "";
  request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk)).on("end", () => {
    if (request.url === "/v1/traces") {
      const payload = JSON.parse(body) as { resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: ReceivedSpan[] }[] }[] };
      for (const resourceSpans of payload.resourceSpans) {
        const service = resourceSpans.resource.attributes.find((attribute) => attribute.key === "service.name")?.value.stringValue ?? "";
        for (const scope of resourceSpans.scopeSpans) for (const span of scope.spans) spans.push({ ...span, service });
      }
    }
    response.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});

let built: BuiltBento;
let endpoint: string;
const running: SpawnedBento[] = [];
beforeAll(async () => {
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`;
  built = await buildBento(SERVICE);
}, 60_000);
afterAll(async () => {
  for (const process of running) await process.close();
  built?.remove();
  await new Promise((resolve) => collector.close(resolve));
});

async function spawn(env: NodeJS.ProcessEnv): Promise<SpawnedBento> {
  const started = await built.spawn({ env });
  running.push(started);
  return started;
}

const traced = { OTEL_EXPORTER_OTLP_ENDPOINT: "", OTEL_BSP_SCHEDULE_DELAY: "50" };
const randomHex = (bytes: number) => Array.from({ length: bytes }, () => Math.floor(Math.random() * 256).toString(16).padStart(2, "0")).join("");

describe.each([
  { mode: "in one process", start: async () => (await spawn({ ...traced, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint })).url },
  {
    mode: "split, the dependency in a process of its own",
    start: async () => {
      const embedder = await spawn({ ...traced, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, BENTOC_SERVICE: "Embedder" });
      return (await spawn({ ...traced, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, BENTOC_SERVICE: "Gateway", BENTOC_DEPENDENCY_EMBEDDER_URL: embedder.url })).url;
    },
  },
])("a traced request $mode", ({ mode, start }) => {
  it("is one trace: the caller's, then the request, the API call, the dependency call, its API call and the batch linked to it", async () => {
    const url = await start();
    const traceId = randomHex(16);
    const callerSpan = randomHex(8);
    const [answer] = await Promise.all([
      postJson(`${url}/search`, { text: "hello" }, { traceparent: `00-${traceId}-${callerSpan}-01` }),
      postJson(`${url}/search`, { text: "other trace" }),
    ]);
    expect(answer.body).toBe(2);
    const inTrace = await until(() => {
      const found = spans.filter((span) => span.traceId === traceId);
      const linkedBatch = spans.some((span) => span.name === "batch embed" && span.links?.some((link) => link.traceId === traceId));
      return linkedBatch && found.length >= 4 + (mode.startsWith("split") ? 1 : 0) ? found : undefined;
    }, "the spans to arrive", 15_000);
    const named = (name: string) => inTrace.find((span) => span.name === name)!;
    const request = named("POST /search");
    expect([request.kind, request.parentSpanId]).toEqual([2, callerSpan]); // SERVER, continuing the caller
    const apiCall = named("api search");
    expect(apiCall.parentSpanId).toBe(request.spanId);
    const dependencyCall = named("call Embedder.embed");
    expect([dependencyCall.kind, dependencyCall.parentSpanId]).toEqual([3, apiCall.spanId]); // CLIENT
    const embed = named("api embed");
    if (mode.startsWith("split")) {
      // The dependency's process continues the trace from the call's traceparent, in a request span of its own.
      const dependencyRequest = named("POST /embed");
      expect([dependencyRequest.parentSpanId, dependencyRequest.service]).toEqual([dependencyCall.spanId, built.manifest.name]);
      expect(embed.parentSpanId).toBe(dependencyRequest.spanId);
    } else {
      expect(embed.parentSpanId).toBe(dependencyCall.spanId);
    }
    // The batch runs for every call merged into it: linked to each call's span, a child of the first one's.
    const batch = spans.find((span) => span.name === "batch embed" && span.links?.some((link) => link.traceId === traceId))!;
    expect(batch.links!.map((link) => link.spanId)).toContain(embed.spanId);
  }, 60_000);
});

describe("an untraced bento", () => {
  it("exports nothing without the OTEL_* variables", async () => {
    const before = spans.length;
    const bento = await spawn({ OTEL_EXPORTER_OTLP_ENDPOINT: "" });
    const traceId = randomHex(16);
    expect((await postJson(`${bento.url}/search`, { text: "quiet" }, { traceparent: `00-${traceId}-${randomHex(8)}-01` })).body).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(spans.slice(before).filter((span) => span.traceId === traceId)).toEqual([]);
  });
});

// A stand-in OTLP/HTTP collector for the benchmarks: answers every export with 200 and counts the
// spans it received, so a traced server's measurement includes its exports and shows they happened.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface OtlpSink {
  /** What OTEL_EXPORTER_OTLP_ENDPOINT should be. */
  endpoint: string;
  /** Spans received so far. */
  spans(): number;
  close(): Promise<void>;
}

export async function startOtlpSink(): Promise<OtlpSink> {
  let spans = 0;
  const server: Server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8").on("data", (chunk: string) => (body += chunk)).on("end", () => {
      // A cheap count: each span has one "spanId" key (links hold theirs as "spanId" too, and these have none).
      spans += body.split('"spanId"').length - 1;
      response.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans: () => spans,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context as OtelContext, type Link, type Span, type Tracer } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { IncomingHttpHeaders } from "node:http";
import type { ApiManifest } from "../manifest/types.js";
import type { ApiInvoker } from "./api-route.js";
import type { RequestContext } from "./context.js";

const propagator = new W3CTraceContextPropagator();
const headerGetter = {
  keys: (carrier: IncomingHttpHeaders) => Object.keys(carrier),
  get: (carrier: IncomingHttpHeaders, key: string) => carrier[key],
};

/**
 * Whether the standard OpenTelemetry variables ask for traces: an OTLP endpoint
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), or
 * `OTEL_TRACES_EXPORTER=otlp`; never with `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`.
 */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return false;
  const exporter = env.OTEL_TRACES_EXPORTER?.trim().toLowerCase();
  if (exporter === "none") return false;
  return exporter === "otlp" || Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * OpenTelemetry traces of a bento, exported over OTLP/HTTP to the endpoint the standard `OTEL_*`
 * variables name (the exporter reads them: endpoint, headers, timeout; the batch processor its
 * `OTEL_BSP_*`). Made only when they ask for it: without it the request path does not touch
 * OpenTelemetry at all.
 *
 * Spans: one per request (SERVER, continuing a W3C `traceparent`), one per API call within it,
 * one per batch (linked to the calls merged into it), one per dependency call (CLIENT, whose
 * `traceparent` the dependency continues).
 */
export class Tracing {
  private readonly provider: BasicTracerProvider;
  private readonly tracer: Tracer;

  constructor(serviceName: string) {
    this.provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ "service.name": process.env.OTEL_SERVICE_NAME ?? serviceName }),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
    });
    this.tracer = this.provider.getTracer("bentoc");
  }

  /** The request's span, continuing the caller's trace when it sent a `traceparent`. */
  startRequest(method: string, route: string, headers: IncomingHttpHeaders): OtelContext {
    const parent = propagator.extract(ROOT_CONTEXT, headers, headerGetter);
    const span = this.tracer.startSpan(`${method} ${route}`, { kind: SpanKind.SERVER, attributes: { "http.request.method": method, "http.route": route } }, parent);
    return trace.setSpan(parent, span);
  }

  /** Ends a request's span with the status it was answered with. */
  endRequest(spanContext: OtelContext, status: number): void {
    const span = trace.getSpan(spanContext);
    if (!span) return;
    span.setAttribute("http.response.status_code", status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  }

  /** The API's invoker with a span around each call (until its result settles, or its stream ends), a child of the caller's. */
  invoker(api: ApiManifest, invoke: ApiInvoker): ApiInvoker {
    return (input, context) => {
      const parent = context?.trace ?? ROOT_CONTEXT;
      const span = this.tracer.startSpan(`api ${api.name}`, { attributes: { "bentoc.api": api.name } }, parent);
      if (context) context.trace = trace.setSpan(parent, span);
      return spanning(span, () => invoke(input, context));
    };
  }

  /**
   * A batch run in a span of its own: linked to the spans of every call merged into it, and a
   * child of the first one's, so a request's trace holds the batch that answered it (the others
   * reach it by link). `size`: the items in the batch.
   */
  aroundBatch(apiName: string, size: number, callers: readonly unknown[], run: () => unknown): unknown {
    const links: Link[] = [];
    for (const caller of callers) {
      const callerTrace = traceOf(caller);
      const spanContext = callerTrace && trace.getSpanContext(callerTrace);
      if (spanContext) links.push({ context: spanContext });
    }
    const span = this.tracer.startSpan(`batch ${apiName}`, { links, attributes: { "bentoc.api": apiName, "bentoc.batch.size": size } }, traceOf(callers[0]) ?? ROOT_CONTEXT);
    return spanning(span, run);
  }

  /**
   * A dependency call in a span of its own (CLIENT), a child of the caller's, until its result
   * settles or its stream ends. The caller's Context carries the call's span while `call` starts
   * it: the call reads it then, synchronously, to send `traceparent` on (or, in-process, to give
   * it to the dependency's Context), so concurrent calls through one Context each get their own.
   */
  aroundCall(name: string, caller: RequestContext | undefined, call: () => unknown): unknown {
    const parent = caller?.trace ?? ROOT_CONTEXT;
    const span = this.tracer.startSpan(`call ${name}`, { kind: SpanKind.CLIENT }, parent);
    const previous = caller?.trace;
    if (caller) caller.trace = trace.setSpan(parent, span);
    try {
      return spanning(span, call);
    } finally {
      if (caller) caller.trace = previous;
    }
  }

  /** Sends the spans still buffered, then stops exporting. */
  async shutdown(): Promise<void> {
    await this.provider.shutdown();
  }
}

/** The trace a RequestContext carries, if it is one and carries one (a Context a caller made itself carries none). */
export function traceOf(value: unknown): OtelContext | undefined {
  return typeof value === "object" && value !== null && "trace" in value ? (value as RequestContext).trace : undefined;
}

/** Runs `run` in the span: it ends when the result settles or the stream ends, or at once with what `run` throws. */
function spanning(span: Span, run: () => unknown): unknown {
  try {
    return settle(run(), span);
  } catch (error) {
    fail(span, error);
    throw error;
  }
}

/** Ends the span when a result settles, or when a stream's iteration ends. */
function settle(result: unknown, span: Span): unknown {
  if (result instanceof Promise) {
    return result.then((value) => {
      span.end();
      return value;
    }, (error: unknown) => {
      fail(span, error);
      throw error;
    });
  }
  if (result !== null && typeof result === "object" && Symbol.asyncIterator in result) return tracedStream(result as AsyncIterable<unknown>, span);
  span.end();
  return result;
}

async function* tracedStream(source: AsyncIterable<unknown>, span: Span): AsyncGenerator<unknown> {
  try {
    yield* source;
  } catch (error) {
    fail(span, error);
    throw error;
  } finally {
    if (span.isRecording()) span.end();
  }
}

function fail(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR });
  span.end();
}

/** The `traceparent` (and `tracestate`) headers that carry a trace on to another service. */
export function traceHeaders(traceContext: OtelContext | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (traceContext) propagator.inject(traceContext, headers, { set: (carrier, key, value) => (carrier[key] = value) });
  return headers;
}

// What `npm run bench:compose` serves, shared by the driver (bench/compose.bench.ts) and the
// hand-written peer (bench/compose-peer.ts): a gateway whose API turns a vector of 16 numbers
// into a unit vector (a preprocessing step) and scores it, written as
//   - a bento whose Gateway calls a Normalizer service through `depends()` (in one process, or split);
//   - a bento whose Gateway does the same work by calling a plain method of its own;
//   - a hand-written pair of Fastify servers, the front one calling the back one with undici.
// All three answer the same JSON for the same request, and validate the same schemas.

export const GATEWAY_ROUTE = "/score";
export const DEPENDENCY_ROUTE = "/normalize";
/** The route of the depends() bento's in-process timing of one call (the micro measurement). */
export const CALL_COST_ROUTE = "/callCost";
/** The dependency's service name, as BENTOC_SERVICE and BENTOC_DEPENDENCY_<NAME>_URL name it. */
export const DEPENDENCY_SERVICE = "Normalizer";
export const GATEWAY_SERVICE = "Gateway";
export const VECTOR_LENGTH = 16;

/** How the bento's Gateway reaches the normalising step. */
export type GatewayKind = "depends" | "direct";

/** The weights the gateway scores a unit vector with (one per component). */
const WEIGHTS = Array.from({ length: VECTOR_LENGTH }, (_, i) => Math.round(Math.sin(i + 1) * 1000) / 1000);

const HELPERS_SOURCE = `const WEIGHTS: number[] = ${JSON.stringify(WEIGHTS)};

/** The preprocessing step: the vector scaled to length 1 (all zeros stays all zeros). */
function unitVector(values: number[]): number[] {
  let sum = 0;
  for (const value of values) sum += value * value;
  const norm = Math.sqrt(sum);
  return values.map((value) => (norm === 0 ? 0 : value / norm));
}

function scoreOf(unit: number[]): { score: number; unit: number[] } {
  let score = 0;
  for (let i = 0; i < unit.length; i++) score += unit[i]! * WEIGHTS[i]!;
  return { score, unit };
}
`;

const DEPENDENCY_SOURCE = `/** The preprocessing service. */
@service()
export class ${DEPENDENCY_SERVICE} {
  /** The vector scaled to length 1. */
  @api()
  async normalize(/** @minItems ${VECTOR_LENGTH} @maxItems ${VECTOR_LENGTH} */ values: number[]): Promise<number[]> {
    return unitVector(values);
  }
}
`;

/**
 * The bento's service file. `depends`: the Gateway calls the Normalizer service (and has a
 * second API that times that call against the plain function in-process); `direct`: the
 * Gateway calls a plain method of its own that does the same work (the Normalizer service is
 * there too, so both bentos serve the same routes).
 */
export function composeServiceSource(kind: GatewayKind): string {
  const imports = kind === "depends" ? `import { api, depends, service, type Context } from "bentoc";` : `import { api, service, type Context } from "bentoc";`;
  const gateway = kind === "depends"
    ? `/** The service in front: normalises through the Normalizer service, then scores. */
@service()
export class ${GATEWAY_SERVICE} {
  private readonly normalizer = depends(${DEPENDENCY_SERVICE});

  /** Scores a vector after normalising it. */
  @api()
  async score(/** @minItems ${VECTOR_LENGTH} @maxItems ${VECTOR_LENGTH} */ values: number[], ctx: Context): Promise<{ score: number; unit: number[] }> {
    const unit = await this.normalizer.normalize({ values }, { context: ctx });
    return scoreOf(unit);
  }

  /**
   * Times \`calls\` dependency calls against as many calls of the plain function, in blocks
   * that alternate between the two; answers the mean per call of each, in µs.
   */
  @api()
  async callCost(/** @minimum 10 @maximum 1000000 */ calls: number, values: number[], ctx: Context): Promise<{ dependsUs: number; directUs: number }> {
    const blocks = 10;
    const perBlock = Math.ceil(calls / blocks);
    let dependsMs = 0;
    let directMs = 0;
    for (let block = 0; block < blocks; block++) {
      let started = performance.now();
      for (let i = 0; i < perBlock; i++) await this.normalizer.normalize({ values }, { context: ctx });
      dependsMs += performance.now() - started;
      started = performance.now();
      for (let i = 0; i < perBlock; i++) await direct.normalize(values);
      directMs += performance.now() - started;
    }
    const us = (ms: number) => (ms * 1000) / (perBlock * blocks);
    return { dependsUs: us(dependsMs), directUs: us(directMs) };
  }
}

/** The same work as the Normalizer's API, as a plain object (what callCost compares the call with). */
const direct = { async normalize(values: number[]): Promise<number[]> { return unitVector(values); } };
`
    : `/** The preprocessing step as a plain class: what the Gateway calls instead of a service. */
class VectorNormalizer {
  async normalize(values: number[]): Promise<number[]> {
    return unitVector(values);
  }
}

/** The service in front: normalises by calling a method of its own, then scores. */
@service()
export class ${GATEWAY_SERVICE} {
  private readonly normalizer = new VectorNormalizer();

  /** Scores a vector after normalising it. */
  @api()
  async score(/** @minItems ${VECTOR_LENGTH} @maxItems ${VECTOR_LENGTH} */ values: number[], _ctx: Context): Promise<{ score: number; unit: number[] }> {
    const unit = await this.normalizer.normalize(values);
    return scoreOf(unit);
  }
}
`;
  return `${imports}\n\n${HELPERS_SOURCE}\n${gateway}\n${DEPENDENCY_SOURCE}`;
}

export interface VectorRequest {
  values: number[];
}

export interface ScoreResponse {
  score: number;
  unit: number[];
}

/** The one body every benchmark request sends. */
export const REQUEST_BODY: VectorRequest = { values: Array.from({ length: VECTOR_LENGTH }, (_, i) => ((i * 7) % 11) - 3.5) };

/** One number short: every server must answer it with 400. */
export const INVALID_BODY: VectorRequest = { values: REQUEST_BODY.values.slice(1) };

/** What the normalising step computes: the peer runs this, and the bench checks every server's answer against it. */
export function unitVector(values: readonly number[]): number[] {
  let sum = 0;
  for (const value of values) sum += value * value;
  const norm = Math.sqrt(sum);
  return values.map((value) => (norm === 0 ? 0 : value / norm));
}

/** What the gateway computes from the unit vector. */
export function scoreOf(unit: number[]): ScoreResponse {
  let score = 0;
  for (let i = 0; i < unit.length; i++) score += unit[i]! * WEIGHTS[i]!;
  return { score, unit };
}

/** The hand-written servers' schemas; the driver checks they equal what bentoc compiled from the service. */
export const VECTOR_BODY_SCHEMA = {
  type: "object",
  properties: { values: { type: "array", items: { type: "number" }, minItems: VECTOR_LENGTH, maxItems: VECTOR_LENGTH } },
  required: ["values"],
} as const;

export const UNIT_SCHEMA = { type: "array", items: { type: "number" } } as const;

export const SCORE_SCHEMA = {
  type: "object",
  properties: { score: { type: "number" }, unit: { type: "array", items: { type: "number" } } },
  required: ["score", "unit"],
} as const;

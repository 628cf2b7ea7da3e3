// The systems `npm run bench:compose` measures, each in processes of its own on 127.0.0.1:
//   - the depends() bento in one process (its main.mjs as shipped, no BENTOC_SERVICE);
//   - the direct bento (its Gateway calls a plain method) in one process;
//   - the depends() bento split: BENTOC_SERVICE=Normalizer in one process, BENTOC_SERVICE=Gateway
//     with BENTOC_DEPENDENCY_NORMALIZER_URL in another;
//   - the hand-written pair of Fastify servers (bench/compose-peer.ts).
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import { dependencyUrlVariable, SERVICE_ENV } from "../manifest/service-selection.js";
import type { BentoManifest } from "../manifest/types.js";
import { buildBento, startBentoProcess, type RunningServer } from "./bento-process.js";
import {
  DEPENDENCY_ROUTE,
  DEPENDENCY_SERVICE,
  GATEWAY_ROUTE,
  GATEWAY_SERVICE,
  SCORE_SCHEMA,
  UNIT_SCHEMA,
  VECTOR_BODY_SCHEMA,
  composeServiceSource,
  type GatewayKind,
} from "./compose-fixture.js";
import { pinnedNode } from "./cpu-pinning.js";
import { BenchFailure, startServerProcess, stopServerProcess } from "./server-process.js";

const HOST = "127.0.0.1";

export const SYSTEMS = ["in-process", "direct", "split", "pair"] as const;
export type System = (typeof SYSTEMS)[number];

export const SYSTEM_LABELS: Record<System, string> = {
  "in-process": "bento, depends() in-process",
  direct: "bento, direct method call",
  split: "bento, split (2 processes)",
  pair: "Fastify pair + undici Pool",
};

/** The bundled main.mjs of each bento. */
export type BentoMains = Record<GatewayKind, string>;

export interface RunningSystem extends RunningServer {
  /** Every process of the system that serves (for their CPU time). */
  pids: number[];
  /** The dependency's log when it runs in a process of its own (split mode): its access lines show the calls went over HTTP. */
  dependencyLog?: string;
}

export interface StartOptions {
  /** Where this run's log files go (removed when it stops, unless `keep`). */
  logPrefix: string;
  keep: boolean;
  /** Node flags of the gateway's process (the one the load reaches), e.g. `--cpu-prof`. */
  gatewayNodeArgs: readonly string[];
  /** Every server process pinned to these CPUs (taskset syntax), or none pinned. */
  pinTo: string | undefined;
  /** The repository root (the peer's working directory). */
  root: string;
}

/** Compiles and bundles both bentos in `folder`; their schemas must be the hand-written peer's, so all validate the same. */
export async function buildComposeBentos(folder: string, root: string): Promise<BentoMains> {
  const mains = {} as BentoMains;
  for (const kind of ["depends", "direct"] as const) {
    const { manifest, main } = await buildBento(join(folder, kind), composeServiceSource(kind), root, `the ${kind} gateway benchmark service`);
    checkSchemas(manifest, kind);
    mains[kind] = main;
  }
  return mains;
}

function checkSchemas(manifest: BentoManifest, kind: GatewayKind): void {
  const apiOf = (service: string, route: string) => {
    const api = manifest.services.find((candidate) => candidate.name === service)?.apis.find((candidate) => candidate.route === route);
    if (!api) throw new BenchFailure(`the compiled ${kind} service has no API ${service} ${route}`);
    return api;
  };
  const expected = [
    [apiOf(GATEWAY_SERVICE, GATEWAY_ROUTE), VECTOR_BODY_SCHEMA, SCORE_SCHEMA],
    [apiOf(DEPENDENCY_SERVICE, DEPENDENCY_ROUTE), VECTOR_BODY_SCHEMA, UNIT_SCHEMA],
  ] as const;
  for (const [api, input, output] of expected) {
    if (!isDeepStrictEqual(api.input.schema, input) || !isDeepStrictEqual(api.output.schema, output)) {
      throw new BenchFailure(`the hand-written schemas of ${api.route} differ from bentoc's:\n  bentoc: ${JSON.stringify([api.input.schema, api.output.schema])}\n  peer: ${JSON.stringify([input, output])}`);
    }
  }
  const gateway = manifest.services.find((service) => service.name === GATEWAY_SERVICE)!;
  const dependsOn = kind === "depends" ? [DEPENDENCY_SERVICE] : [];
  if (!isDeepStrictEqual(gateway.dependencies, dependsOn)) throw new BenchFailure(`the ${kind} Gateway's dependencies are ${JSON.stringify(gateway.dependencies)}; expected ${JSON.stringify(dependsOn)}`);
}

/** Starts `system`; resolves once it answers (every bento process ready). */
export async function startSystem(system: System, mains: BentoMains, options: StartOptions): Promise<RunningSystem> {
  const logs: string[] = [];
  const logFile = (name: string) => {
    const file = `${options.logPrefix}-${name}.log`;
    logs.push(file);
    return file;
  };
  const removeLogs = () => {
    if (!options.keep) for (const file of logs) rmSync(file, { force: true });
  };
  const { pinTo } = options;
  // Every service in one process, as main.mjs runs with no BENTOC_SERVICE.
  const allServices = { [SERVICE_ENV]: undefined };
  const started: (RunningServer & { pid: number })[] = [];
  try {
    let dependencyLog: string | undefined;
    switch (system) {
      case "in-process":
      case "direct":
        started.push(await startBentoProcess(mains[system === "in-process" ? "depends" : "direct"], { env: allServices, logFile: logFile("bento"), nodeArgs: options.gatewayNodeArgs, pinTo }));
        break;
      case "split": {
        dependencyLog = logFile("dependency");
        const dependency = await startBentoProcess(mains.depends, { env: { [SERVICE_ENV]: DEPENDENCY_SERVICE }, logFile: dependencyLog, pinTo });
        started.push(dependency);
        started.unshift(await startBentoProcess(mains.depends, {
          env: { [SERVICE_ENV]: GATEWAY_SERVICE, [dependencyUrlVariable(DEPENDENCY_SERVICE)]: dependency.origin },
          logFile: logFile("gateway"),
          nodeArgs: options.gatewayNodeArgs,
          pinTo,
        }));
        break;
      }
      case "pair": {
        const entry = join(dirname(fileURLToPath(import.meta.url)), "compose-peer.js");
        const node = pinTo === undefined ? { execArgv: [] } : pinnedNode(pinTo);
        const back = await startServerProcess(entry, ["back"], { label: "hand-written back", cwd: options.root, ...node });
        started.push({ origin: `http://${HOST}:${back.port}`, stop: () => stopServerProcess(back), pid: back.child.pid! });
        const front = await startServerProcess(entry, ["front", `http://${HOST}:${back.port}`], { label: "hand-written front", cwd: options.root, ...node, execArgv: [...node.execArgv, ...options.gatewayNodeArgs] });
        started.unshift({ origin: `http://${HOST}:${front.port}`, stop: () => stopServerProcess(front), pid: front.child.pid! });
        break;
      }
    }
    // The one the load reaches is first; stopping goes front to back, so no call is left without its dependency.
    const stop = async () => {
      for (const server of started) await server.stop();
      removeLogs();
    };
    return { origin: started[0]!.origin, stop, pids: started.map((server) => server.pid), ...(dependencyLog ? { dependencyLog } : {}) };
  } catch (error) {
    for (const server of started) await server.stop();
    removeLogs();
    throw error;
  }
}

/** Access lines (JSON logs, as a bento ships) of `route` in a bento's log file. */
export function accessLinesOf(logFile: string, route: string): number {
  let count = 0;
  for (const line of readFileSync(logFile, "utf8").split("\n")) if (line.includes('"msg":"request"') && line.includes(`"route":"${route}"`)) count++;
  return count;
}

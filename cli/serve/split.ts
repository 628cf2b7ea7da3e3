import { dependencyUrlVariable, SERVICE_ENV } from "../../manifest/service-selection.js";
import type { BentoManifest } from "../../manifest/types.js";
import { freePort } from "./free-port.js";
import { ServerProcess } from "./server-process.js";

const INTERNAL_HOST = "127.0.0.1";

/** The processes of `bentoc serve --split`: one per service another depends on, and one for the rest. */
export interface SplitServers {
  processes: ServerProcess[];
  /** Resolves with the exit code of the first process that exits. */
  firstExit: Promise<number>;
  /** Stops every process gracefully (with `signal`), and resolves with the first one's code. */
  stop(signal: NodeJS.Signals): Promise<number>;
  kill(): void;
}

/**
 * Starts the bento as its Kubernetes Deployments run it, on this machine: each service that
 * another depends on in a process (group, with its own workers) of its own, on a free port of
 * 127.0.0.1; the services nobody depends on together in one more process, on the public address
 * that `environment` gives. Each caller finds its dependencies at BENTOC_DEPENDENCY_<NAME>_URL.
 */
export async function startSplit(manifest: BentoManifest, bundle: string, cwd: string | undefined, environment: () => NodeJS.ProcessEnv): Promise<SplitServers> {
  const dependedOn = new Set(manifest.services.flatMap((service) => service.dependencies));
  const internal = manifest.services.filter((service) => dependedOn.has(service.name));
  const front = manifest.services.filter((service) => !dependedOn.has(service.name)).map((service) => service.name);
  const ports = new Map<string, number>();
  for (const service of internal) ports.set(service.name, await freePort());
  const urls = Object.fromEntries([...ports].map(([name, port]) => [dependencyUrlVariable(name), `http://${INTERNAL_HOST}:${port}`]));
  const groups: { services: string[]; listen: NodeJS.ProcessEnv }[] = [
    ...internal.map((service) => ({ services: [service.name], listen: { BENTOC_HOST: INTERNAL_HOST, BENTOC_PORT: String(ports.get(service.name)) } })),
    { services: front, listen: {} },
  ];
  let exited: (code: number) => void = () => undefined;
  const firstExit = new Promise<number>((resolve) => (exited = resolve));
  const processes = groups.map(({ services, listen }) => {
    const server = new ServerProcess(() => ({ ...environment(), ...urls, ...listen, [SERVICE_ENV]: services.join(",") }), exited);
    server.start(bundle, cwd);
    return server;
  });
  return {
    processes,
    firstExit,
    stop: async (signal) => (await Promise.all(processes.map((server) => server.stop(signal))))[0] ?? 0,
    kill: () => {
      for (const server of processes) server.kill();
    },
  };
}

// A service that says which process answered, for the worker tests.
export const PIDS_SERVICE = (options: string) => `
import { existsSync } from "node:fs";
import { api, onStartup, service, type int32 } from "bentoc";

console.log(JSON.stringify({ msg: "service module evaluated", evaluatedIn: process.pid }));

/** The process that answered and what the allocator gave it. */
export interface Who {
  pid: number;
  worker: string;
  threads: string;
  gpus: string;
}

@service(${options})
export class Pids {
  constructor() {
    console.log(JSON.stringify({ msg: "service constructed", constructedIn: process.pid }));
  }

  /** While the file PIDS_HOLD_STARTUP names exists, a starting worker waits: a test holds a restart open. */
  @onStartup
  async holdWhileGated(): Promise<void> {
    const gate = process.env.PIDS_HOLD_STARTUP;
    while (gate && existsSync(gate)) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  @api()
  async whoami(): Promise<Who> {
    const env = process.env;
    return { pid: process.pid, worker: env.BENTOC_WORKER_INDEX ?? "", threads: env.BENTOC_THREADS ?? "", gpus: env.CUDA_VISIBLE_DEVICES ?? "" };
  }

  /** Answers after ms milliseconds, with the pid of the worker. */
  @api()
  async slow(/** @maximum 20000 */ ms: int32): Promise<number> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return process.pid;
  }
}
`;

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildBento, until, type BuiltBento } from "../support/bento-server.js";
import { isAlive, logLines, primaryLines, startMain, type MainProcess } from "./cluster-client.js";

// BENTOC_SERVICE picks the service a process serves, and with it that service's worker settings:
// a Deployment of the second service runs its workers, not the entry service's.
const SERVICE = `
import { api, service } from "bentoc";

@service()
export class Front {
  @api()
  async hello(): Promise<string> {
    return "front";
  }
}

@service({ workers: 2 })
export class Back {
  @api()
  async greet(): Promise<string> {
    return "back";
  }
}
`;

let bento: BuiltBento;
const mains: MainProcess[] = [];
beforeAll(async () => {
  bento = await buildBento(SERVICE);
}, 60_000);
afterAll(async () => {
  for (const main of mains) {
    if (main.child.exitCode === null && main.child.signalCode === null) main.child.kill("SIGKILL");
    for (const line of logLines(main.output())) if (typeof line.workerPid === "number" && isAlive(line.workerPid)) process.kill(line.workerPid, "SIGKILL");
  }
  bento?.remove();
});

describe("a process of a bento of several services", () => {
  it.each([
    [{}, "no primary: the entry service (Front) has one worker", 0],
    [{ BENTOC_SERVICE: "Back" }, "Back's two workers", 2],
  ])("with %o runs %s", async (env, _what, workers) => {
    const main = startMain(bento.mainFile, bento.dir, env);
    mains.push(main);
    await until(() => logLines(main.output()).some((line) => / is ready$/.test(String(line.msg))) || undefined, "a server to be ready", 30_000);
    const planned = primaryLines(main.output()).map((line) => /runs (\d+) workers/.exec(String(line.msg))?.[1]).find(Boolean);
    expect(Number(planned ?? 0)).toBe(workers);
    main.child.kill("SIGKILL");
  }, 60_000);
});

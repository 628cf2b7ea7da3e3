import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBento, type RunningBento } from "../support/bento-server.js";

const SERVICE = `
import { api, service } from "bentoc";

@service()
export class Echo {
  @api()
  async echo(text: string): Promise<string> {
    return text;
  }
}
`;

let bento: RunningBento;
beforeAll(async () => {
  bento = await startBento(SERVICE, { requestTimeoutMs: 1_000 });
});
afterAll(() => bento?.close());

describe("a client that sends its request too slowly", () => {
  it("is cut off near the request timeout instead of holding the socket", async () => {
    const { port } = new URL(bento.url);
    const socket = net.connect(Number(port), "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString()));
    const started = Date.now();
    // Headers promise a body that never comes.
    socket.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"te");
    const closedAfter = await new Promise<number>((resolve) => {
      socket.on("close", () => resolve(Date.now() - started));
      setTimeout(() => resolve(-1), 10_000).unref();
    });
    expect(closedAfter).toBeGreaterThanOrEqual(900);
    expect(closedAfter).toBeLessThan(8_000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });
});

import net from "node:net";

/**
 * A port on 127.0.0.1 that nothing listened on a moment ago, for a server that must be told its
 * port: a service of `bentoc serve --split`, and in the benches and tests redis-server or a bento
 * cluster (they import it from here).
 */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Why a server could not listen, in words a user can act on; undefined when the error is not
 * about the address (Node's listen errors carry the address and port they were about).
 */
export function listenProblem(error: unknown): string | undefined {
  const { code, address, port } = (error ?? {}) as NodeJS.ErrnoException & { address?: string; port?: number };
  const where = address === undefined ? `port ${port}` : `${address}:${port}`;
  switch (code) {
    case "EADDRINUSE":
      return `cannot listen on ${where}: the address is already in use (is another server running there?); stop it, or choose another port (--port or BENTOC_PORT)`;
    case "EACCES":
      return `cannot listen on ${where}: permission denied (ports below 1024 need privileges); choose another port (--port or BENTOC_PORT)`;
    case "EADDRNOTAVAIL":
      return `cannot listen on ${where}: ${address} is not an address of this machine; choose another host (--host or BENTOC_HOST)`;
    default:
      return undefined;
  }
}

/**
 * The exit code of a cluster worker that cannot listen on the bento's address. Restarting it
 * would fail the same way, so its primary stops the bento instead (sysexits' EX_CONFIG).
 */
export const CANNOT_LISTEN_EXIT_CODE = 78;

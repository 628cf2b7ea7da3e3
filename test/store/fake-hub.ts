import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One revision of a fake Hub model: its commit sha and files. */
export interface FakeRevision {
  sha: string;
  files: Record<string, string | Buffer>;
}

export interface FakeHubOptions {
  /** modelId → revision name (branch, tag) → revision. */
  models: Record<string, Record<string, FakeRevision>>;
  /** Files (by path) answered with HTTP 500. */
  failing?: string[];
  /** Files whose body stops halfway (Content-Length promises more). */
  truncated?: string[];
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  token?: string;
  /** Extra file names listed in `siblings` but never served (e.g. hostile paths). */
  extraSiblings?: string[];
}

export interface FakeHub {
  endpoint: string;
  /** Paths requested, in order (e.g. `/api/models/org/m/revision/main`, `/org/m/resolve/<sha>/a.json`). */
  requests: string[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 speaking the two Hub routes `bentoc models pull` uses. */
export async function startFakeHub(options: FakeHubOptions): Promise<FakeHub> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const url = decodeURI(request.url ?? "/");
    requests.push(url);
    if (options.token !== undefined && request.headers.authorization !== `Bearer ${options.token}`) {
      return send(response, 401, { error: "Invalid credentials" });
    }
    handle(options, url, request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function handle(options: FakeHubOptions, url: string, _request: IncomingMessage, response: ServerResponse): void {
  const info = /^\/api\/models\/(.+)\/revision\/([^/]+)$/.exec(url);
  if (info) {
    const revision = findRevision(options, info[1]!, decodeURIComponent(info[2]!));
    if (!revision) return send(response, 404, { error: "Revision Not Found" });
    const siblings = [...Object.keys(revision.files), ...(options.extraSiblings ?? [])].map((rfilename) => ({ rfilename }));
    return send(response, 200, { id: info[1], sha: revision.sha, siblings });
  }
  const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url);
  if (resolve) {
    const [, modelId, rev, file] = resolve as unknown as [string, string, string, string];
    const revision = findRevision(options, modelId, decodeURIComponent(rev));
    const body = revision?.files[file];
    if (body === undefined) return send(response, 404, { error: "Entry not found" });
    if (options.failing?.includes(file)) return send(response, 500, { error: "boom" });
    const bytes = Buffer.from(body);
    response.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(bytes.length) });
    if (options.truncated?.includes(file)) {
      response.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
      setTimeout(() => response.socket?.destroy(), 20);
      return;
    }
    return void response.end(bytes);
  }
  send(response, 404, { error: "Not found" });
}

/** By branch/tag name, or by commit sha as the real Hub allows. */
function findRevision(options: FakeHubOptions, modelId: string, revision: string): FakeRevision | undefined {
  const revisions = options.models[modelId] ?? {};
  return revisions[revision] ?? Object.values(revisions).find((each) => each.sha === revision);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

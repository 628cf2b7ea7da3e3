import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import picomatch from "picomatch/posix.js";
import { HUGGINGFACE_ID_PATTERN } from "../manifest/manifest-schema.js";
import { StoreError } from "./errors.js";
import { findPulledModel, huggingFaceModelName } from "./huggingface-ref.js";
import { MODEL_FILES_DIR, type ModelStore, type StoredModel } from "./model-store.js";
import type { ModelFile } from "./model-yaml.js";
import { relativePathProblem } from "./safe-path.js";
import { assertValidName, isValidVersion } from "./tag.js";

export const DEFAULT_HF_ENDPOINT = "https://huggingface.co";

export interface HubPullOptions {
  /** `org/name` (or a bare `name`). */
  modelId: string;
  /** Branch, tag or commit sha; default "main". */
  revision?: string;
  /** Globs of files to fetch (default: all), matched against the Hub's paths. */
  include?: readonly string[];
  exclude?: readonly string[];
  /** Store name; default `org--name` lower-cased. */
  name?: string;
  /** Default `$HF_ENDPOINT`, else https://huggingface.co. */
  endpoint?: string;
  /** Default `$HF_TOKEN`; sent as a bearer token when set. */
  token?: string;
  onProgress?: (event: PullProgress) => void;
}

/** Reported as files start and as bytes arrive. */
export interface PullProgress {
  file: string;
  /** 1-based position of `file` among `files`. */
  index: number;
  files: number;
  received: number;
  /** From Content-Length, when the server sends one. */
  size?: number;
}

interface HubModelInfo {
  sha?: string;
  siblings?: { rfilename?: unknown }[];
}

/**
 * Downloads a Hub model into the model store through the Hub's HTTP file API. Everything
 * goes to a staging directory first, so a failed download leaves no entry. A model already
 * pulled at the same commit is returned without downloading again.
 */
export async function pullHuggingFace(store: ModelStore, options: HubPullOptions, env: NodeJS.ProcessEnv = process.env): Promise<StoredModel> {
  const { modelId } = options;
  if (!new RegExp(HUGGINGFACE_ID_PATTERN).test(modelId)) throw new StoreError(`${JSON.stringify(modelId)} is not a Hugging Face model id; write it as "org/name"`);
  const revision = options.revision ?? "main";
  if (revision === "" || /[\s\0]/.test(revision)) throw new StoreError(`${JSON.stringify(revision)} is not a revision`);
  const name = options.name ?? huggingFaceModelName(modelId);
  assertValidName(name, `store name for ${modelId} (pass --name)`);
  const hub = new HubClient((options.endpoint ?? env.HF_ENDPOINT ?? DEFAULT_HF_ENDPOINT).replace(/\/+$/, ""), options.token ?? env.HF_TOKEN);

  const listing = await hub.json<HubModelInfo>(`/api/models/${modelId}/revision/${encodeURIComponent(revision)}`, `${modelId}@${revision}`);
  const commit = typeof listing.sha === "string" && isValidVersion(listing.sha) ? listing.sha : undefined;
  const files = selectFiles(listing, options, `${modelId}@${revision}`);
  if (commit !== undefined) {
    const existing = findPulledModel(store, modelId, commit, name);
    if (existing?.version === commit) return existing;
  }

  const staging = store.stagingDir();
  try {
    const stored: ModelFile[] = [];
    for (const [index, file] of files.entries()) {
      const target = path.join(staging, MODEL_FILES_DIR, ...file.split("/"));
      const url = `/${modelId}/resolve/${encodeURIComponent(commit ?? revision)}/${file.split("/").map(encodeURIComponent).join("/")}`;
      stored.push(await hub.download(url, target, file, (received, size) =>
        options.onProgress?.({ file, index: index + 1, files: files.length, received, size })));
    }
    return store.commitStaged(staging, stored, {
      name,
      version: commit,
      metadata: { source: "huggingface", modelId, revision, ...(commit ? { commit } : {}), endpoint: hub.endpoint },
    });
  } catch (error) {
    store.discardStaging(staging);
    throw error;
  }
}

/** The Hub's file names after include/exclude, each checked before it becomes a path. */
function selectFiles(listing: HubModelInfo, options: HubPullOptions, what: string): string[] {
  if (!Array.isArray(listing.siblings)) throw new StoreError(`The Hub's answer for ${what} lists no files (no "siblings")`);
  const names = listing.siblings.map((sibling) => sibling.rfilename).filter((name): name is string => typeof name === "string");
  for (const name of names) {
    const problem = relativePathProblem(name);
    if (problem !== undefined) throw new StoreError(`Refused to pull ${what}: the Hub lists a file whose path is unsafe (${problem})`);
  }
  const included = options.include?.length ? picomatch(options.include, { dot: true }) : () => true;
  const excluded = options.exclude?.length ? picomatch(options.exclude, { dot: true }) : () => false;
  const selected = names.filter((name) => included(name) && !excluded(name)).sort();
  if (selected.length === 0) {
    throw new StoreError(`No file of ${what} matches the include/exclude globs (the model has: ${names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""})`);
  }
  return selected;
}

class HubClient {
  constructor(readonly endpoint: string, private readonly token: string | undefined) {}

  async json<T>(route: string, what: string): Promise<T> {
    const response = await this.get(route, what);
    try {
      return (await response.json()) as T;
    } catch {
      throw new StoreError(`The Hub at ${this.endpoint} answered ${what} with something that is not JSON`);
    }
  }

  /** Streams a file to `target`, hashing it on the way. */
  async download(route: string, target: string, file: string, progress: (received: number, size?: number) => void): Promise<ModelFile> {
    const response = await this.get(route, file);
    if (!response.body) throw new StoreError(`The Hub sent no body for ${file}`);
    const declared = Number(response.headers.get("content-length"));
    const size = Number.isFinite(declared) && declared > 0 ? declared : undefined;
    const hash = createHash("sha256");
    let received = 0;
    progress(0, size);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        received += chunk.length;
        progress(received, size);
        callback(null, chunk);
      },
    });
    try {
      await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), meter, fs.createWriteStream(target));
    } catch (error) {
      throw new StoreError(`Downloading ${file} from ${this.endpoint} failed: ${(error as Error).message}`);
    }
    if (size !== undefined && received !== size) throw new StoreError(`Downloading ${file} from ${this.endpoint} stopped after ${received} of ${size} bytes`);
    return { path: file, sizeBytes: received, sha256: hash.digest("hex") };
  }

  private async get(route: string, what: string): Promise<Response> {
    const url = `${this.endpoint}${route}`;
    let response: Response;
    try {
      response = await fetch(url, { headers: this.token ? { authorization: `Bearer ${this.token}` } : {}, redirect: "follow" });
    } catch (error) {
      throw new StoreError(`Cannot reach the Hub at ${this.endpoint} (${(error as Error & { cause?: Error }).cause?.message ?? (error as Error).message}); set HF_ENDPOINT to use a mirror`);
    }
    if (response.ok) return response;
    await response.body?.cancel();
    if (response.status === 401 || response.status === 403) {
      throw new StoreError(`The Hub refused ${what} (HTTP ${response.status}): the model may be gated or private; set HF_TOKEN to a token that can read it`);
    }
    if (response.status === 404) throw new StoreError(`The Hub has no ${what} (HTTP 404 from ${url})`);
    throw new StoreError(`The Hub answered ${what} with HTTP ${response.status} (${url})`);
  }
}

import { withVersion } from "../manifest/version.js";
import type { BentoManifest, JsonSchema, ModelManifest } from "../manifest/types.js";
import type { CompiledService } from "./service.js";

// The current Node.js LTS line: what an image runs on when the service names no version.
export const DEFAULT_NODE_VERSION = "24";

export interface AssemblyInput {
  services: CompiledService[];
  entry: CompiledService;
  defs: Record<string, JsonSchema>;
  bentocVersion: string;
  creationTime: Date;
}

/** The bento's name: the entry service's name as a lower-case store tag (`IrisClassifier` → `iris-classifier`). */
export function bentoNameOf(serviceName: string): string {
  const kebab = serviceName
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "");
  return kebab.slice(0, 64).replace(/[^a-z0-9]+$/, "") || "service";
}

/** Puts the compiled services together into the manifest, versioned by its content. */
export function assembleManifest(input: AssemblyInput): BentoManifest {
  const { entry } = input;
  const image = entry.options.image ?? {};
  const docker: BentoManifest["docker"] = { nodeVersion: image.nodeVersion ?? DEFAULT_NODE_VERSION, systemPackages: [...(image.systemPackages ?? [])] };
  if (image.cuda) docker.cuda = image.cuda;
  const manifest: BentoManifest = {
    manifestVersion: 1,
    name: bentoNameOf(entry.manifest.name),
    version: "",
    bentocVersion: input.bentocVersion,
    creationTime: input.creationTime.toISOString(),
    labels: { ...entry.options.labels },
    entryService: entry.manifest.name,
    services: input.services.map((service) => service.manifest),
    models: uniqueModels(input.services.flatMap((service) => service.models)),
    include: ["**/*"],
    exclude: ["node_modules/**", ".git/**"],
    docker,
    $defs: input.defs,
  };
  return withVersion(manifest);
}

function uniqueModels(models: ModelManifest[]): ModelManifest[] {
  const byTag = new Map<string, ModelManifest>();
  for (const model of models) if (!byTag.has(model.tag)) byTag.set(model.tag, model);
  return [...byTag.values()];
}

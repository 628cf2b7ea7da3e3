import type { CommandModule } from "yargs";
import { endpointsOf } from "../../manifest/routes.js";
import { BentoStore, type StoredBento } from "../../store/bento-store.js";
import { entryCommands } from "../store/entry-commands.js";
import { formatSize } from "../store/store-action.js";

const commands = entryCommands<StoredBento>({
  kind: "bento",
  prefix: "bentoc",
  open: () => new BentoStore(),
  summary: bentoSummary,
  json: (bento) => ({ tag: bento.tag, dir: bento.dir, sizeBytes: bento.sizeBytes, creationTime: bento.creationTime, manifest: bento.manifest }),
});

/** `bentoc list|get|delete|export|import`: the bento store. */
export const bentoCommands: CommandModule<object, any>[] = [commands.list, commands.get, commands.delete, commands.export, commands.import];

function bentoSummary(bento: StoredBento): string {
  const { manifest } = bento;
  const lines = [
    `${bento.tag}`,
    `  path:     ${bento.dir}`,
    `  size:     ${formatSize(bento.sizeBytes)}`,
    `  created:  ${bento.creationTime}`,
    `  bentoc:   ${manifest.bentocVersion}`,
    `  entry:    ${manifest.entryService}`,
  ];
  const labels = Object.entries(manifest.labels ?? {});
  if (labels.length > 0) lines.push(`  labels:   ${labels.map(([key, value]) => `${key}=${value}`).join(", ")}`);
  for (const service of manifest.services) {
    lines.push(`  service ${service.name}:`);
    for (const api of service.apis) {
      for (const endpoint of endpointsOf(api)) lines.push(`    ${endpoint.method.padEnd(4)} ${endpoint.path}  (${api.kind})`);
    }
  }
  if (manifest.models.length > 0) lines.push(`  models:   ${manifest.models.map((model) => model.tag).join(", ")}`);
  return `${lines.join("\n")}\n`;
}

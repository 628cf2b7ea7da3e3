import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { imageWarnings } from "../../generators/docker/index.js";
import { kubernetesNotes } from "../../generators/k8s/index.js";
import { IMAGE_REGISTRY_ENV, imageReference } from "../../manifest/image-registry.js";
import { TASK_STORE_SECRET_ENV } from "../../manifest/task-store-secret.js";
import { BentoStore } from "../../store/bento-store.js";
import { ModelStore } from "../../store/model-store.js";
import { buildBento } from "../build/build-bento.js";
import { readBuildConfig } from "../build/build-config.js";
import { containerize } from "../build/container-builder.js";
import { withImageRegistry } from "../build/image-registry.js";
import { withTaskStoreSecret } from "../build/task-store-secret.js";
import { storeAction } from "../store/store-action.js";
import { displayPath } from "../write-files.js";

interface BuildArgs {
  target: string;
  json: boolean;
  imageRegistry?: string;
  taskStoreSecret?: string;
}

const buildCommand: CommandModule<object, BuildArgs> = {
  command: "build [target]",
  describe: "Build a bento (bundle, runtime packages, Dockerfile, Kubernetes manifests, OpenAPI, client) into the store",
  builder: (yargs: Argv) =>
    yargs
      .positional("target", { type: "string", default: "bentoc.yaml", describe: "The service's .ts file, or a bentoc.yaml naming it" })
      .option("json", { type: "boolean", default: false, describe: "Print the stored bento as JSON" })
      .option("image-registry", { type: "string", describe: `Registry the image is pushed to, host[:port][/path]: the Kubernetes manifests and containerize name the image <registry>/<name>:<version> (default: $${IMAGE_REGISTRY_ENV}, else docker.imageRegistry in bentoc.yaml)` })
      .option("task-store-secret", { type: "string", describe: `Kubernetes Secret holding the shared task store's URL (redis://…), <name>[:<key>[:<passwordKey>]] (key default: url): task services read it as BENTOC_TASK_STORE and may scale past one replica (default: $${TASK_STORE_SECRET_ENV}, else taskStore.secret in bentoc.yaml)` })
      .example("$0 build service.ts", "Build and store the bento; prints its tag")
      .example("$0 build bentoc.yaml", "Build with include/exclude, labels and docker options from bentoc.yaml")
      .example("$0 build service.ts --image-registry ghcr.io/acme", "Name the image ghcr.io/acme/<name>:<version> in k8s/*.yaml")
      .example("$0 build service.ts --task-store-secret bento-redis:url", "Task services read BENTOC_TASK_STORE from Secret bento-redis, key url, and scale to 10 replicas") as Argv<BuildArgs>,
  handler: async (args: ArgumentsCamelCase<BuildArgs>) => {
    const bento = await storeAction(() => {
      const config = withTaskStoreSecret(withImageRegistry(readBuildConfig(args.target), args.imageRegistry), args.taskStoreSecret);
      return buildBento(config, new BentoStore(), new ModelStore());
    });
    for (const warning of imageWarnings(bento.manifest, new Date())) process.stderr.write(`bentoc: warning: ${warning}\n`);
    for (const note of kubernetesNotes(bento.manifest)) process.stderr.write(`bentoc: note: ${note}\n`);
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ tag: bento.tag, dir: bento.dir, sizeBytes: bento.sizeBytes, creationTime: bento.creationTime }, null, 2)}\n`);
    } else {
      process.stdout.write(`Built ${bento.tag} → ${displayPath(bento.dir)}\nNext: bentoc containerize ${bento.tag}   or   bentoc serve ${bento.tag}\n`);
    }
  },
};

interface ContainerizeArgs {
  tag: string;
  image?: string;
  tool?: string;
}

const containerizeCommand: CommandModule<object, ContainerizeArgs> = {
  command: "containerize <tag>",
  describe: "Build a stored bento into a container image with docker, podman or buildah",
  builder: (yargs: Argv) =>
    yargs
      .positional("tag", { type: "string", demandOption: true, describe: "The bento: name, name:latest or name:version" })
      .option("image", { alias: "t", type: "string", describe: "Image tag (default: the bento's [registry/]name:version)" })
      .option("tool", { type: "string", choices: ["docker", "podman", "buildah"], describe: "Use this builder only" })
      .example("$0 containerize quickstart:latest", "docker build the newest quickstart bento") as Argv<ContainerizeArgs>,
  handler: async (args: ArgumentsCamelCase<ContainerizeArgs>) => {
    const bento = await storeAction(() => new BentoStore().get(args.tag));
    const image = args.image ?? imageReference(bento.manifest);
    const { tool } = containerize(bento.dir, image, args.tool);
    const push = args.image === undefined && bento.manifest.docker.imageRegistry ? `Push: ${tool} push ${image}   (k8s/*.yaml name this image)\n` : "";
    process.stdout.write(`Built image ${image} with ${tool}\nRun: docker run --rm -p 3000:3000 ${image}\n${push}`);
  },
};

/** `bentoc build` and `bentoc containerize`. */
export const buildCommands: CommandModule<object, any>[] = [buildCommand, containerizeCommand];

// The OpenAPI generator: manifest in, `openapi.json` (or `openapi.yaml`) out.
import { stringify } from "yaml";
import type { BentoManifest } from "../../manifest/types.js";
import { openApiDocument, type OpenApiDocumentOptions } from "./document.js";

export { openApiDocument } from "./document.js";
export type { OpenApiDocumentOptions } from "./document.js";
export type { OpenApiDocument } from "./types.js";

export interface OpenApiOptions extends OpenApiDocumentOptions {
  format?: "json" | "yaml";
}

export function generateOpenApi(manifest: BentoManifest, options: OpenApiOptions = {}): Map<string, string> {
  const document = openApiDocument(manifest, options);
  if (options.format === "yaml") {
    // No anchors: readers of the YAML should see each schema where it is used.
    return new Map([["openapi.yaml", stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 })]]);
  }
  return new Map([["openapi.json", JSON.stringify(document, null, 2) + "\n"]]);
}

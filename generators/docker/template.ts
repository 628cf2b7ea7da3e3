import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";

/**
 * A handlebars template from the repository's `templates/` folder, found from this module both
 * in the sources (generators/docker/) and in the build (dist/generators/docker/). Output is not
 * HTML-escaped: callers quote every value for the file format themselves.
 */
export function loadTemplate(fileName: string): Handlebars.TemplateDelegate {
  const cached = compiled.get(fileName);
  if (cached) return cached;
  let folder = path.dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 5; depth++, folder = path.dirname(folder)) {
    const candidate = path.join(folder, "templates", fileName);
    if (fs.existsSync(candidate)) {
      const template = Handlebars.compile(fs.readFileSync(candidate, "utf8"), { noEscape: true, strict: true });
      compiled.set(fileName, template);
      return template;
    }
  }
  throw new Error(`bentoc's template ${fileName} is missing from its templates/ folder`);
}

const compiled = new Map<string, Handlebars.TemplateDelegate>();

import type { DocText } from "../manifest/types.js";
import type { DocComment } from "./schema/jsdoc.js";

/** An API's or service's doc: the first sentence or line is the summary, the whole text the description. */
export function docText(doc: DocComment): DocText {
  const result: DocText = {};
  if (doc.description) {
    const firstLine = doc.description.split(/\n\s*\n|\n/)[0]!.trim();
    const sentence = /^(.+?[.!?])(\s|$)/.exec(firstLine);
    result.summary = (sentence ? sentence[1]! : firstLine).slice(0, 120);
    // A one-sentence doc is all summary; repeating it as the description adds nothing.
    if (doc.description !== result.summary) result.description = doc.description;
  }
  if (doc.tags.some((tag) => tag.name === "deprecated")) result.deprecated = true;
  return result;
}

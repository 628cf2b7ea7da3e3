import type ts from "typescript";

/** Where a type appears, for diagnostics: the node to point at and how to name it in a message. */
export interface TypeSite {
  node: ts.Node;
  /** e.g. "Parameter 'prompt' of 'generate'", "Property 'tags' of 'Order'". */
  label: string;
}

/** A site's label as it reads mid-sentence: "Property 'x' of 'T'" → "property 'x' of 'T'"; names keep their case. */
export function labelMidSentence(label: string): string {
  return label.charAt(0).toLowerCase() + label.slice(1);
}

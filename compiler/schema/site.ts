import type ts from "typescript";

/** Where a type appears, for diagnostics: the node to point at and how to name it in a message. */
export interface TypeSite {
  node: ts.Node;
  /** e.g. "Parameter 'prompt' of 'generate'", "Property 'tags' of 'Order'". */
  label: string;
}

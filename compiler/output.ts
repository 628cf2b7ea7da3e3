import ts = require("typescript");
import { JSON_MEDIA_TYPE, NDJSON_MEDIA_TYPE, SSE_MEDIA_TYPE, TEXT_MEDIA_TYPE, type OutputManifest } from "../manifest/types.js";
import type { CompileContext } from "./compile-context.js";
import { withResultAliasDocs } from "./schema/alias-docs.js";
import { binarySchema, binaryTypeName } from "./schema/builtin.js";
import { withDocs } from "./schema/jsdoc.js";
import { valueSchema } from "./schema/nullable.js";
import type { TypeSite } from "./schema/site.js";
import { streamShapeOf } from "./stream.js";

export const BINARY_MEDIA_TYPE = "application/octet-stream";

export interface OutputShape {
  output: OutputManifest;
  streaming: boolean;
  /** The awaited result type (for a stream, the element type). */
  type: ts.Type | undefined;
}

/** The response side of an API: the awaited return type, or the element type of a stream. */
export function outputOf(method: ts.MethodDeclaration, methodName: string, context: CompileContext): OutputShape {
  const { checker, sink, schemas } = context;
  const signature = checker.getSignatureFromDeclaration(method);
  const returned = signature ? checker.getReturnTypeOfSignature(signature) : checker.getAnyType();
  const awaited = checker.getAwaitedType(returned) ?? returned;
  const site: TypeSite = { node: method.type ?? method.name, label: `The return type of '${methodName}'` };
  const returnsDoc = ts.getJSDocReturnTag(method);
  const returnsText = returnsDoc ? ts.getTextOfJSDocComment(returnsDoc.comment)?.trim() ?? "" : "";
  const describe = (schema: OutputManifest["schema"]) => withDocs(withResultAliasDocs(schema, method.type, site, schemas), [{ description: returnsText, tags: [] }], site, schemas);

  const shape = streamShapeOf(awaited, checker);
  if (shape.kind === "untyped" || shape.kind === "unsupported") {
    sink.report(shape.kind === "untyped" ? "BTC2005" : "BTC2009", site.node, methodName, shape.typeText);
    return { output: { schema: {}, mediaTypes: [SSE_MEDIA_TYPE, NDJSON_MEDIA_TYPE] }, streaming: true, type: undefined };
  }
  if (shape.kind === "stream") {
    const elementSite = { ...site, label: `The stream element type of '${methodName}'` };
    const members = shape.element.isUnion() ? shape.element.types : [shape.element];
    const isText = members.every((member) => member.flags & ts.TypeFlags.StringLike);
    const mediaTypes = isText ? [SSE_MEDIA_TYPE, NDJSON_MEDIA_TYPE, TEXT_MEDIA_TYPE] : [SSE_MEDIA_TYPE, NDJSON_MEDIA_TYPE];
    return { output: { schema: describe(valueSchema(shape.element, elementSite, schemas)), mediaTypes }, streaming: true, type: shape.element };
  }
  if (awaited.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) {
    sink.report("BTC2003", site.node, site.label, checker.typeToString(awaited));
    return { output: { schema: {}, mediaTypes: [JSON_MEDIA_TYPE] }, streaming: false, type: awaited };
  }
  const binary = binaryTypeName(awaited);
  if (binary) return { output: { schema: describe(binarySchema(binary, "multipart")), mediaTypes: [BINARY_MEDIA_TYPE] }, streaming: false, type: awaited };
  return { output: { schema: describe(valueSchema(awaited, site, schemas)), mediaTypes: [JSON_MEDIA_TYPE] }, streaming: false, type: awaited };
}

import ts = require("typescript");
import { JSON_MEDIA_TYPE, MULTIPART_MEDIA_TYPE, type InputManifest, type JsonSchema, type JsonSchemaObject, type ParameterManifest } from "../manifest/types.js";
import type { CompileContext } from "./compile-context.js";
import { binarySchema, binaryTypeName } from "./schema/builtin.js";
import { withAliasDocs } from "./schema/alias-docs.js";
import { docOfParameter, withDocs } from "./schema/jsdoc.js";
import { includesUndefined, withoutUndefined } from "./schema/lib-types.js";
import { labelMidSentence, type TypeSite } from "./schema/site.js";
import { nullableSchema } from "./schema/nullable.js";
import { streamShapeOf } from "./stream.js";

/** The types of the API's parameters, besides the Context, for batching checks. */
export type ParameterTypes = { name: string; type: ts.Type; node: ts.ParameterDeclaration }[];

/** The request side of an API: one object schema with a property per named parameter. */
export function inputOf(method: ts.MethodDeclaration, methodName: string, context: CompileContext): { input: InputManifest; types: ParameterTypes } {
  const { checker, sdk, sink } = context;
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const parameters: ParameterManifest[] = [];
  const types: ParameterTypes = [];
  let contextIndex: number | undefined;
  // `this: T` only types the receiver: it is not an argument, and later positions shift down.
  const declared = method.parameters.filter((parameter) => !(ts.isIdentifier(parameter.name) && parameter.name.text === "this"));
  declared.forEach((parameter, index) => {
    if (!ts.isIdentifier(parameter.name) || parameter.dotDotDotToken) {
      const what = parameter.dotDotDotToken ? "a rest parameter" : "a destructuring pattern";
      sink.report("BTC2010", parameter, index + 1, methodName, what);
      return;
    }
    const name = parameter.name.text;
    const declaredType = checker.getTypeAtLocation(parameter);
    const { type, nullable } = withoutUndefined(declaredType, checker);
    const parameterType = type ?? declaredType;
    if (sdk.isContext(parameterType)) {
      contextIndex = index;
      return;
    }
    const site: TypeSite = { node: parameter, label: `Parameter '${name}' of '${methodName}'` };
    types.push({ name, type: parameterType, node: parameter });
    // A multipart part is there or not: a nullable file is an optional file.
    const fileType = checker.getNonNullableType(parameterType);
    const messages = messagesElementOf(parameterType, checker);
    const transport = messages ? "messages" : transportOf(fileType, checker);
    const fileNullable = (transport === "file" || transport === "files") && fileType !== parameterType;
    let schema = messages
      ? parameterSchema(messages, "json", { ...site, label: `The message type of parameter '${name}' of '${methodName}'` }, context)
      : parameterSchema(transport === "json" ? parameterType : fileType, transport, site, context);
    // `null | undefined` maps to null already; only a defined part gains null beside it.
    if (nullable && type && transport === "json") schema = nullableSchema(schema);
    schema = withDocs(withAliasDocs(schema, parameter, site, context.schemas), [docOfParameter(parameter, checker)], site, context.schemas);
    schema = withDefault(schema, parameter, context);
    properties[name] = schema;
    const isRequired = !parameter.questionToken && !parameter.initializer && !includesUndefined(declaredType) && !fileNullable;
    if (isRequired) required.push(name);
    parameters.push({ name, index, required: isRequired, transport });
  });
  const schema: JsonSchemaObject = { type: "object", properties };
  if (required.length > 0) schema.required = required;
  const hasFiles = parameters.some((parameter) => parameter.transport === "file" || parameter.transport === "files");
  const input: InputManifest = { schema, mediaTypes: [hasFiles ? MULTIPART_MEDIA_TYPE : JSON_MEDIA_TYPE], parameters };
  if (contextIndex !== undefined) input.contextIndex = contextIndex;
  return { input, types };
}

/** The message type of a WebSocket API's parameter, `AsyncIterable<Message>` (or an async generator or iterator of it). */
function messagesElementOf(type: ts.Type, checker: ts.TypeChecker): ts.Type | undefined {
  const shape = streamShapeOf(type, checker);
  return shape.kind === "stream" && MESSAGE_STREAMS.has(type.getSymbol()?.getName() ?? "") ? shape.element : undefined;
}
const MESSAGE_STREAMS = new Set(["AsyncIterable", "AsyncIterableIterator", "AsyncGenerator"]);

function transportOf(type: ts.Type, checker: ts.TypeChecker): ParameterManifest["transport"] {
  if (binaryTypeName(type)) return "file";
  if (checker.isArrayType(type)) {
    const element = checker.getTypeArguments(type as ts.TypeReference)[0];
    if (element && binaryTypeName(element)) return "files";
  }
  return "json";
}

function parameterSchema(type: ts.Type, transport: ParameterManifest["transport"], site: TypeSite, context: CompileContext): JsonSchema {
  const { checker, sink, schemas } = context;
  if (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) {
    sink.report("BTC2003", site.node, site.label, checker.typeToString(type));
    return {};
  }
  if (transport === "file") return binarySchema(binaryTypeName(type)!, "multipart");
  if (transport === "files") {
    const element = checker.getTypeArguments(type as ts.TypeReference)[0]!;
    return { type: "array", items: binarySchema(binaryTypeName(element)!, "multipart") };
  }
  const { schema, hazards } = schemas.inputSchemaFor(type, site);
  for (const hazard of hazards) {
    if (hazard.symbolKey) sink.report("BTC2002", site.node, `The key of required property '${hazard.symbolKey}' of '${hazard.typeName}' (in ${labelMidSentence(site.label)})`);
    else sink.report("BTC2004", site.node, site.label, hazard.typeName);
  }
  return schema;
}

/** A parameter initialiser the compiler can read becomes the schema's `default`. */
function withDefault(schema: JsonSchema, parameter: ts.ParameterDeclaration, context: CompileContext): JsonSchema {
  if (!parameter.initializer || typeof schema !== "object") return schema;
  const evaluation = context.evaluator.evaluate(parameter.initializer);
  if (!evaluation.ok || evaluation.value === undefined || !isJsonValue(evaluation.value)) return schema;
  return { ...schema, default: evaluation.value };
}

function isJsonValue(value: unknown): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  return typeof value === "object" && Object.values(value as object).every(isJsonValue);
}

import ts = require("typescript");
import type { ApiErrorManifest } from "../manifest/types.js";
import { isThrowableStatus, SERVER_OWNED_SUMMARY } from "../manifest/error-statuses.js";
import type { CompileContext } from "./compile-context.js";

/**
 * The errors a method declares in its JSDoc, `@throws {NotFound} when no model has that name`:
 * each a ServiceError class with a status (the SDK's, or a subclass of one), which the OpenAPI
 * document lists among the operation's responses and the client documents. A `@throws` of
 * another class (a RangeError, say) is only documentation: BTC1019 says it is not listed.
 */
export function declaredErrorsOf(method: ts.MethodDeclaration, methodName: string, context: CompileContext): ApiErrorManifest[] {
  const errors: ApiErrorManifest[] = [];
  for (const tag of ts.getJSDocTags(method)) {
    if (!ts.isJSDocThrowsTag(tag) || !tag.typeExpression) continue;
    const type = tag.typeExpression.type;
    const named = ts.isTypeReferenceNode(type) ? classOf(type.typeName, context) : undefined;
    const status = named && serviceErrorStatus(named, context);
    if (status === undefined) {
      context.sink.report("BTC1019", type, type.getText(), methodName);
      continue;
    }
    const text = ts.getTextOfJSDocComment(tag.comment)?.trim().replace(/^-\s*/, "");
    errors.push({ status, name: named!.getName(), ...(text ? { description: text } : {}) });
  }
  return errors;
}

/**
 * Reports BTC1018 at each `new ServiceError(<status>, …)` of the file whose literal status only
 * the server answers (a 405, a 504): the method would answer 500 instead.
 */
export function checkThrownStatuses(sourceFile: ts.SourceFile, context: CompileContext): void {
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && context.sdk.sdkName(context.checker.getSymbolAtLocation(node.expression)) === "ServiceError") {
      const status = node.arguments?.[0];
      if (status && ts.isNumericLiteral(status) && !isThrowableStatus(Number(status.text))) {
        context.sink.report("BTC1018", status, status.text, SERVER_OWNED_SUMMARY);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
}

function classOf(name: ts.EntityName, context: CompileContext): ts.Symbol | undefined {
  let symbol = context.checker.getSymbolAtLocation(name);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = context.checker.getAliasedSymbol(symbol);
  return symbol && symbol.flags & ts.SymbolFlags.Class ? symbol : undefined;
}

/** The static `status` of a class that extends the SDK's ServiceError, when it is a status a method may throw. */
function serviceErrorStatus(symbol: ts.Symbol, context: CompileContext): number | undefined {
  const { checker } = context;
  const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
  if (!declaration || !extendsServiceError(checker.getDeclaredTypeOfSymbol(symbol), context)) return undefined;
  const status = checker.getTypeOfSymbolAtLocation(symbol, declaration).getProperty("status");
  const type = status && checker.getTypeOfSymbolAtLocation(status, declaration);
  return type?.isNumberLiteral() && isThrowableStatus(type.value) ? type.value : undefined;
}

function extendsServiceError(type: ts.Type, context: CompileContext): boolean {
  for (let current: ts.Type | undefined = type, depth = 0; current && depth < 32; depth++) {
    if (context.sdk.sdkName(current.getSymbol()) === "ServiceError") return true;
    current = current.isClassOrInterface() ? context.checker.getBaseTypes(current)[0] : undefined;
  }
  return false;
}

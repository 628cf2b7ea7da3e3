import ts = require("typescript");
import { isInside } from "./program.js";

export type NumericAlias = "int8" | "int16" | "int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64" | "float32" | "float64";
const NUMERIC_ALIASES = new Set<string>(["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64"]);

/** Recognises what comes from bentoc's own SDK, by where it is declared rather than by name. */
export class SdkSymbols {
  constructor(private readonly checker: ts.TypeChecker, private readonly sdkDir: string) {}

  isSdkNode(node: ts.Node): boolean {
    return isInside(node.getSourceFile().fileName, this.sdkDir);
  }

  /** The SDK name a symbol stands for (through imports and re-exports), or undefined if it is not the SDK's. */
  sdkName(symbol: ts.Symbol | undefined): string | undefined {
    if (!symbol) return undefined;
    const target = symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    const declaration = target.declarations?.[0];
    return declaration && this.isSdkNode(declaration) ? target.getName() : undefined;
  }

  /** `service` for `@service({...})`, `onStartup` for `@onStartup`; undefined for other decorators. */
  decoratorName(decorator: ts.Decorator): string | undefined {
    const callee = ts.isCallExpression(decorator.expression) ? decorator.expression.expression : decorator.expression;
    return this.sdkName(this.checker.getSymbolAtLocation(callee));
  }

  isContext(type: ts.Type): boolean {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    return this.sdkName(symbol) === "Context";
  }

  /** The numeric alias (`int32`, `float32`, …) a type is branded with. */
  numericAlias(type: ts.Type): NumericAlias | undefined {
    if (!type.isIntersection()) return undefined;
    for (const member of type.types) {
      if (!(member.flags & ts.TypeFlags.Object)) continue;
      for (const property of this.checker.getPropertiesOfType(member)) {
        const declaration = property.declarations?.[0];
        if (!declaration || !this.isSdkNode(declaration) || !ts.isPropertySignature(declaration)) continue;
        if (!ts.isComputedPropertyName(declaration.name) || !ts.isIdentifier(declaration.name.expression)) continue;
        const alias = declaration.name.expression.text.replace(/Brand$/, "");
        if (NUMERIC_ALIASES.has(alias)) return alias as NumericAlias;
      }
    }
    return undefined;
  }
}

import ts = require("typescript");

/** The name of a type's symbol when the type comes from TypeScript's libs or @types (not the user's code). */
export function libTypeName(type: ts.Type): string | undefined {
  const symbol = type.aliasSymbol ?? type.getSymbol();
  if (!symbol) return undefined;
  const declarations = symbol.getDeclarations() ?? [];
  const fromLib = declarations.length > 0 && declarations.every((declaration) => {
    const file = declaration.getSourceFile();
    return file.isDeclarationFile && (file.hasNoDefaultLib || /[\\/]node_modules[\\/]/.test(file.fileName));
  });
  return fromLib ? symbol.getName() : undefined;
}

/** Declared outside the user's code: in TypeScript's own libs or in a package's declarations. */
export function isLibDeclared(symbol: ts.Symbol): boolean {
  const file = symbol.getDeclarations()?.[0]?.getSourceFile();
  return !!file && file.isDeclarationFile && (file.hasNoDefaultLib || /[\\/]node_modules[\\/]/.test(file.fileName));
}

/** Declared in TypeScript's own libs (`lib.es5.d.ts`, `lib.dom.d.ts`, …): the language and the host, not a package. */
export function isDefaultLibDeclared(symbol: ts.Symbol): boolean {
  const file = symbol.getDeclarations()?.[0]?.getSourceFile();
  return !!file && file.isDeclarationFile && file.hasNoDefaultLib;
}

export function isTypeReference(type: ts.Type): type is ts.TypeReference {
  return !!(type.flags & ts.TypeFlags.Object) && !!((type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference);
}

const UNDEFINED_LIKE = ts.TypeFlags.Undefined | ts.TypeFlags.Void;

export function includesUndefined(type: ts.Type): boolean {
  const members = type.isUnion() ? type.types : [type];
  return members.some((member) => member.flags & UNDEFINED_LIKE);
}

/**
 * An optional value's type without its `undefined`. The checker's non-nullable type keeps the
 * alias of a named union (`Shape | undefined` → `Shape`), but drops `null` too, so say whether
 * it was there. `type` is undefined when nothing but undefined/null remains.
 */
export function withoutUndefined(type: ts.Type, checker: ts.TypeChecker): { type: ts.Type | undefined; nullable: boolean } {
  if (!includesUndefined(type)) return { type, nullable: false };
  const members = type.isUnion() ? type.types : [type];
  const nullable = members.some((member) => member.flags & ts.TypeFlags.Null);
  const remaining = checker.getNonNullableType(type);
  return { type: remaining.flags & ts.TypeFlags.Never ? undefined : remaining, nullable };
}

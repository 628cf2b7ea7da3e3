import ts = require("typescript");
import type { SdkSymbols } from "../sdk-symbols.js";
import { isDefaultLibDeclared } from "./lib-types.js";

/**
 * The `$defs` name of a named type — an interface, class, enum or type alias of the
 * user's, the SDK's or a package's — or undefined for types that are written inline.
 * TypeScript's own lib types stay inline: `Partial<T>`, `Record<K, V>` and their kin read
 * better spelled out, and the lib's runtime objects never get here (builtin.ts refuses them).
 * A package's types are named like the user's, so a recursive one refers back to itself. Generic
 * instances read like their source: `Page<User>` → `Page_User`, `Box<string[]>` → `Box_stringArray`.
 */
export function defNameOf(type: ts.Type, checker: ts.TypeChecker, sdk: SdkSymbols): string | undefined {
  const alias = type.aliasSymbol;
  if (alias && !isDefaultLibDeclared(alias)) return withArguments(alias.getName(), type.aliasTypeArguments ?? [], checker, sdk);
  if (type.isIntersection() && refersBackTo(type, checker)) return intersectionName(type, checker, sdk);
  const symbol = type.getSymbol();
  if (!symbol || symbol.getName().startsWith("__") || isDefaultLibDeclared(symbol)) return undefined;
  if (!(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class | ts.SymbolFlags.Enum))) return undefined;
  if (type.flags & ts.TypeFlags.EnumLiteral && !type.isUnion()) return undefined; // one member of an enum
  const typeArguments = type.flags & ts.TypeFlags.Object && (type as ts.ObjectType).objectFlags & ts.ObjectFlags.Reference
    ? checker.getTypeArguments(type as ts.TypeReference)
    : [];
  return withArguments(symbol.getName(), typeArguments, checker, sdk);
}

/**
 * An unnamed intersection that contains itself (`interface L { left?: L & R }`) must be named to be
 * referred back to; one that does not is written inline, as before. `L & R` → `L_and_R`.
 */
function intersectionName(type: ts.IntersectionType, checker: ts.TypeChecker, sdk: SdkSymbols): string {
  return safeName(type.types.map((member) => argumentName(member, checker, sdk)).join("_and_"));
}

// How far to look for the way back: far enough for real types, bounded for any.
const MAX_TYPES_SEARCHED = 256;
// defNameOf asks again each time the intersection is met; the answer never changes.
const selfReferring = new WeakMap<ts.Type, boolean>();

function refersBackTo(target: ts.Type, checker: ts.TypeChecker): boolean {
  let known = selfReferring.get(target);
  if (known === undefined) selfReferring.set(target, (known = searchWayBack(target, checker)));
  return known;
}

function searchWayBack(target: ts.Type, checker: ts.TypeChecker): boolean {
  const seen = new Set<ts.Type>();
  const pending: ts.Type[] = [target];
  while (pending.length > 0 && seen.size < MAX_TYPES_SEARCHED) {
    const current = pending.pop()!;
    const parts = current.isUnionOrIntersection() ? [...current.types] : checker.getPropertiesOfType(current).map((property) => checker.getTypeOfSymbol(property));
    const element = current.isUnionOrIntersection() ? undefined : checker.getIndexTypeOfType(current, ts.IndexKind.Number);
    for (const part of element ? [...parts, element] : parts) {
      if (part === target) return true;
      if (!seen.has(part) && part.flags & (ts.TypeFlags.Object | ts.TypeFlags.UnionOrIntersection)) {
        seen.add(part);
        pending.push(part);
      }
    }
  }
  return false;
}

function withArguments(base: string, typeArguments: readonly ts.Type[], checker: ts.TypeChecker, sdk: SdkSymbols): string {
  const parts = [base, ...typeArguments.map((argument) => argumentName(argument, checker, sdk))];
  return safeName(parts.join("_"));
}

/** A `$defs` name keeps to characters every tool takes in a JSON pointer and a generated identifier. */
function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]/g, "_");
}

function argumentName(type: ts.Type, checker: ts.TypeChecker, sdk: SdkSymbols): string {
  const numeric = sdk.numericAlias(type);
  if (numeric) return numeric;
  if (type.isStringLiteral()) return type.value;
  if (type.isNumberLiteral()) return String(type.value).replace("-", "minus").replace(".", "_");
  if (checker.isArrayType(type)) return `${argumentName(checker.getTypeArguments(type as ts.TypeReference)[0]!, checker, sdk)}Array`;
  if (checker.isTupleType(type)) return "Tuple";
  const named = defNameOf(type, checker, sdk);
  if (named) return named;
  if (type.flags & ts.TypeFlags.Boolean) return "boolean";
  if (type.isUnion()) return type.types.map((member) => argumentName(member, checker, sdk)).join("Or");
  if (type.aliasSymbol) return withArguments(type.aliasSymbol.getName(), type.aliasTypeArguments ?? [], checker, sdk); // Pick<Order, "id"> → Pick_Order_id
  const symbol = type.getSymbol();
  if (symbol && !symbol.getName().startsWith("__")) return symbol.getName();
  if (type.flags & ts.TypeFlags.Object) return "Object";
  return checker.typeToString(type);
}

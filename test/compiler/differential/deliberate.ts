// The one reviewed list: every difference between bentoc and the reference that is on
// purpose, and every type bentoc is expected to refuse, each with its reason. A bug is
// never listed here: it shows as `differ` until it is fixed.

import type { Json } from "./values.js";

export type Direction = "request" | "response";
/** Which values bentoc may judge differently: those only it accepts, those only the reference accepts, or both. */
export type Allowance = "bentoc-wider" | "bentoc-narrower" | "both";

export interface ReviewedEntry {
  types: readonly string[];
  reason: string;
  request?: Allowance;
  response?: Allowance;
  /** Diagnostic codes of an expected refusal. */
  refused?: readonly string[];
  /** The reference generator cannot map the type at all. */
  referenceFails?: true;
  /** Values the TypeScript checker allows for the type that a request must accept, where the reference is too loose to tell. */
  mustAccept?: readonly Json[];
  /** Why the checker cannot judge a JSON literal of this type (the oracle skips it). */
  checkerBlind?: string;
}

const TS_NUMBER_TEXTS = ["1", "-2.5", "0x10", ".5", "1.", "+1", "1e3", "0b11", "0o7"];

export const REVIEWED: readonly ReviewedEntry[] = [
  // Absence: `undefined` is never null in a request; a response carries null where JSON.stringify writes it.
  { types: ["JustUndefined", "UndefinedOrString", "UnionWithUndefinedObject", "OptionalCurrency"], reason: "a response may carry null where JSON.stringify writes undefined", response: "bentoc-wider" },
  { types: ["UndefinedItems", "UndefinedTupleElement", "UndefinedOrNumberTuple", "OptionalUndefinedTuple", "NeverTupleElement"], reason: "JSON.stringify writes undefined items as null, so the response admits null; the reference drops undefined", response: "bentoc-wider" },
  { types: ["JustVoid", "VoidOrNumber", "VoidItems"], reason: "the reference maps void to null; void is absence, never null in a request (a response may carry null)", request: "bentoc-narrower" },
  { types: ["UndefinedProps"], reason: "the reference maps `v: void` to a required null; void is absence, so bentoc leaves it optional and refuses null in a request (the checker oracle guards the rest); JSON.stringify drops it from a response", request: "both", response: "both" },
  { types: ["AnyUnknownProps"], reason: "a property typed any/unknown admits undefined, which JSON writes as absence: optional; the reference requires it", request: "bentoc-wider", response: "bentoc-wider" },
  // Types the reference maps more loosely (or wrongly) than TypeScript.
  { types: ["ProfileKeys", "IntersectedLiteral", "ProfileGetters"], reason: "the reference widens keyof, literal intersections and key-remapped mapped types to string/object; bentoc keeps the exact keys and literals", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["RequiredProfile"], reason: "the reference drops `required` for Required<T>; every property is required", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["NonNullableUnion"], reason: "the reference keeps null in NonNullable<T>", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["ProfileFlags"], reason: "a homomorphic mapped type keeps `?` (email stays optional); the reference requires every key", request: "bentoc-wider", response: "bentoc-wider" },
  { types: ["NamedTuple"], reason: "the reference requires the optional named element `nick?`", request: "bentoc-wider", response: "bentoc-wider" },
  { types: ["NumberKeys", "TemplateKeys"], reason: "a number or template-literal index signature constrains only its keys; other keys are allowed (open objects), the reference applies it to all keys", request: "bentoc-wider", response: "bentoc-wider" },
  { types: ["RecordOfNumberKeys"], reason: "the reference maps Record<number, T> to an array; it is an object with numeric keys", request: "both", response: "both" },
  { types: ["ReturnOfFunction", "UpperString"], reason: "the reference cannot map ReturnType<() => …> or Uppercase<string>", referenceFails: true },
  { types: ["UserId", "Greeting", "Prefixed"], reason: "the reference maps a template literal type to any string; bentoc writes its pattern", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["WithTemplateKeys"], reason: "the reference maps a template literal type to any string; bentoc writes its pattern", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["Percent", "CssLength"], reason: "the reference maps a template literal type to any string; bentoc writes its pattern", request: "bentoc-narrower", response: "bentoc-narrower", mustAccept: TS_NUMBER_TEXTS.map((text) => `${text}%`) },
  { types: ["BigIntText"], reason: "the reference maps `${bigint}` to any string; bentoc writes its pattern", request: "bentoc-narrower", response: "bentoc-narrower", mustAccept: ["12", "-3", "0x10", "-0b11", "0o7"] },
  { types: ["Computed", "AllComputed"], reason: "an enum with a computed member (\"ok\".length) admits any number, as the checker does; the reference writes the member's source text as its value", request: "both", response: "both", mustAccept: [2, 500, 7] },
  { types: ["Tags", "ReadonlyTags"], reason: "an interface extending Array/ReadonlyArray is an array on the wire; the reference maps it to an object with length", request: "both", response: "both" },
  // Representation choices.
  { types: ["BigIntValue", "WithBigInt"], reason: "bigint travels as a decimal string (revived by the runtime); the reference says number", request: "both", response: "both" },
  { types: ["BrandedString", "BrandedNumber"], reason: "a brand exists only in the type system; on the wire it is the primitive", checkerBlind: "no JSON value carries a brand" },
  { types: ["Color", "Mixed", "Flag", "OneColor", "FlagValue", "WithEnums", "DistanceUnit", "Route", "Letter", "UnionOfEnumAndLiteral"], reason: "string enums are nominal: the checker refuses a string literal for them, the wire carries the string", checkerBlind: "string enum members are nominal" },
  // Expected refusals: each is a coded diagnostic that says what to do instead.
  { types: ["LeadingRest", "MiddleRest"], reason: "a rest element before the last position cannot be said with prefixItems/items", refused: ["BTC2011"] },
  { types: ["WithPrivate", "WithMethods", "WithMethodSignature", "WithGetter"], reason: "a type with methods or getters as an input: requests are plain JSON, not instances, so a getter would read undefined", refused: ["BTC2004"] },
  { types: ["AnyValue", "UnknownValue", "UnionWithUnknownMember"], reason: "a parameter of type any/unknown has no contract; JsonValue is the typed alternative", refused: ["BTC2003"] },
  { types: ["SymbolValue", "WithSymbol"], reason: "symbols cannot travel as JSON", refused: ["BTC2002"] },
  { types: ["Callback", "WithFunction"], reason: "functions cannot travel as JSON", refused: ["BTC2001"] },
];

export function reviewedEntryFor(name: string): ReviewedEntry | undefined {
  return REVIEWED.find((entry) => entry.types.includes(name));
}

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
  { types: ["BrandedString", "BrandedNumber", "PeerIntersectPrimitiveObject"], reason: "a primitive intersected with an object is a brand, which exists only in the type system; on the wire it is the primitive", checkerBlind: "no JSON value carries a brand" },
  { types: ["Color", "Mixed", "Flag", "OneColor", "FlagValue", "WithEnums", "DistanceUnit", "Route", "Letter", "UnionOfEnumAndLiteral"], reason: "string enums are nominal: the checker refuses a string literal for them, the wire carries the string", checkerBlind: "string enum members are nominal" },
  // Expected refusals: each is a coded diagnostic that says what to do instead.
  { types: ["LeadingRest", "MiddleRest"], reason: "a rest element before the last position cannot be said with prefixItems/items", refused: ["BTC2011"] },
  { types: ["WithPrivate", "WithMethods", "WithMethodSignature", "WithGetter"], reason: "a type with methods or getters as an input: requests are plain JSON, not instances, so a getter would read undefined", refused: ["BTC2004"] },
  { types: ["AnyValue", "UnknownValue", "UnionWithUnknownMember"], reason: "a parameter of type any/unknown has no contract; JsonValue is the typed alternative", refused: ["BTC2003"] },
  { types: ["SymbolValue", "WithSymbol"], reason: "symbols cannot travel as JSON", refused: ["BTC2002"] },
  { types: ["Callback", "WithFunction"], reason: "functions cannot travel as JSON", refused: ["BTC2001"] },
  // typescript-json-schema style corpus (tjs-*.ts): differences reviewed as bentoc being right.
  { types: ["ConstrainedUse", "NumericIndexAsProperty"], reason: "the reference maps Record<number, T> and { [i in number]: T } to arrays; they are objects with numeric keys", request: "both", response: "both" },
  { types: ["NumericIndexOnly", "NumericIndexAndProps", "RecordKeyTemplate"], reason: "a number or template-literal index signature constrains only its keys; other keys are allowed (open objects), the reference applies it to all keys", request: "bentoc-wider", response: "bentoc-wider" },
  { types: ["NumericAndStringIndex", "RecordWithLiteralAndString"], reason: "a numeric-looking key (\"0\") must hold the number index (or Record<string, number>) type; the reference lets it hold anything", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["PickFromClassless", "EnumValuesAsRecord", "NumEnumRecord", "ConfigType", "DeepPartialTarget", "RegistryMaps"], reason: "the reference closes objects made by mapped types (Pick, Record<literal keys>, typeof a const, homomorphic maps) with additionalProperties false or an invented value type; objects are open", request: "bentoc-wider", response: "bentoc-wider" },
  { types: ["MutableConfigType"], reason: "typeof a mutable const object has widened property types (string, number, number[]); the reference keeps the initializer's literals and closes the object", request: "bentoc-wider", response: "bentoc-wider" },
  { types: ["KeyInKeyOf"], reason: "a mapped type's K for the numeric key 3 is the number literal 3; the reference writes the string \"3\" and adds a string value type for other keys", request: "both", response: "both" },
  { types: ["KeyedThingKeys"], reason: "keyof keeps the exact keys, the numeric key 3 as the number 3; the reference widens to string", request: "both", response: "both" },
  { types: ["KeyedThingStringKeys", "KeysOfUnion", "ValuesOfTarget", "KeyedThingValues"], reason: "bentoc keeps the exact keys and values (keyof of a union is the common keys; T[keyof T] is the union of the property types); the reference widens to string or to any value", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["ConditionalDistribute"], reason: "NonNullable<string | undefined> extends string, so the conditional is { s: true }; the reference picks the false branch", request: "both", response: "both" },
  { types: ["PartialOfDerived"], reason: "Partial of an interface that redeclares an inherited property keeps every property's type; the reference loses the inherited b: number", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["RequiredOfBase"], reason: "the reference drops `required` for Required<T>; every property is required", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["InterfaceMergedAlias"], reason: "declaration merging: the merged interface has the properties of both declarations; the reference reads only the first", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["WithGetterSignature"], reason: "a getter declared in an interface is a required data property; the reference drops it", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["NumericLikeKeys"], reason: "the property named by the numeric literal 1e3 is \"1000\" (as the checker names it); the reference keeps the source text \"1e3\"", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["EmptyKeyAndSpaces"], reason: "both schemas require the empty-named property \"\"; the reference's draft-07 validator does not enforce required [\"\"], bentoc's runtime does", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["IntersectionSameProp", "IntersectionConflictProp", "TupleWithNever"], reason: "an intersected property has the intersection of the types (string & number is never); a required never element admits no tuple; the reference keeps the wider member", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["IntersectionOfArrays"], reason: "an array intersected with an object is an array on the wire; the reference maps it to an object", request: "bentoc-wider", response: "bentoc-wider" },
  { types: ["TupleNamed"], reason: "the reference requires the optional named element `z?`", request: "bentoc-wider", response: "bentoc-wider" },
  { types: ["ShadowHolder", "ShadowDate"], reason: "a user's class or interface named Array, Date or Promise (in a namespace) is the user's type; the reference takes it for the built-in", request: "both", response: "both" },
  { types: ["ConstantExprEnum"], reason: "an enum with a computed member (\"x\".length) admits any number, as the checker does; the reference writes the member's source text as its value", request: "both", response: "both", mustAccept: [3, 6, 1, 42] },
  { types: ["TjsOnlyTags", "ConstTagged"], reason: "@asType and @const are not JSDoc keywords bentoc reads (DESIGN lists them); the declared type (number) is the contract, the reference narrows it to integer or the constant", request: "bentoc-wider", response: "bentoc-wider" },
  { types: ["ReferenceOnlyTags"], reason: "@nullable is not a JSDoc keyword bentoc reads; the declared type (string) forbids null, the reference adds it", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["DefaultedSettings", "DefaultOnRequired"], reason: "the runtime fills @default values before validation, so a request that leaves out a required property with a default reaches the method with it filled in (the harness validates responses with the same Ajv options)", request: "bentoc-wider", response: "bentoc-wider", checkerBlind: "the method receives the request after the runtime fills @default values; the raw JSON lacks them" },
  { types: ["RefLikeDefault"], reason: "JSON.stringify writes undefined items as null, so the response admits null; the reference drops undefined", response: "bentoc-wider" },
  { types: ["MutualThree2", "OmitToEmpty", "TupleFixedLength"], reason: "the reference fails on a three-way mutual recursion, on Omit of every key, and on a recursive fixed-length tuple alias", referenceFails: true },
  { types: ["StringFruit", "AliasedMembers", "ConcatEnum", "HeteroEnum", "SingleMember", "EnumOrNull", "EnumValuesInInterface", "StringTagFruit", "EnumTaggedUnion"], reason: "string enums are nominal: the checker refuses a string literal for them, the wire carries the string", checkerBlind: "string enum members are nominal" },
  { types: ["UnionWithEmptyObject"], reason: "bentoc and the reference agree; the oracle's wire() infers Json, not a literal type, for {\"a\": []} against {} | { a: string }", checkerBlind: "wire() widens an object holding an empty array to Json under a union with {}" },
  { types: ["SymbolProperty", "PropertyKeyAlias"], reason: "symbols cannot travel as JSON (PropertyKey includes symbol)", refused: ["BTC2002"] },
  { types: ["GlobalThisType"], reason: "typeof globalThis is the host's runtime object, not data", refused: ["BTC2006"] },
  { types: ["FunctionProp"], reason: "a Function-typed property cannot travel as JSON", refused: ["BTC2006"] },
  { types: ["OptionalArrowProp", "HybridCallable", "ConstructSignature", "FunctionAlias"], reason: "functions, callable hybrids and constructors cannot travel as JSON", refused: ["BTC2001"] },
  { types: ["MethodOptionalData", "AbstractWithMethod", "GetterSetterPair", "SetterOnly", "ProtectedUnique", "WithArrowField", "WithOptionalCallback"], reason: "a type with methods, accessors or function fields as an input: requests are plain JSON, not instances", refused: ["BTC2004"] },
  { types: ["NumberAnnotations"], reason: "@minimum on a number[] property constrains nothing the type holds; bentoc refuses the misplaced tag (the reference writes a keyword arrays ignore)", refused: ["BTC2008"] },
  // Peer corpus (peer-*.ts, the reference suite's kinds of types): reviewed differences and expected refusals.
  { types: ["PeerSettingsType", "PeerSettingsValue", "PeerNestedSetting", "PeerMixedItem", "PeerCounterType", "PeerStaticPropType", "PeerStaticObjectType"], reason: "typeof a mutable variable, property or static field is its widened declared type (string, number, boolean); the reference writes the initializer's literal values as const and closes the objects", request: "bentoc-wider", response: "bentoc-wider" },
  { types: ["PeerFrozenType", "PeerSizeMap", "PeerSizeRecord", "PeerNumericEnumRecord", "PeerTypeofEnum", "PeerEmptyMapped", "PeerMappedOverEmptyExclude", "PeerSymbolRecord", "PeerSymbolIndex"], reason: "objects are open (structural typing admits extra keys); the reference closes typeof-const objects, mapped types over enums/literals/never and the enum object with additionalProperties false, and applies a symbol index signature to string keys", request: "bentoc-wider", response: "bentoc-wider" },
  { types: ["PeerNullableEnumMap"], reason: "objects are open; the reference closes a mapped type over an enum. String enum members are nominal: the checker refuses a string literal for them", request: "bentoc-wider", response: "bentoc-wider", checkerBlind: "string enum members are nominal" },
  { types: ["PeerStringEnum", "PeerHeterogeneous", "PeerStringRefs", "PeerQuotedMembers", "PeerSingleMember", "PeerEnumWithoutOne", "PeerEnumTuple", "PeerEnumValueIndex"], reason: "string enums are nominal: the checker refuses a string literal for them, the wire carries the string", checkerBlind: "string enum members are nominal" },
  { types: ["PeerEnumProps"], reason: "string enums are nominal; `size` has @default \"m\", which the runtime fills into a request that leaves it out (Ajv useDefaults), so the method receives a value of its type", request: "bentoc-wider", response: "bentoc-wider", checkerBlind: "string enum members are nominal, and the checker judges the JSON before the runtime fills @default" },
  { types: ["PeerAnnotatedThing"], reason: "`count` has @default 1, which the runtime fills into a request that leaves it out (Ajv useDefaults); @nullable is not a TypeScript type, the reference adds null for it", request: "both", response: "both", checkerBlind: "the checker judges the JSON before the runtime fills @default" },
  { types: ["PeerDocumentedClass"], reason: "bentoc keeps the JSDoc (@minimum, @minLength) of class fields with initializers, which the reference drops; `items` has @default [], which the runtime fills into a request that leaves it out", request: "both", response: "both", checkerBlind: "the checker judges the JSON before the runtime fills @default" },
  { types: ["PeerParamProps"], reason: "protected and private parameter properties are not data (design: public instance data properties only)", checkerBlind: "a class with private or protected members is nominal: no object literal is assignable to it" },
  { types: ["PeerIntersectOptional"], reason: "`{ a?: string } & { a: string | undefined }` requires `a` but admits undefined, which JSON writes as absence", checkerBlind: "the checker reports the missing property of an intersection as TS2322, which the oracle's absence rule (TS2739/TS2741) does not see" },
  { types: ["PeerShapesWithoutKind", "PeerOmitOnUnion"], reason: "a union of object types (open objects); the reference merges the members into one object that requires every member's keys", request: "both", response: "both", checkerBlind: "wire() infers Json for an object literal that fits only a later union member once its extra keys are ignored (TS2322 on Json); the same value assigned through a variable type-checks" },
  { types: ["PeerAccountKeys", "PeerAccountKeyofProfile", "PeerIntersectEnumUnion", "PeerIntersectUnions", "PeerPrefixedKeys", "PeerTemplateNull"], reason: "the reference widens keyof, literal intersections, `${null}` templates and key-remapped mapped types to string/object; bentoc keeps the exact keys and literals", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["PeerNumericKeys", "PeerNumericNames"], reason: "numeric property names are number literal keys (keyof gives 0 | 1 | \"two\"; `0x10:` names the key \"16\"); the reference writes strings and the source text", request: "both", response: "both" },
  { types: ["PeerDictionaryKeys"], reason: "keyof a string index signature is string | number", request: "bentoc-wider", response: "bentoc-wider" },
  { types: ["PeerNumberAndStringIndex", "PeerTemplateKeyMapped"], reason: "a number or template-literal index signature constrains only its keys; the reference applies it to all keys", request: "bentoc-wider", response: "bentoc-wider" },
  { types: ["PeerNumericKeyAccess", "PeerValuesOfObject", "PeerExtendsIndex", "PeerMergedAlias", "PeerMergedClassAlias", "PeerIntersectArrays"], reason: "the reference maps an indexed access by a numeric key to any value, adds `{}` to T[keyof T], drops an inherited index signature, reads only the first of merged declarations, and keeps only one side of an array intersection", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["PeerRestTupleItem"], reason: "[boolean, ...string[]][number] is boolean | string; the reference maps the rest element's type as an array", request: "both", response: "both" },
  { types: ["PeerMappedTuple"], reason: "a homomorphic mapped type over a tuple is a tuple; the reference maps it to an object with keys \"0\" and \"1\"", request: "both", response: "both" },
  { types: ["PeerAllRequired", "PeerRequiredNoUndefined", "PeerRequiredPartial"], reason: "the reference drops `required` for -? and Required<T>; every property is required", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["PeerReadonlyNamedTuple"], reason: "the reference requires the optional named element `y?`", request: "bentoc-wider", response: "bentoc-wider" },
  { types: ["PeerArrayInterface", "PeerArrayWithExtra", "PeerArrayIntersectObject"], reason: "an interface extending Array, or an array intersected with an object, is an array on the wire; the reference maps it to an object with length (or to array-and-object, which nothing satisfies)", request: "both", response: "both" },
  { types: ["PeerOptionalTupleItem", "PeerUndefinedUnionAlias", "PeerOptionalEverywhere"], reason: "a response may carry null where JSON.stringify writes undefined", response: "bentoc-wider" },
  { types: ["PeerTupleRestUndefined"], reason: "JSON.stringify writes undefined items as null, so the response admits null; the reference drops undefined", response: "bentoc-wider" },
  { types: ["PeerVoidBox"], reason: "the reference maps void to a required null; void is absence, never null in a request (JSON.stringify drops it from a response)", request: "both", response: "both" },
  { types: ["PeerDeepPartialNested", "PeerDeepReadonlyNested"], reason: "the reference maps recursive mapped types with additionalProperties/items {type: object}; bentoc resolves them (a partial array admits null items in a response, as JSON.stringify writes undefined)", request: "both", response: "both" },
  { types: ["PeerNonNullableMixed"], reason: "NonNullable<\"a\" | null | undefined | 0 | { x: null }> is \"a\" | 0 | { x: null }; the reference keeps null and adds empty objects", request: "both", response: "both" },
  { types: ["PeerInferLast", "PeerSplitTuple", "PeerInferTemplate"], reason: "the reference fails to infer from a tuple's last element or a template literal (writes `not {}`, or 'Failed to correctly infer type'); bentoc resolves the type", request: "both", response: "both" },
  { types: ["PeerTemplateNumberSuffix", "PeerTemplateTwoStrings", "PeerTemplateRegexChars", "PeerTemplateOnlyNumber", "PeerTemplateProps"], reason: "the reference maps a template literal type to any string; bentoc writes its pattern", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["PeerDeepNamespaceCode"], reason: "the reference maps a template literal type to any string; bentoc writes its pattern", request: "bentoc-narrower", response: "bentoc-narrower", mustAccept: ["c-1", "c-0x10", "c-1e3", "c-.5", "c--2.5"] },
  { types: ["PeerTripleLength", "PeerMadeUser", "PeerMakeUserArgs", "PeerMakeUserFirstArg", "PeerFetchArgs", "PeerFetchResult", "PeerVoidReturn", "PeerNullableReturn", "PeerFunctionTypesInside", "PeerGetterResults", "PeerInferFirstArg", "PeerExtractFunctions", "PeerInstanceOfClass", "PeerConstructorArgs", "PeerTemplateCapitalizeString"], reason: "the reference cannot map T[\"length\"] of a tuple, ReturnType/Parameters/InstanceType/ConstructorParameters of typeof a function or class, a function type filtered out by Exclude, or Capitalize<`x${string}`>", referenceFails: true },
  { types: ["PeerKeyofTuple", "PeerKeyofArray", "PeerUniqueSymbolValues", "PeerSymbolIndexValues"], reason: "symbols cannot travel as JSON (keyof an array or tuple includes Symbol.iterator and Symbol.unscopables)", refused: ["BTC2002"] },
  { types: ["PeerSetters", "PeerFunctionInUnion"], reason: "functions cannot travel as JSON", refused: ["BTC2001"] },
  { types: ["PeerAbstractWithMethod", "PeerPrivateOnlyFields", "PeerOptionalMethod"], reason: "a type with methods or function fields as an input: requests are plain JSON, not instances", refused: ["BTC2004"] },
  { types: ["PeerRegExpHolder", "PeerPromiseOfObject", "PeerPromiseUnion", "PeerMapHolder", "PeerSetHolder"], reason: "RegExp, Promise, Map and Set are runtime objects: a request would hand the method a string or plain object in their place; the diagnostic names the JSON type to use", refused: ["BTC2006"] },
  // Reviewed after the fixes the peer and tjs corpora led to.
  { types: ["PeerMergedEnumAlias"], reason: "an enum declared in several merging blocks has every block's members; the reference reads only the first block", request: "bentoc-wider", response: "bentoc-wider", checkerBlind: "string enum members are nominal" },
  { types: ["MergedEnumAlias", "UsesMergedEnum"], reason: "an enum declared in several merging blocks has every block's members; the reference reads only the first block", request: "bentoc-wider", response: "bentoc-wider" },
  { types: ["PeerTemplateUpper", "LowerString", "CaseMapped"], reason: "the reference cannot map Uppercase<string> and its kin; bentoc writes a pattern of the characters the mapping leaves unchanged (Unicode's Changes_When_Uppercased/Lowercased)", referenceFails: true },
  { types: ["PeerTemplateIntrinsicInside", "IntersectionOfTemplates"], reason: "the reference maps template literal types (and their intersections) to any string; bentoc writes their patterns, all of them for an intersection", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["PeerIntersectImpossible", "IntersectionDisjointTag"], reason: "an intersection the checker reduces to never is `false`; the reference writes an empty enum that its own validator cannot compile", referenceFails: true },
  { types: ["PeerIntersectRecursive"], reason: "a recursive intersection is a named $defs entry that refers back to itself; the reference admits any value below the first level", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["PeerObjectCapital", "ObjectKinds", "BigObjectAlias"], reason: "Object is any object, as `{}` is; the reference expands the Object interface's members (constructor, toString, …) into required properties", request: "bentoc-wider", response: "bentoc-wider", checkerBlind: "a JSON object's own `constructor` key shadows Object's member, which the checker wants to be a Function" },
  { types: ["BuiltinNamedProps", "OptionalBuiltinNames"], reason: "properties named like Object.prototype members are data, checked on the request's own keys (the runtime's Ajv has ownProperties); the reference's validator reads the inherited functions and rejects", request: "bentoc-wider", response: "bentoc-wider", checkerBlind: "every object literal has Object.prototype's members in the checker's eyes, so an optional property named like one is never absent to it" },
  { types: ["PrivateOnlyData", "ExtendsClassWithPrivate", "ParamProps", "ClassesInside"], reason: "private and protected members are not data (design: public instance data properties only); the reference requires them", request: "bentoc-wider", response: "bentoc-wider", checkerBlind: "a class with private or protected members is nominal: no object literal is assignable to it" },
  { types: ["RecordIntersectConflict", "IndexIntersectConflict"], reason: "in an intersection, one member's index signature binds the other member's properties too (the checker refuses { label: \"x\" } for Record<string, number> & { label: string }); the reference admits them", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["ProtoKey"], reason: "a property named __proto__ is data; the reference drops it (the server's JSON parser refuses __proto__ keys in requests anyway)", request: "bentoc-narrower", response: "bentoc-narrower" },
  { types: ["EscapedPatterns"], reason: "a @pattern with a needless escape (\\-) is invalid as a Unicode pattern, which the reference keeps and its validator refuses; bentoc drops the escape", referenceFails: true },
  { types: ["PeerUniqueSymbolKeys", "UserSymbolKeyed"], reason: "a required property with a symbol key: no JSON request can bring it", refused: ["BTC2002"] },
  { types: ["WrongTypedDefault"], reason: "a @default of another type than the property's: the server would fill it in and refuse every call that leaves the property out", refused: ["BTC2007"] },
];

export function reviewedEntryFor(name: string): ReviewedEntry | undefined {
  return REVIEWED.find((entry) => entry.types.includes(name));
}

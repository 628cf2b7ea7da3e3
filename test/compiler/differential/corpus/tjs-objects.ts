// typescript-json-schema style: interfaces, optionals, index signatures (string and numeric),
// extra properties, properties named like JavaScript built-ins, Object/object/{}.

export interface BuiltinNamedProps {
  constructor: string;
  toString: number;
  hasOwnProperty: boolean;
  valueOf?: string;
}
export interface OptionalBuiltinNames {
  constructor?: string;
  toString?: string;
  isPrototypeOf?: number;
}
export interface ProtoKey { __proto__: string; name: string }
export interface OptionalProtoKey { __proto__?: number }
export interface HashKeys { "#text": string; "@type": string; "$ref"?: string }
export interface UnderscoreKeys { _private: string; __dunder: number; ___triple?: boolean }
export interface NumericLikeKeys { 0: string; 1.5: number; "-1": boolean; "007": string; 1e3?: string }
export interface EmptyKeyAndSpaces { "": string; " ": number; "a b"?: boolean }
export interface UnicodeKeys { "ключ": string; "😀": number }

export interface NumericIndexOnly { [index: number]: number }
export interface NumericIndexAndProps { [index: number]: number; a: string; b: boolean }
export interface NumericAndStringIndex { [key: string]: string | number; [index: number]: number }
export interface NumericIndexAsProperty {
  anon: { [index: number]: number };
  byInterface: NumericIndexOnly;
  mappedPartial: { [index in number]?: number };
  mappedFull: { [index in number]: string };
}
export type StringIndexMapped = { [key in string]: boolean };

export interface ExtraProps { known: string; [extra: string]: unknown }
export interface ExtraTypedProps { known: number; [extra: string]: number }
export interface ExtraOptionalProps { a?: number; [k: string]: number | undefined }

export interface OptionalsMix {
  required: string;
  optional?: string;
  nullable: string | null;
  optionalNullable?: string | null;
  undefinedUnion: number | undefined;
  all?: string | null | undefined;
}
export interface OptionalsBase { a?: string; b: number }
export interface OptionalsDerived extends OptionalsBase { a: string; c?: boolean }
export type PartialOfDerived = Partial<OptionalsDerived>;
export type RequiredOfBase = Required<OptionalsBase>;

export interface UndefinedProperty { a: undefined; b?: undefined; c: string }

export interface ObjectKinds {
  bigObject: Object;
  smallObject: object;
  emptyLiteral: {};
}
export type BigObjectAlias = Object;
export type NeverRecord = Record<string, never>;
export type EmptyRecordUnion = Record<string, never> | { id: string };
export type NestedArrays = Array<Array<number>>;
export type ReadonlyNested = ReadonlyArray<ReadonlyArray<string>>;
export interface ArrayTypesMix {
  generic: Array<string>;
  short: number[];
  readonlyGeneric: ReadonlyArray<boolean>;
  readonlyShort: readonly string[];
  unionItems: Array<string | number>;
  deep: string[][][];
  objects: Array<{ id: number; tags?: string[] }>;
}

export interface AnonymousDeep {
  level1: {
    level2: {
      level3: { level4: { value: string; list: { x: number }[] } };
      sibling?: { flag: boolean } | null;
    };
  };
}
export type AnonymousUnionDeep = { a: { b: { c: 1 } } } | { a: { b: { d: 2 } } };

export interface InterfaceMulti1 { a: string }
export interface InterfaceMulti2 { b: number }
export interface InterfaceMultiBoth extends InterfaceMulti1, InterfaceMulti2 { c: boolean }
interface MergedLocal { first: string }
interface MergedLocal { second: number }
export type InterfaceMergedAlias = MergedLocal;

export interface IndexedWithNever { [k: string]: string | undefined; impossible?: never }
export type RecordWithLiteralAndString = Record<"a" | "b", number> & Record<string, number>;
export type RecordIntersectConflict = Record<string, number> & { label: string };
export type IndexIntersectConflict = { [k: string]: boolean } & { count: number };

export interface MapTypesHolder {
  map: { [key: string]: { value: number } };
  numberMap: { [key: number]: string };
  recordOfArrays: Record<string, string[]>;
  recordOfRecords: Record<string, Record<string, boolean>>;
}
export type RecordKeyTemplate = Record<`x-${string}`, string>;
export type RecordNumberValues = Record<"one" | "two", 1 | 2>;

export interface WithGetterSignature {
  get size(): number;
  name: string;
}
export interface ReadonlyEverything {
  readonly a: string;
  readonly list: ReadonlyArray<{ readonly id: number }>;
}

export interface DunderAtKey { "__@meta": string; plain: number }
export type RefLikeLiteral = "#/$defs/Point" | "#/$input-defs/Point";
export interface RefLikeDefault {
  /** @default "#/$input-defs/Point" */
  pointer?: string;
  items: (number | undefined)[];
}
export type LowerString = Lowercase<string>;
export interface CaseMapped { upper: Uppercase<string>; cap?: Capitalize<string> }

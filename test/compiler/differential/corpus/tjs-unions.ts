// typescript-json-schema style: unions (tagged by string/number/boolean tags), intersections,
// nullable types, tuples and never.

export interface TaggedCat { type: "cat"; meows: boolean }
export interface TaggedDog { type: "dog"; barks: number }
export interface TaggedFish { type: "fish"; fins?: number }
export type TaggedPet = TaggedCat | TaggedDog | TaggedFish;
export type TaggedPetOrNull = TaggedPet | null;
export interface PetOwner { pet: TaggedPet; pets?: TaggedPet[]; favourite: TaggedCat | TaggedDog | null }
export type NumericTagUnion = { code: 200; body: string } | { code: 404 } | { code: 500; error: { message: string } };
export type BooleanTagUnion = { success: true; data: number[] } | { success: false; reason: string };
export type MixedTagUnion = { t: "a"; a: string } | { t: 1; one: number } | { t: false; no: null };
export type TagInIntersection = ({ kind: "x" } & { x: number }) | ({ kind: "y" } & { y: string });
export type SharedTagValues = { k: "a" | "b"; v: string } | { k: "c"; w: number };
export type OptionalTagUnion = { k?: "a"; a: number } | { k: "b"; b: number };
export type NestedTaggedUnion = { outer: "one"; inner: TaggedPet } | { outer: "two"; inner: null };
export type EnumTaggedUnion = { fruit: StringTagFruit.Apple; crisp: boolean } | { fruit: StringTagFruit.Pear; soft: boolean };
export enum StringTagFruit { Apple = "apple", Pear = "pear" }

export type PrimitiveUnion = string | number | boolean;
export type UnionWithNullAndArray = string | null | string[];
export type UnionOfObjectsAndPrimitive = { a: number } | string | { b: string[] };
export type UnionOfRecords = Record<string, number> | Record<string, string>;
export type UnionOfTuples = [string] | [number, number];
export type UnionWithEmptyObject = {} | { a: string };
export type NullableArray = number[] | null;
export type NullableItemsAndList = (string | null)[] | null;
export type UnionStrictNull = { a: string | null; b?: number | null; c: null };
export type DoubleNullable = (string | null) | (number | null);
export type NullableLiteral = "x" | null | undefined;

export type IntersectionTwo = { a: string } & { b: number } & { c?: boolean };
export interface IntersectBase { id: number }
export type IntersectionWithInterface = IntersectBase & { name: string } & Partial<{ note: string }>;
export type IntersectionOfUnionAndObject = ({ a: 1 } | { a: 2; extra: string }) & { shared: boolean };
export type IntersectionRecursive = { name: string } & { children: IntersectionRecursive[] };
export type IntersectionSameProp = { v: string | number } & { v: string };
export type IntersectionConflictProp = { v: string } & { v: number };
export type IntersectionDisjointTag = { k: "a" } & { k: "b" };
export type IntersectionOfTemplates = `a${string}` & `${string}z`;
export type IntersectionOfArrays = string[] & { extra?: string };
export type IntersectionOfArrayAndReadonly = readonly number[] & number[];

export type TupleSimple = [number, string, boolean];
export type TupleOptionalTail = [string, number?, boolean?];
export type TupleRest = [number, ...string[]];
export type TupleRestObjects = [{ id: number }, ...{ name: string }[]];
export type TupleNamed = [x: number, y: number, z?: number];
export type TupleNested = [[string, number], ...[boolean][]];
export type TupleReadonly = readonly [string, ...number[]];
export type TupleWithNull = [string | null, null];
export type TupleSingle = [Date];
export type TupleOfUnions = [string | number, "a" | "b"];
export type TupleSpread = [...[number, number], string];
export type TupleFixedLength = FixedTuple<string, 3>;
type FixedTuple<T, N extends number, Acc extends T[] = []> = Acc["length"] extends N ? Acc : FixedTuple<T, N, [...Acc, T]>;
export type ArrayOfTuples = [string, number][];
export type TupleInObject = { point: [number, number]; range?: [number, number] | null };

export type NeverType = never;
export interface NeverProps { a: string; b?: never; c: never[] }
export type UnionWithOnlyNever = never | never;
export type ExcludeAll = Exclude<"a" | "b", string>;
export type TupleWithNever = [never];
export type TupleOptionalThenRest = [string, number?, ...boolean[]];
export type TaggedWithGenericTag = TaggedBox<"left", number> | TaggedBox<"right", string>;
interface TaggedBox<K extends string, V> { side: K; value: V }

// Generics: defaults, multiple and nested arguments, constraints, recursion, anonymous and prefixed-number arguments.

interface PeerBox<T> { content: T; other?: T }
interface PeerPair<A, B = A> { left: A; right: B }
interface PeerEnvelope<T, Meta extends object = { page: number }> { data: T; meta: Meta }
type PeerDefaultFromConditional<T, R = T extends string ? "text" : "other"> = { input: T; kind: R };
type PeerListOf<T> = T[];
type PeerNullable<T> = T | null;
type PeerRange<Min extends number, Max extends number> = number & { readonly __min?: Min; readonly __max?: Max };
type PeerAngle<Min extends number, Max extends number> = number;

export type PeerBoxOfDate = PeerBox<Date>;
export type PeerBoxOfUnion = PeerBox<"a" | 1 | null>;
export type PeerPairDefault = PeerPair<string>;
export type PeerPairExplicit = PeerPair<number, boolean[]>;
export type PeerEnvelopeDefault = PeerEnvelope<string[]>;
export type PeerEnvelopeCustom = PeerEnvelope<number, { cursor: string | null }>;
export type PeerDefaultConditionalText = PeerDefaultFromConditional<string>;
export type PeerDefaultConditionalNumber = PeerDefaultFromConditional<number>;
export type PeerNestedGenerics = PeerBox<PeerPair<PeerListOf<PeerNullable<number>>>>;
export interface PeerAngleHolder { angle: PeerAngle<-180, 180>; ratio: PeerAngle<0, 1> }
export type PeerRangeBrand = PeerRange<0, 10>;
export interface PeerManyBoxes { s: PeerBox<string>; n: PeerBox<number>; b: PeerBox<boolean>; nested: PeerBox<PeerBox<string>> }

interface PeerGenericBase<T> { id: T; created: string }
export interface PeerGenericExtends extends PeerGenericBase<number> { name: string }
interface PeerGenericMiddle<T> extends PeerGenericBase<T> { items: T[] }
export type PeerGenericChain = PeerGenericMiddle<"x" | "y">;

interface PeerRecursiveList<T> { head: T; tail: PeerRecursiveList<T> | null }
export type PeerNumberList = PeerRecursiveList<number>;
type PeerTreeOf<T> = { value: T; children?: PeerTreeOf<T>[] };
export type PeerStringTreeAlias = PeerTreeOf<string>;
type PeerRose<T> = T | PeerRose<T>[];
export type PeerRoseOfNumbers = PeerRose<number>;
interface PeerMutualA<T> { b?: PeerMutualB<T>; value: T }
interface PeerMutualB<T> { a: PeerMutualA<T>[] }
export type PeerMutualOfString = PeerMutualA<string>;

export type PeerVoidBox = PeerBox<void>;
export type PeerUndefinedBox = PeerBox<undefined>;
export type PeerNeverBox = PeerBox<never>;
export type PeerAnonymousGeneric = PeerBox<{ inner: PeerBox<{ deep: number }> }>;
export type PeerGenericArrayOfBoxes = Array<PeerBox<string>>;
export type PeerReadonlyBoxes = ReadonlyArray<PeerPair<number>>;

type PeerKeyed<K extends string, V> = { [P in K]: V };
export type PeerKeyedFlags = PeerKeyed<"read" | "write", boolean>;
type PeerWithId<T> = T & { id: string };
export type PeerWithIdPoint = PeerWithId<{ x: number; y: number }>;
type PeerValues<T> = T[keyof T];
export type PeerValuesOfObject = PeerValues<{ a: string; b: number; c: null }>;

type PeerHell<A, B> = { one: PeerBox<A>; two: PeerPair<A, PeerBox<B>>; three: PeerNullable<PeerListOf<PeerPair<B>>> };
export type PeerGenericHell = PeerHell<string, PeerHell<number, boolean>>;

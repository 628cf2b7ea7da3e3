// Mapped and conditional types: `as` remapping, modifiers, filters, infer, distribution, recursion, utility types.

interface PeerMessage { id: number; name: string; title?: string; readonly sent: boolean; tags: string[] }

export type PeerWithoutTitle = { [K in keyof PeerMessage as Exclude<K, "title">]: PeerMessage[K] };
export type PeerSetters = { [K in keyof PeerMessage as `set${Capitalize<K & string>}`]-?: (value: PeerMessage[K]) => void };
export type PeerPrefixedKeys = { [K in keyof PeerMessage as `msg_${K & string}`]: PeerMessage[K] };
export type PeerOnlyStrings = { [K in keyof PeerMessage as PeerMessage[K] extends string ? K : never]: PeerMessage[K] };
export type PeerAllRequired = { [K in keyof PeerMessage]-?: PeerMessage[K] };
export type PeerAllReadonly = { +readonly [K in keyof PeerMessage]+?: PeerMessage[K] };
export type PeerWritable = { -readonly [K in keyof PeerMessage]: PeerMessage[K] };
export type PeerRequiredNoUndefined = { [K in keyof PeerOptionalUndef]-?: PeerOptionalUndef[K] };
interface PeerOptionalUndef { a?: string | undefined; b?: number; c: boolean | undefined }
export type PeerUpperKeys = { [K in "a" | "b" as Uppercase<K>]: K };
export type PeerNumberKeysMapped = { [K in 1 | 2 | 3]: `n${K}` };
export type PeerWidenedMapped = { [K in string]?: boolean };
export type PeerTemplateKeyMapped = { [K in `x-${string}`]: number };
export type PeerEmptyMapped = { [K in never]: string };
export type PeerMappedOverEmptyExclude = { [K in Exclude<"a", "a">]: string };
export type PeerDoubleExclude = Omit<Omit<PeerMessage, "id">, "name">;

type PeerStringify<T> = { [K in keyof T]: string };
export type PeerMappedTuple = PeerStringify<[number, boolean]>;
export type PeerMappedArray = PeerStringify<number[]>;
type PeerOrNumber<T> = { [K in keyof T]: T[K] | number };
export type PeerMappedIndexSig = PeerOrNumber<{ [name: string]: string }>;
export type PeerMappedStringArray = PeerOrNumber<string[]>;

export type PeerPartialRecord = Partial<Record<"alpha" | "beta", { value: number }>>;
export type PeerNativeStack = Partial<Readonly<Pick<Record<"a" | "b" | "c", string | null>, "b" | "c">>>;
export type PeerRequiredPartial = Required<Partial<PeerMessage>>;
export type PeerReadonlyRecord = Readonly<Record<string, readonly number[]>>;
export type PeerNeverRecord = Record<string, never>;
export type PeerRecordOfUnionKeys = Record<"x" | 0 | "0y", string>;

type PeerDeepPartial<T> = { [K in keyof T]?: T[K] extends object ? PeerDeepPartial<T[K]> : T[K] };
export type PeerDeepPartialNested = PeerDeepPartial<{ a: { b: { c: number } }; list: string[] }>;
type PeerDeepReadonly<T> = { readonly [K in keyof T]: PeerDeepReadonly<T[K]> };
export type PeerDeepReadonlyNested = PeerDeepReadonly<{ a: { b: number[] } }>;

// Conditional types.
type PeerTypeName<T> = T extends string ? "string" : T extends number ? "number" : "other";
export interface PeerConditionalNarrowing {
  s: PeerTypeName<string>;
  n?: PeerTypeName<number>;
  sn: PeerTypeName<string | number>;
  b?: PeerTypeName<boolean>;
}
type PeerNonDistributive<T> = [T] extends [string] ? "all-strings" : "mixed";
export type PeerNonDistributed = PeerNonDistributive<string | number>;
export type PeerNonDistributedStrings = PeerNonDistributive<"a" | "b">;
type PeerState<V> = [V] extends [never] ? { empty: true } : { values: V };
export type PeerStates = PeerState<"a" | "b"> | PeerState<never>;

type PeerElement<T> = T extends readonly (infer E)[] ? E : never;
export type PeerInferElement = PeerElement<readonly ["a", 1, true]>;
type PeerUnpromise<T> = T extends Promise<infer U> ? U : T;
export type PeerInferPromise = PeerUnpromise<Promise<{ ok: boolean }>>;
type PeerRest<T extends unknown[]> = T extends [unknown, ...infer R] ? R : never;
export type PeerInferRest = PeerRest<[string, number, boolean]>;
type PeerLast<T extends unknown[]> = T extends [...unknown[], infer L] ? L : never;
export type PeerInferLast = PeerLast<[string, number, Date]>;
type PeerFirstArg<F> = F extends (first: infer A, ...rest: never[]) => unknown ? A : never;
export type PeerInferFirstArg = PeerFirstArg<(value: { id: number }, flag: boolean) => void>;
type PeerPropType<T, K extends string> = T extends { [P in K]: infer V } ? V : never;
export type PeerInferProp = PeerPropType<{ a: number[]; b: string }, "a">;
type PeerFlatten<T> = T extends (infer U)[] ? PeerFlatten<U> : T;
export type PeerDeepFlatten = PeerFlatten<string[][][]>;
type PeerReverse<T extends unknown[]> = T extends [infer H, ...infer R] ? [...PeerReverse<R>, H] : [];
export type PeerReversed = PeerReverse<[1, "two", true]>;
type PeerSplit<S extends string> = S extends `${infer H},${infer R}` ? [H, ...PeerSplit<R>] : [S];
export type PeerSplitTuple = PeerSplit<"a,b,c">;
type PeerTrimPrefix<S> = S extends `api/${infer Rest}` ? Rest : never;
export type PeerInferTemplate = PeerTrimPrefix<"api/users" | "api/items" | "web/home">;

type PeerWithout<T, U> = { [P in Exclude<keyof T, keyof U>]?: never };
type PeerXor<T, U> = T | U extends object ? (PeerWithout<T, U> & U) | (PeerWithout<U, T> & T) : T | U;
export type PeerXorObjects = PeerXor<{ a: string }, { b: number }>;

interface PeerCircleShape { kind: "circle"; r: number }
interface PeerRectShape { kind: "rect"; w: number; h: number }
interface PeerLineShape { kind: "line"; len: number }
type PeerShapes = PeerCircleShape | PeerRectShape | PeerLineShape;
export type PeerRoundShapes = Extract<PeerShapes, { kind: "circle" }>;
export type PeerAngularShapes = Exclude<PeerShapes, { kind: "circle" }>;
export type PeerShapeKinds = PeerShapes["kind"];
type PeerDistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type PeerShapesWithoutKind = PeerDistributiveOmit<PeerShapes, "kind">;
export type PeerOmitOnUnion = Omit<PeerShapes, "len">;
export type PeerNonNullableMixed = NonNullable<"a" | null | undefined | 0 | { x: null }>;
export type PeerExtractFunctions = Exclude<string | number | (() => void), Function>;
export type PeerAwaitedUnion = Awaited<Promise<string> | number | Promise<Promise<null>>>;

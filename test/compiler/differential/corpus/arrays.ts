// Arrays, tuples and array-likes (including intersections with arrays).

export type Strings = string[];
export type GenericArray = Array<number>;
export type ReadonlyStrings = readonly string[];
export type ReadonlyGeneric = ReadonlyArray<boolean>;
export type Matrix = number[][];
export type ArrayOfUnion = (string | number)[];
export type ArrayOfObjects = { id: number }[];
export type ArrayOfLiterals = ("a" | "b")[];
export type NullableItems = (string | null)[];

export type Pair = [string, number];
export type Triple = [boolean, boolean, boolean];
export type EmptyTuple = [];
export type OptionalTuple = [string, number?];
export type AllOptionalTuple = [string?, number?];
export type RestTuple = [string, ...number[]];
export type LeadingRest = [...string[], number];
export type MiddleRest = [boolean, ...string[], number];
export type NamedTuple = [name: string, age: number, nick?: string];
export type ReadonlyTuple = readonly [number, number];
export type TupleOfTuples = [[number, number], [string]];
export type NullableTupleElement = [string | null, number];

export interface Tags extends Array<string> {}
export interface ReadonlyTags extends ReadonlyArray<number> {}
export type NonEmpty = [number, ...number[]] & number[];
export type ArrayAndTuple = string[] & [string, string];
export type ArrayIntersection = number[] & Array<number>;
export interface WithArrayLike { tags: Tags; first: NonEmpty }

export type SetOfStrings = Array<string> | null;
export type ArrayOrSingle = string | string[];

// Arrays and tuples: nested, readonly, spreads, nested rests, optional-then-rest, unions of tuples, array-likes.

export type PeerArrayOfArrays = Array<Array<string>>;
export type PeerReadonlyNested = readonly (readonly string[])[];
export type PeerArrayOfTuples = [string, number][];
export type PeerArrayOfUnionArrays = (string[] | number)[];
export type PeerArrayOfNullableObjects = ({ id: number } | null)[];
export type PeerArrayOfRecords = Record<string, boolean>[];

type PeerHead = [string, number];
type PeerTail = [boolean, null];
export type PeerSpreadTuple = [...PeerHead, ...PeerTail];
export type PeerSpreadWithArray = [...PeerHead, ...boolean[]];
export type PeerNestedRest = [{ a: number }, ...[{ b: string }, { c: number }, ...[{ d: boolean }, ...[]]]];
type PeerToUnion<T extends unknown[]> = T extends Array<infer A> ? A : never;
export type PeerNestedRestUnion = PeerToUnion<PeerNestedRest>;
export type PeerOnlyRest = [...string[]];
export type PeerOptionalThenRest = [string, number?, ...boolean[]];
export type PeerSingleOptional = [number?];
export type PeerRestOfUnion = [string, ...(number | boolean)[]];
export type PeerRestOfTuples = [string, ...[number, number][]];
export type PeerReadonlyNamedTuple = readonly [x: number, y?: number];
export type PeerNamedRest = [first: string, ...rest: number[]];
export type PeerTupleWithNull = [null, string | null];
export type PeerOptionalNullableElement = [number, (string | null)?];
export type PeerLongTuple = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
export type PeerTupleOfObjects = [{ id: number }, { name: string }?];
export type PeerTupleOfEnumsAndLiterals = ["a" | "b", 1 | 2, true];
export type PeerEmptyTupleUnion = [] | [string];
export type PeerTupleInObject = { point: [number, number]; path: [number, number][] };
export type PeerTupleRestUndefined = [string, ...undefined[]];

export interface PeerArrayInterface extends Array<{ id: number }> {}
export interface PeerArrayWithExtra extends Array<string> { label?: string }
export type PeerArrayIntersectObject = string[] & { extra?: never };
export type PeerTupleIntersectArray = [number, number] & number[];
export type PeerArrayIntersectArray = (string | number)[] & string[];
export type PeerUnionOfReadonlyArrays = readonly string[] | readonly number[];

/** @minItems 2 @maxItems 4 */
export type PeerBoundedList = number[];
/** @uniqueItems */
export type PeerUniqueList = string[];
export interface PeerArrayAnnotations {
  /** @minItems 1 */
  tuple: [string, ...string[]];
  /** @maxItems 1 */
  optional?: [number?, number?];
  /** @minItems 0 @maxItems 0 */
  empty: string[];
}
export type PeerBoundedListOfLists = PeerBoundedList[];

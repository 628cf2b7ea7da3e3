// `undefined`, `void` and `never` in every position: properties, optional, items, tuples, unions.

export type JustUndefined = undefined;
export type JustVoid = void;
export type JustNever = never;
export type UndefinedOrString = string | undefined;
export type NullOrUndefined = null | undefined;
export type VoidOrNumber = number | void;

export interface UndefinedProps {
  id: string;
  u: undefined;
  v: void;
  gone?: never;
  both: null | undefined;
  maybe: string | undefined;
  optional?: number;
  optionalUndefined?: string | undefined;
  optionalNull?: string | null;
}
export interface NeverRequired { id: number; impossible: never }
export interface AnyUnknownProps { id: string; meta: unknown; extra: any }
export type UndefinedItems = (number | undefined)[];
export type VoidItems = (string | void)[];
export type NeverItems = never[];
export type UndefinedTupleElement = [string, undefined];
export type UndefinedOrNumberTuple = [number | undefined, string];
export type OptionalUndefinedTuple = [string, undefined?];
export type NeverTupleElement = [number, never?];
export type RecordOfOptional = Record<string, number | undefined>;
export type PartialOfRequired = Partial<{ a: string; b: null }>;
export type UnionWithUndefinedObject = { a: string } | undefined;
export type UndefinedInDiscriminated = { k: "a"; x?: undefined } | { k: "b"; x: number };

// typescript-json-schema style: enums, literals, string literal unions, const, keyof, typeof.

export enum NumberedFruit { Apple, Banana, Cherry }
export enum InitializedFrom { Low = 5, Mid, High }
export enum NegativeEnum { Neg = -1, Zero = 0, Pos = 1 }
export enum StringFruit { Apple = "apple", Banana = "banana" }
export enum HeteroEnum { Str = "s", Num = 2, Other = 3 }
export enum ConstantExprEnum { A = 1 + 2, B = A * 2, C = "x".length }
export enum ConcatEnum { Ab = "a" + "b", Cd = `c${"d"}` }
export enum AliasedMembers { First = "f", Second = First }
export enum SingleMember { Only = "only" }
enum MergedLocalEnum { A = 1, B = 2 }
enum MergedLocalEnum { C = 3, D = 4 }
export type MergedEnumAlias = MergedLocalEnum;
export interface UsesMergedEnum { value: MergedLocalEnum; list: MergedLocalEnum[] }
export declare enum DeclaredEnum { X = 10, Y = 20 }
export const enum ConstNumEnum { One = 1, Two = 2 }

export interface EnumValuesInInterface {
  fruit: StringFruit;
  number: NumberedFruit.Banana;
  either: NumberedFruit.Apple | NumberedFruit.Cherry;
  hetero?: HeteroEnum;
  list: InitializedFrom[];
}

export type EnumOrNull = StringFruit | null;
export type EnumKeys = keyof typeof StringFruit;
export type EnumValuesAsRecord = Record<StringFruit, number>;
export type NumEnumRecord = Record<NumberedFruit, string>;

export type Letters = "a" | "b" | "c";
export type LiteralOrString = "auto" | (string & {});
export type LiteralAndStringUnion = "fixed" | string;
export type NumericLiterals = 0 | 1 | -1 | 0.5 | 1e3;
export type BooleanLiteralUnion = true | false;
export type OnlyTrue = true;
export type MixedLiterals = "x" | 1 | true | null;
export type EmptyString = "";
export type WeirdStringLiteral = "with \"quotes\"" | "line\nbreak" | "tab\t" | "ünï" | "\u0000";
export type LiteralOrNumber = "none" | number;

export interface LiteralProps {
  kind: "fixed";
  version: 2;
  enabled: true;
  mode?: "a" | "b";
  level: 1 | 2 | 3 | null;
}

export const SIZES = ["s", "m", "l"] as const;
export type SizeFromConst = (typeof SIZES)[number];
export const PORTS = [80, 443] as const;
export type PortFromConst = (typeof PORTS)[number];
export const CONFIG = { host: "localhost", port: 8080, flags: ["a", "b"] } as const;
export type ConfigType = typeof CONFIG;
export type ConfigHost = (typeof CONFIG)["host"];
export const MUTABLE_CONFIG = { name: "x", size: 1, list: [1, 2] };
export type MutableConfigType = typeof MUTABLE_CONFIG;
export const STATUS = { Active: "active", Inactive: "inactive" } as const;
export type StatusValue = (typeof STATUS)[keyof typeof STATUS];
export type StatusKey = keyof typeof STATUS;

interface KeyedThing { alpha: string; beta: number; 3: boolean; "gamma-delta"?: null }
export type KeyedThingKeys = keyof KeyedThing;
export type KeyedThingStringKeys = Extract<keyof KeyedThing, string>;
export type KeyedThingValues = KeyedThing[keyof KeyedThing];
export type KeysOfUnion = keyof ({ a: 1; b: 2 } | { a: 3; c: 4 });
export type KeysOfIntersection = keyof ({ a: 1 } & { b: 2 });
export interface KeyInKeyOf { picked: { [K in keyof KeyedThing]?: K } }

type Registry = {
  __double: { one: string };
  ___triple: { two: number };
  normal: { three: boolean };
};
export type RegistryMaps = { [Key in keyof Registry]: { [name: string]: Registry[Key] } };

export type LiteralTemplate = `${Letters}-${1 | 2}`;
export type StringEnumTemplate = `${StringFruit}_x`;

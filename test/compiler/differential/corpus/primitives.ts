// Primitives, literals, nullable unions, enums, bigint and Date: one root type per case.

export type Str = string;
export type Num = number;
export type Bool = boolean;
export type Nul = null;
export type BigIntValue = bigint;
export type DateValue = Date;
export type AnyValue = any;
export type UnknownValue = unknown;
export type ObjectKeyword = object;
export type EmptyObjectType = {};

export type LitString = "on";
export type LitNumber = 42;
export type LitNegative = -1.5;
export type LitTrue = true;
export type LitFalse = false;
export type StringLiteralUnion = "red" | "green" | "blue";
export type NumericLiteralUnion = 1 | 2 | 3 | 5 | 8;
export type MixedLiteralUnion = "auto" | 0 | false | null;
export type StringOrNumber = string | number;
export type NullableString = string | null;
export type NullableNumberLiteral = 7 | null;
export type StringOrLiteral = string | "special";
export type NumberOrString = number | string | boolean;

export enum Color { Red = "red", Green = "green", Blue = "blue" }
export enum Direction { Up, Down, Left, Right }
export enum Sparse { One = 1, Ten = 10, Hundred = 100 }
export enum Mixed { Yes = "yes", No = 0 }
export const enum Flag { A = "a", B = "b" }
export enum Shifted { None = 0, Read = 1 << 0, Write = 1 << 1, Both = Read | Write }
export enum Computed { Ok = "ok".length, Fail = 500 }
export enum AllComputed { A = "a".length, B = "bb".length }

export type OneColor = Color.Green;
export type SomeDirections = Direction.Up | Direction.Down;
export type FlagValue = Flag;

export interface WithEnums {
  color: Color;
  direction?: Direction;
  flag: Flag;
  fixed: Color.Red;
}

export interface WithBigInt {
  id: bigint;
  amounts: bigint[];
  maybe?: bigint;
}

export interface WithDates {
  at: Date;
  history: Date[];
  until?: Date | null;
}

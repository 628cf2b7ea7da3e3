// Every JSDoc keyword bentoc reads, on properties and on aliases used in every position.

/** A three-letter ISO currency code. @pattern ^[A-Z]{3}$ */
export type Currency = string;
/** @minimum 0 @maximum 100 */
export type Score = number;
/** @minLength 1 */
export type NonBlank = string;

export interface NumericBounds {
  /** @minimum 0 */
  min: number;
  /** @maximum 10 */
  max: number;
  /** @exclusiveMinimum 0 */
  exclusiveMin: number;
  /** @exclusiveMaximum 1 */
  exclusiveMax: number;
  /** @multipleOf 5 */
  step: number;
  /** @minimum -3 @maximum 3 */
  range?: number;
}

export interface StringBounds {
  /** @minLength 2 */
  short: string;
  /** @maxLength 4 */
  long: string;
  /** @pattern ^[a-z]+$ */
  lower: string;
  /** @format email */
  email: string;
  /** @format uuid */
  id?: string;
  /** @format date */
  day: string;
}

export interface ArrayBounds {
  /** @minItems 1 */
  some: string[];
  /** @maxItems 2 */
  few: number[];
  /** @uniqueItems */
  distinct: number[];
  /** @uniqueItems true @minItems 2 @maxItems 3 */
  all: string[];
}

export interface ObjectBounds {
  /** @minProperties 1 */
  atLeastOne: Record<string, number>;
  /** @maxProperties 2 */
  atMostTwo: Record<string, string>;
}

/** @minProperties 1 @maxProperties 3 */
export type SmallMap = Record<string, boolean>;

export interface Annotated {
  /**
   * How many items to return.
   * @title Limit
   * @default 10
   * @examples [5, 20]
   */
  limit?: number;
  /** @deprecated use `limit` */
  count?: number;
  /** @description Overrides the summary. */
  note: string;
  /** @description */
  cleared?: string;
  /** @default "x" */
  fallback?: string;
}

export interface AliasEverywhere {
  code: Currency;
  codes: Currency[];
  byCode: Record<Currency, number>;
  score: Score;
  scores?: Score[];
  name: NonBlank;
}
export type CurrencyList = Currency[];
export type CurrencyRecord = Record<Currency, Score>;
export type ScoreTuple = [Score, Currency];
export type OptionalCurrency = Currency | undefined;
export type NullableScore = Score | null;

/** Documented interface. @title Documented */
export interface DocumentedObject {
  /** The name. */
  name: string;
}

/** @pattern ^[0-9]+$ */
export type Digits = string;
export interface DigitsInside { value: Digits; list: Digits[]; nested: { deep: Digits } }

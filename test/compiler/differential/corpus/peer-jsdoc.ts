// JSDoc annotations in every position, and namespaces with nested and same-named types.

/**
 * A documented interface.
 * @title Annotated thing
 * @deprecated
 */
export interface PeerAnnotatedThing {
  /**
   * Count of items.
   * @minimum 0
   * @maximum 1000
   * @multipleOf 1
   * @default 1
   * @examples [1, 10]
   */
  count: number;
  /** @exclusiveMinimum -1 @exclusiveMaximum 1 */
  ratio?: number;
  /**
   * @pattern ^[a-z][a-z0-9_-]*$
   * @minLength 3
   * @maxLength 16
   */
  slug: string;
  /** @format uri */
  homepage?: string;
  /** @format email */
  contact: string | null;
  /** @default { "mode": "fast" } */
  options?: { mode: string };
  /** @default null */
  nothing?: string | null;
  /** @readOnly */
  readonlyAnnotated: string;
  /** @writeOnly */
  writeOnlyAnnotated?: string;
  /** @nullable */
  nullableAnnotated?: number;
}

/** @minimum 1 @maximum 5 */
type PeerStars = number;
/** @pattern ^#[0-9a-f]{6}$ */
type PeerHexColor = string;
/** @minLength 1 @maxLength 3 */
type PeerShortCode = string;
export interface PeerAliasInEveryPosition {
  stars: PeerStars;
  starList: PeerStars[];
  starTuple: [PeerStars, PeerHexColor];
  byColor: Record<PeerHexColor, PeerStars>;
  maybeColor?: PeerHexColor | null;
  nested: { code: PeerShortCode };
  codes: readonly PeerShortCode[];
}
export type PeerStarsOrNull = PeerStars | null;
export type PeerHexColorList = PeerHexColor[];
export type PeerStarsRecord = Partial<Record<"a" | "b", PeerStars>>;

export interface PeerDatesAnnotated {
  /** @examples ["2020-01-01T00:00:00.000Z"] */
  defaultFormat: Date;
  /** @format date */
  dateOnly: Date;
  /** @format time */
  timeOnly?: Date;
}

export interface PeerTupleMembersDocumented {
  /** Two documented coordinates. */
  point: [
    /** @minimum -90 @maximum 90 */
    lat: number,
    /** @minimum -180 @maximum 180 */
    lon: number,
  ];
}

export interface PeerIndexDocumented {
  /** @minimum 0 */
  [key: string]: number;
}

export type PeerUnionMembersDocumented =
  /** A number in range. @minimum 0 */
  | number
  /** A short string. @maxLength 2 */
  | string;

/** Annotated alias of an object literal. @minProperties 1 */
export type PeerAnnotatedObjectAlias = { a?: string; b?: number };

/** @deprecated Use something else. */
export type PeerDeprecatedAlias = { old: string };

export interface PeerDescriptionOverride {
  /**
   * Text that is replaced.
   * @description Text that wins.
   */
  value: string;
  /**
   * Multi-line description
   * that spans lines, with `code` and *markdown*.
   */
  multiline?: number;
}

export interface PeerEmptyAnnotations {
  /** @default */
  a?: string;
  /** @examples */
  b?: string;
  /** @deprecated */
  c?: string;
}

export namespace PeerOuter {
  export interface Item { outer: string }
  export namespace Inner {
    export interface Item { inner: number }
    export type Kind = "x" | "y";
    export namespace Deepest {
      export type Code = `c-${number}`;
      export enum Level { Low = 1, High = 9 }
    }
  }
}
export namespace PeerOther {
  export interface Item { other: boolean }
}
export namespace PeerDotted.Path.Name {
  export interface Item { dotted: null }
}
export interface PeerSameNamesAcrossNamespaces {
  a: PeerOuter.Item;
  b: PeerOuter.Inner.Item;
  c: PeerOther.Item;
  d: PeerDotted.Path.Name.Item;
  kind: PeerOuter.Inner.Kind;
}
export type PeerDeepNamespaceCode = PeerOuter.Inner.Deepest.Code;
export type PeerDeepNamespaceEnum = PeerOuter.Inner.Deepest.Level;
export type PeerNamespaceUnion = PeerOuter.Item | PeerOther.Item;
export type PeerNamespaceItemList = PeerOuter.Inner.Item[];

namespace PeerLocalNs {
  export type Alias = { local: string };
}
export type PeerLocalNamespaceAlias = PeerLocalNs.Alias;

interface PeerBox<T> { shadow: T }
export type PeerShadowedBox = PeerBox<number>;
interface Box<T> { mine: T[] }
export type PeerCollidingLocalBox = Box<string>;
interface Point { px: string }
export interface PeerCollidingLocalPoint { p: Point }

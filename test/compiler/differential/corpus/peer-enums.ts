// Enums of every kind, and the types built from them: members, keyof typeof, mapped, template, Record, Exclude.

export enum PeerAutoNumeric { Zero, One, Two }
export enum PeerStartAtFive { Five = 5, Six, Seven }
export enum PeerNegative { Low = -10, Mid = 0, High = 10 }
export enum PeerFloatEnum { Half = 0.5, Quarter = 0.25 }
export enum PeerStringEnum { Alpha = "alpha", Beta = "beta", Dashed = "a-b" }
export enum PeerHeterogeneous { No = 0, Yes = "YES", Maybe = 2 }
export const enum PeerConstNumeric { A = 1, B = 2 }
export enum PeerMemberRefs { Base = 4, Double = Base * 2, Neg = -Base, Inverted = ~Base }
export enum PeerStringRefs { A = "a", B = A, C = `c` }
export enum PeerQuotedMembers { "with space" = "ws", "0x" = 1 }
export enum PeerSingleMember { Only = "only" }

enum PeerMergedEnum { First = "first" }
enum PeerMergedEnum { Second = "second" }
export type PeerMergedEnumAlias = PeerMergedEnum;

enum PeerLocalSize { Small = "s", Medium = "m", Large = "l" }
enum PeerLocalOrientation { Horizontal, Vertical }

export type PeerSizeNames = keyof typeof PeerLocalSize;
export type PeerOrientationNames = keyof typeof PeerLocalOrientation;
export interface PeerEnumKeyProps {
  sizeName?: keyof typeof PeerLocalSize;
  orientationName?: keyof typeof PeerLocalOrientation;
}

export type PeerSizeMap = { [P in PeerLocalSize]?: string };
export type PeerSizeRecord = Record<PeerLocalSize, number>;
export type PeerNumericEnumRecord = Record<PeerLocalOrientation, boolean>;
export type PeerPartialEnumRecord = Partial<Record<PeerStringEnum, number[]>>;
export type PeerNullableEnumMap = { [P in PeerLocalSize]: P | null };
export type PeerEnumTemplate = `${PeerStringEnum}`;
export type PeerNumericEnumTemplate = `${PeerAutoNumeric}`;
export type PeerEnumPrefixed = `size-${PeerLocalSize}`;
export type PeerEnumWithoutOne = Exclude<PeerLocalSize, PeerLocalSize.Medium>;
export type PeerEnumMemberPair = PeerAutoNumeric.Zero | PeerAutoNumeric.Two;
export type PeerEnumOrNull = PeerStartAtFive | null;
export type PeerEnumArray = PeerNegative[];
export type PeerEnumTuple = [PeerAutoNumeric, PeerStringEnum?];

type PeerIsSmall<T> = T extends PeerLocalSize.Small ? "small" : "other";
export type PeerConditionalOnEnum = PeerIsSmall<PeerLocalSize>;

export interface PeerEnumProps {
  /** The size. @default "m" */
  size: PeerLocalSize;
  orientation?: PeerLocalOrientation;
  fixed: PeerLocalSize.Large;
  mixed: PeerHeterogeneous;
  refs: PeerMemberRefs[];
}

/** Documented enum. */
export enum PeerDocumentedEnum {
  /** The first. */
  First = 1,
  /** @deprecated */
  Second = 2,
}

export type PeerTypeofEnum = typeof PeerLocalOrientation;
export type PeerEnumValueIndex = (typeof PeerLocalSize)["Small"];

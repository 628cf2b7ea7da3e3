// Objects and interfaces: object/{}/Object, empty interfaces, index signatures with properties, odd and quoted names,
// unique symbols, declaration merging, multiple inheritance, interfaces extending aliases, classes and utility types.

export type PeerObjectKeyword = { value: object; list: object[] };
export type PeerBraces = { value: {}; maybe?: {} | null };
export type PeerObjectCapital = { value: Object };
export type PeerObjectOrString = object | string;
export interface PeerEmptyInterfaceHolder { empty: PeerNothing; list: PeerNothing[] }
export interface PeerNothing {}
export interface PeerEmptyExtendsEmpty extends PeerNothing {}

export interface PeerIndexWithProps { name: string; count: number; [key: string]: string | number }
export interface PeerIndexWithOptional { id: number; note?: string; [key: string]: number | string | undefined }
export interface PeerNumberAndStringIndex { [index: number]: "n"; [key: string]: string }
export interface PeerNestedIndex { groups: { [group: string]: { [member: string]: boolean } } }
export interface PeerReadonlyIndex { readonly [key: string]: readonly string[] }
export interface PeerIndexOfUnion { [key: string]: { kind: "a" } | { kind: "b"; b: number } }
export type PeerSymbolRecord = Record<symbol, string>;
export interface PeerSymbolIndex { [key: symbol]: number; name: string }

export interface PeerOddNames {
  "a-b": string;
  "0": number;
  "$x": boolean;
  "café": string;
  "with space": null;
  "": string;
  "a.b": number;
  "constructor": string;
  "#hash"?: number;
  _under: string;
  "ünïcödé-ключ"?: string;
}
export interface PeerNumericNames { 1: string; 2.5: number; 0x10: boolean; "-1": string }
export type PeerQuotedInline = { "x-y": { "z-w": number[] } };

const peerKeyConst = "computedKey";
const peerNumKey = 7;
enum PeerKeyEnum { Key = "enumKey" }
export interface PeerComputedNames { [peerKeyConst]: string; [PeerKeyEnum.Key]?: number; [peerNumKey]: boolean }
export type PeerComputedLiteral = { [peerKeyConst]: number; ["literal"]: string };

declare const peerUnique: unique symbol;
const peerInferred = Symbol("inferred");
export interface PeerUniqueSymbolKeys { [peerUnique]: string; [peerInferred]?: number; name: string }
export interface PeerUniqueSymbolValues { name: string; tag: typeof peerUnique }
export interface PeerSymbolIndexValues { structure: { [name: string]: symbol } }

interface PeerMergedInterface { a: string }
interface PeerMergedInterface { b?: number }
interface PeerMergedInterface { c: boolean[] }
export type PeerMergedAlias = PeerMergedInterface;
class PeerMergedClass { x = 0 }
interface PeerMergedClass { y: string }
export type PeerMergedClassAlias = PeerMergedClass;

interface PeerHasId { id: string }
interface PeerHasName { name: string; id: string }
interface PeerHasTimes { created: number; updated?: number }
export interface PeerMultiExtends extends PeerHasId, PeerHasName, PeerHasTimes { extra: boolean }
type PeerAliasBase = { alias: string } & { more: number };
export interface PeerExtendsAlias extends PeerAliasBase { own: null }
export interface PeerExtendsPick extends Pick<PeerHasTimes, "created">, Omit<PeerHasName, "id"> { flag: boolean }
export interface PeerExtendsRecord extends Record<"x" | "y", number> { z: number }
export interface PeerExtendsIndex extends Record<string, number> { total: number }
class PeerDataForInterface { a = 1; b = "x" }
export interface PeerExtendsClass extends PeerDataForInterface { c: boolean }
export interface PeerNarrowingExtends extends PeerHasTimes { updated: number; created: 0 }
interface PeerGenericParent<T> { payload: T }
export interface PeerExtendsGenericTwice extends PeerGenericParent<string[]>, PeerHasId {}

export interface PeerReadonlyEverything {
  readonly a: string;
  readonly b?: readonly number[];
  readonly c: ReadonlyArray<readonly [string, number]>;
  readonly d: Readonly<{ e: string }>;
}
export type PeerPartialNestedRecord = Partial<Record<"a" | "b", Partial<Record<"c" | "d", number>>>>;
export type PeerRecordOfArrays = Record<string, { id: number }[]>;
export type PeerRecordTemplateKeys = Record<`on${Capitalize<"click" | "hover">}`, boolean>;
export type PeerRecordEnumLikeKeys = Record<"1" | "2", "one" | "two">;

export type PeerRegExpHolder = { pattern: RegExp };
export type PeerUrlHolder = { url: URL };
export type PeerDateUnion = Date | null | string;
export type PeerDateRecord = Record<string, Date>;
export type PeerDateTuple = [Date, Date?];
export type PeerPromiseOfObject = Promise<{ a: string; b: number[] }>;
export type PeerPromiseUnion = Promise<{ a: string }> | { a: string };
export type PeerFunctionInUnion = { id: string } | (() => void);
export type PeerMapHolder = { map: Map<string, number> };
export type PeerSetHolder = { set: Set<string> };

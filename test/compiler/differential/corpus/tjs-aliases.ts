// typescript-json-schema style: type aliases, generics (defaults, multiple args, anonymous),
// recursion (self, mutual, through arrays and records), namespaces and modules, symbols,
// functions and hybrids, globalThis, names that shadow built-ins.

export type AliasOfPrimitive = string;
export type AliasOfAlias = AliasOfPrimitive;
export type AliasOfInterface = AliasTarget;
export interface AliasTarget { a: number; b?: AliasOfAlias }
export type AliasAnonymous = { x: number; y: { z: string } };
export type AliasTuple = [AliasOfPrimitive, AliasTarget];
export type AliasUnionOfAliases = AliasOfPrimitive | AliasTarget | AliasTuple;
export type AliasMixed = { list: AliasOfAlias[]; map: Record<string, AliasTarget>; maybe: AliasTarget | null };

interface Container<T = number> { value: T; list: T[] }
interface Pairing<K, V = K> { key: K; value: V }
interface Wrapped<T> { inner: { data: T; meta: Container<T> } }
export type ContainerDefault = Container;
export type ContainerOfString = Container<string>;
export type PairingDefault = Pairing<boolean>;
export type PairingTwo = Pairing<string, number[]>;
export type WrappedUnion = Wrapped<"a" | "b">;
export type ContainerOfContainer = Container<Container<Container<null>>>;
export interface GenericArgsInside { one: Container<Date>; two: Pairing<number, { n: number }>; three: Container<Container>[] }
type DefaultNumber<T = number> = { n: T };
export type UsesDefaultNumber = DefaultNumber;
type AnonymousGeneric<T> = { wrapped: T; also: T[] };
export type AnonymousGenericUse = AnonymousGeneric<AnonymousGeneric<string>>;
interface Constrained<T extends { id: number }> { items: T[]; byId: Record<number, T> }
export type ConstrainedUse = Constrained<{ id: number; name: string }>;

export type JsonValueType = string | number | boolean | null | JsonValueType[] | { [key: string]: JsonValueType };
export type RecursiveRecord = { [key: string]: RecursiveRecord | string };
export type RecursiveArrayAlias = RecursiveArrayAlias[];
export type RecursiveTupleAlias = [number, RecursiveTupleAlias | null];
export interface MutualA { name: string; b?: MutualB }
export interface MutualB { count: number; a: MutualA | null; list: MutualA[] }
export interface MutualThree1 { next: MutualThree2 | null }
export interface MutualThree2 { next: MutualThree3[] }
export interface MutualThree3 { back: Record<string, MutualThree1> }
interface GenericNode<T> { value: T; children?: GenericNode<T>[] }
export type GenericNodeOfNumber = GenericNode<number>;
export type RecursiveUnionAlias = { leaf: string } | { branch: RecursiveUnionAlias[] };
export type RecursiveIntersection = { id: number } & { parent?: RecursiveIntersection };
export type LinkedAlias = { head: number; tail: LinkedAlias | null };
export interface RecursiveWithGeneric { self: Container<RecursiveWithGeneric> | null }

export namespace Outer {
  export interface Item { id: string }
  export namespace Inner {
    export interface Item { code: number }
    export type List = Item[];
  }
  export type Both = { outer: Item; inner: Inner.Item };
}
export type OuterItem = Outer.Item;
export type InnerItem = Outer.Inner.Item;
export type InnerList = Outer.Inner.List;
export type OuterBoth = Outer.Both;
export declare namespace Shadow {
  export class Array { size: number }
  export interface Date { day: string }
  export interface Promise { pending: boolean }
  export class Holder { arr: Shadow.Array; when: Shadow.Date; prom: Shadow.Promise }
}
export type ShadowHolder = Shadow.Holder;
export type ShadowDate = Shadow.Date;

export interface UniqueName1 { shared: { a: string } }
export interface UniqueName2 { shared: { b: number } }
export type UniqueNamesBoth = { one: UniqueName1; two: UniqueName2 };

export const userSymbol: unique symbol = Symbol("user");
export interface UserSymbolKeyed { [userSymbol]: string; normal: number }
export interface SymbolProperty { name: string; sym: symbol }
export type PropertyKeyAlias = PropertyKey;
export type GlobalThisType = typeof globalThis;

export interface FunctionProp { name: string; fn: Function }
export interface OptionalArrowProp { name: string; onChange?: (v: string) => void }
export interface HybridCallable { (x: number): string; label: string }
export interface ConstructSignature { new (x: number): object; label: string }
export type FunctionAlias = (a: string) => number;
export interface MethodOptionalData { id: number; format?(): string }

export type ReadonlyRecordAlias = Readonly<Record<string, readonly number[]>>;
export type PickFromClassless = Pick<AliasTarget, "a">;
export type OmitToEmpty = Omit<AliasTarget, "a" | "b">;
export type ExtractObject = Extract<{ k: "a"; a: 1 } | { k: "b"; b: 2 } | string, { k: "a" }>;
export type ConditionalDistribute = NonNullable<AliasTarget["b"]> extends string ? { s: true } : { s: false };
type ValuesOf<T> = T[keyof T];
export type ValuesOfTarget = ValuesOf<{ a: 1; b: "two"; c: boolean }>;
type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type DeepPartialTarget = DeepPartial<{ a: { b: { c: number; d: string[] } }; e: boolean }>;
type Nullify<T> = { [K in keyof T]: T[K] | null };
export type NullifiedTarget = Nullify<AliasTarget>;

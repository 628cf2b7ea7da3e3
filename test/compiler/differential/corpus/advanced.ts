// Generics, mapped, conditional, template-literal, keyof and indexed-access types, utility types.

interface Box<T> { value: T; label?: string }
interface Page<T, M = { total: number }> { items: T[]; meta: M }
type Maybe<T> = T | null;
interface Profile { id: number; name: string; email?: string; readonly age: number; tags: string[] }

export type BoxOfString = Box<string>;
export type BoxOfBox = Box<Box<number>>;
export type PageOfProfiles = Page<Profile>;
export type PageWithMeta = Page<string, { cursor: string | null }>;
export type MaybeNumber = Maybe<number>;
export interface UsesGenerics { a: Box<boolean>; b: Box<string[]>; c: Maybe<Box<number>> }

export type PartialProfile = Partial<Profile>;
export type RequiredProfile = Required<Profile>;
export type ReadonlyProfile = Readonly<Profile>;
export type PickedProfile = Pick<Profile, "id" | "name">;
export type OmittedProfile = Omit<Profile, "email" | "tags">;
export type ExcludedLiteral = Exclude<"a" | "b" | "c", "b">;
export type ExtractedLiteral = Extract<string | number | boolean, string | boolean>;
export type NonNullableUnion = NonNullable<string | null | undefined>;
export type ProfileKeys = keyof Profile;
export type ProfileName = Profile["name"];
export type ProfileIdOrTags = Profile["id" | "tags"];
export type ArrayElement = Profile["tags"][number];
export type TupleElement = [string, number][1];

type Flags<T> = { [K in keyof T]: boolean };
type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Getters<T> = { [K in keyof T & string as `get${Capitalize<K>}`]: T[K] };
type OptionalAll<T> = { [K in keyof T]+?: T[K] };
type NullableAll<T> = { [K in keyof T]: T[K] | null };
export type ProfileFlags = Flags<Profile>;
export type MutableProfile = Mutable<Readonly<Profile>>;
export type ProfileGetters = Getters<Pick<Profile, "id" | "name">>;
export type OptionalPoint = OptionalAll<{ x: number; y: number }>;
export type NullablePoint = NullableAll<{ x: number; y: string }>;
export type MappedFromUnion = { [K in "north" | "south"]: number };

type Unboxed<T> = T extends Box<infer U> ? U : T;
type ElementOf<T> = T extends readonly (infer E)[] ? E : never;
type IsString<T> = T extends string ? "yes" : "no";
export type UnboxedNumber = Unboxed<Box<number>>;
export type UnboxedPlain = Unboxed<string>;
export type ElementOfArray = ElementOf<boolean[]>;
export type DistributedConditional = IsString<string | number>;
export type ReturnOfFunction = ReturnType<() => { ok: boolean }>;
export type AwaitedValue = Awaited<Promise<Promise<number>>>;

export type UserId = `user-${number}`;
export type Percent = `${number}%`;
export type BigIntText = `${bigint}`;
export type BoolText = `${boolean}`;
export type Greeting = `hello ${string}`;
export type Sized = `${"small" | "large"}-${"red" | "blue"}`;
export type CssLength = `${number}${"px" | "em" | "%"}`;
export type Prefixed = `id_${string}_end`;
export type UpperWord = Uppercase<"abc">;
export type UpperString = Uppercase<string>;
export type Capitalized = Capitalize<"hello" | "world">;
export interface WithTemplateKeys { key: UserId; ratio?: Percent }

// Literals, template literals with unions and intrinsic string types, unions and intersections of every shape.

export type PeerLiteralZero = 0;
export type PeerLiteralEmpty = "";
export type PeerLiteralBigNumbers = 1e21 | -0.001 | 9007199254740991;
export type PeerLiteralNullUnion = "foo" | "bar" | null;
export type PeerLiteralWithString = "foo" | "bar" | string;
export type PeerLiteralHack = "foo" | "bar" | (string & {});
export type PeerLiteralHackRecord = "foo" | "bar" | (string & Record<never, never>);
export type PeerHackOnLiteral = ("foo" & Record<never, never>) | "bar";
export type PeerBooleanLiteralUnion = true | "true" | 1;
export type PeerBoolAndFalse = boolean | false;

export type PeerTemplateUnion = `${"get" | "set"}_${"name" | "age"}`;
export type PeerTemplateNumberSuffix = `v${number}.${number}`;
export type PeerTemplateTwoStrings = `${string}:${string}`;
export type PeerTemplateNull = `${null}` | `${undefined}`;
export type PeerTemplateBoolean = `is-${boolean}`;
export type PeerTemplateLiteralNumbers = `${1 | 2 | 3}x`;
export type PeerTemplateUpper = Uppercase<`id-${string}`>;
export type PeerTemplateLowerUnion = Lowercase<"ABC" | "Def">;
export type PeerTemplateUncapitalize = Uncapitalize<"Hello" | "World">;
export type PeerTemplateCapitalizeString = Capitalize<`x${string}`>;
export type PeerTemplateIntrinsicInside = `pre-${Uppercase<"a" | "b">}-${Lowercase<string>}`;
export type PeerTemplateRegexChars = `a.b*${string}(c)`;
export type PeerTemplateOnlyString = `${string}`;
export type PeerTemplateOnlyNumber = `${number}`;
export interface PeerTemplateProps {
  id: `${"usr" | "org"}_${string}`;
  version?: `${number}.${number}.${number}`;
  flag: `${boolean}`;
}

export type PeerUnionOfTuples = [string, number] | [boolean] | [];
export type PeerUnionTupleOrArray = [number, number] | string[];
export type PeerUnionOfRecords = Record<string, number> | Record<string, string>;
export type PeerUnionNestedAlias = PeerLiteralNullUnion | PeerBooleanLiteralUnion;
export type PeerUnionWithObjectAndPrimitive = { id: number } | string | null;
export type PeerUnionSameShape = { a: 1 } | { a: 2 } | { a: 3 };
export type PeerTaggedByNumber = { tag: 0; zero: true } | { tag: 1; one: string } | { tag: 2 };
export type PeerTaggedNullable = { type: "a"; a: string } | { type: "b"; b: number } | null;
export type PeerTaggedNested = { kind: "leaf"; value: number } | { kind: "pair"; left: PeerTaggedNested; right: PeerTaggedNested };
export type PeerTaggedOptionalTag = { type?: "x"; x: number } | { type: "y"; y: string };

export type PeerIntersectUnions = ("a" | "b" | "c") & ("b" | "c" | "d");
export type PeerIntersectObjectUnion = ({ a: string } | { b: number }) & ({ c: boolean } | { d: null });
export type PeerIntersectConflict = { flag: boolean } & { flag: true };
export type PeerIntersectImpossible = { flag: true } & { flag: false };
type PeerFooField = { foo: "a" | "b" };
export type PeerPartialConflict = (PeerFooField & { foo: "a" }) | (PeerFooField & { foo: "b"; extra: number });
export type PeerIntersectOptional = { a?: string } & { a: string | undefined };
export type PeerIntersectArrays = { list: string[] } & { list: ("a" | "b")[] };
export type PeerIntersectIndex = { [k: string]: string | number } & { name: string; count: number };
export type PeerIntersectRecordLiteral = Record<"x" | "y", number> & { z: string };
export type PeerIntersectThree = { a: 1 } & { b: 2 } & { c: 3 };
export type PeerIntersectEnumUnion = ("x" | "y" | 1) & string;
export type PeerIntersectPrimitiveObject = string & { length: 3 };
interface PeerRecursiveLeft { left?: PeerRecursiveLeft & PeerRecursiveRight }
interface PeerRecursiveRight { right?: number }
export type PeerIntersectRecursive = PeerRecursiveLeft & PeerRecursiveRight;

export type PeerNullableArrayOfNullable = (number | null)[] | null;
export type PeerOptionalEverywhere = {
  a?: string | null;
  b?: (string | undefined)[];
  c?: [number?, (string | null)?];
  d?: { e?: { f?: null } };
  g: undefined | null | 0;
};
export type PeerUndefinedUnionAlias = undefined | "set";
export interface PeerUndefinedProperty { value: undefined; other?: undefined; maybe: string | undefined }
export type PeerNullOnly = { value: null };
export type PeerNeverProperty = { a: string; b?: never; c: never | number };
export type PeerNeverUnion = never | "only";
export type PeerExcludedToNever = Exclude<"a" | "b", string>;

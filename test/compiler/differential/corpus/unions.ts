// Unions (plain, discriminated, nullable) and intersections of objects and primitives.

export interface Circle { kind: "circle"; radius: number }
export interface Square { kind: "square"; side: number }
export interface Triangle { kind: "triangle"; a: number; b: number; c: number }
export type Shape = Circle | Square | Triangle;
export type NullableShape = Shape | null;
export type InlineDiscriminated = { type: "text"; text: string } | { type: "image"; url: string; width?: number };
export type NumericTagged = { v: 1; a: string } | { v: 2; b: number };
export type BooleanTagged = { ok: true; value: number } | { ok: false; error: string };
export type NonDiscriminated = { a: string } | { b: number };
export type OverlappingUnion = { a: string } | { a: string; b: number };
export type UnionOfArrays = string[] | number[];
export type UnionWithArrayAndObject = Point3 | Point3[];
export interface Point3 { x: number; y: number; z: number }
export interface WithShape { shape: Shape; shapes: Shape[]; maybe?: Shape | null }

export type Intersected = { a: string } & { b: number };
export type IntersectedWithInterface = Point3 & { label: string };
export type IntersectedOverlap = { a: string; b?: number } & { b: number };
export type IntersectionOfUnions = ({ a: string } | { b: string }) & { c: number };
export type BrandedString = string & { readonly __brand: "Id" };
export type BrandedNumber = number & { readonly __unit: "ms" };
export type IntersectedRecord = Record<string, number> & { total: number };
export type IntersectedLiteral = "a" & string;

export type UnionWithNever = string | never;
export type UnionOfEnumAndLiteral = "x" | Letter;
export enum Letter { A = "A", B = "B" }
export type NullableObject = { id: number } | null;
export type UnionWithUnknownMember = string | unknown;

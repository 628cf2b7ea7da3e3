// Interfaces, data classes, records and index signatures, nesting, optional and readonly.

export interface Point { x: number; y: number }
export interface Labeled { label: string; point: Point; tags?: string[] }
export interface Nested { outer: { inner: { deepest: { value: string } } } }
export interface OptionalProps { a?: string; b?: number; c: boolean }
export interface ReadonlyProps { readonly id: string; readonly values: readonly number[] }
export interface WithNullable { name: string | null; count?: number | null }
export interface QuotedKeys { "kebab-case": string; "with space"?: number; "0": boolean }
export interface EmptyInterface {}

export interface StringMap { [key: string]: number }
export interface NumberKeys { [index: number]: string }
export interface MixedIndex { known: number; [key: string]: number }
export interface TemplateKeys { [key: `data-${string}`]: string }
export type RecordOfStrings = Record<string, string>;
export type RecordOfObjects = Record<string, Point>;
export type RecordOfLiteralKeys = Record<"a" | "b" | "c", number>;
export type RecordOfNumberKeys = Record<number, boolean>;
export type RecordOfUnknown = Record<string, unknown>;
export type PartialRecord = Partial<Record<"x" | "y", string>>;

export interface Base { id: string; created: number }
export interface Derived extends Base { name: string }
export interface Diamond extends Derived, Labeled { extra?: boolean }
export interface Overridden extends Base { id: "fixed" }

export class DataClass {
  name = "";
  count = 0;
  tags: string[] = [];
  optional?: string;
}

export class WithPrivate {
  visible = 1;
  private hidden = 2;
  protected guarded = 3;
  #secret = 4;
  static shared = 5;
  peek(): number { return this.hidden + this.guarded + this.#secret; }
}

export class Child extends DataClass {
  readonly level: number = 1;
}

export class Constructed {
  constructor(public readonly x: number, public y?: string) {}
}

export class WithGetter {
  raw = "";
  get upper(): string { return this.raw.toUpperCase(); }
}

export interface WithClassMember { data: DataClass; list: Child[] }

export type InlineObject = { a: string; b: { c: number[] } };
export type ObjectUnionInline = { kind: string } | { code: number };

// typescript-json-schema style: classes (abstract, extends, parameter properties, accessors,
// statics, private/protected/readonly members, overridden properties).

export abstract class AbstractShapeData {
  abstract area: number;
  name = "";
}
export abstract class AbstractWithMethod {
  id = 0;
  abstract describe(): string;
}
export class ConcreteFromAbstract extends AbstractShapeData {
  area = 0;
  sides = 3;
}
export class ParamProps {
  constructor(public label: string, public readonly size: number, private secret: string, protected level?: number) {}
}
export class ParamPropsOptional {
  constructor(public title?: string, public count: number | null = null) {}
}
export class StaticsOnly {
  static instances = 0;
  static create(): StaticsOnly { return new StaticsOnly(); }
  value = "";
}
export class GetterSetterPair {
  private _v = 0;
  kept = true;
  get v(): number { return this._v; }
  set v(next: number) { this._v = next; }
}
export class SetterOnly {
  data: string[] = [];
  set last(value: string) { this.data.push(value); }
}
export class ReadonlyFields {
  readonly id: string = "x";
  readonly tags: readonly string[] = [];
  readonly nested: { readonly deep: number } = { deep: 1 };
}
export class ProtectedUnique {
  protected internal = 1;
  public external = 2;
  private other = 3;
  peekOther(): number { return this.other; }
}
export class PrivateOnlyData {
  private a = 1;
  #b = 2;
  public c = "";
}
export class BaseEntity { id = ""; created?: number; kind: string = "base" }
export class OverridingEntity extends BaseEntity {
  override kind: "user" = "user";
  email = "";
}
export class DeepEntity extends OverridingEntity {
  admin = false;
}
export class GenericHolder<T> { item!: T; list: T[] = [] }
export class NumberHolder extends GenericHolder<number> { extra?: string }
export class SelfReferencing {
  name = "";
  parent?: SelfReferencing;
  children: SelfReferencing[] = [];
}
export class WithDefinite {
  id!: string;
  declare note: string | undefined;
  maybe?: boolean;
}
export class WithIndexSignature {
  [key: string]: string | number;
  fixed = "a";
}
export class WithArrowField {
  count = 0;
  onTick = (): void => {};
}
export class WithOptionalCallback {
  name = "";
  callback?: (value: string) => void;
}
export class ImplementsInterface implements HasIdent {
  ident = 1;
  label = "";
}
export interface HasIdent { ident: number }
export interface ExtendsClass extends BaseEntity { extra: boolean }
export interface ExtendsClassWithPrivate extends PrivateOnlyData { more: number }
export class ClassWithDates {
  at: Date = new Date();
  history: Date[] = [];
}
export class ClassWithStaticMethodAndData {
  static parse(text: string): ClassWithStaticMethodAndData { return Object.assign(new ClassWithStaticMethodAndData(), { text }); }
  text = "";
  count?: number;
}
export class ClassWithConstructorBody {
  value: number;
  constructor(value: number) { this.value = value * 2; }
}
export interface ClassesInside {
  entity: OverridingEntity;
  holders: NumberHolder[];
  maybe: ParamProps | null;
}

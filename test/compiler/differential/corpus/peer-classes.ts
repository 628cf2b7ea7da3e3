// Classes in the reference suite's spirit: inheritance, statics, abstract, parameter properties, generics, recursion.

export class PeerPlainClass {
  id = 0;
  name: string = "";
  enabled?: boolean;
  readonly created: string = "";
  static registry: string[] = [];
}

export class PeerInferredFields {
  count = 42;
  label = "x";
  flags = [true, false];
  pair = [1, "a"] as [number, string];
  nothing = null;
}

export class PeerParamProps {
  constructor(
    public readonly id: number,
    public title: string,
    protected secret: string,
    private hidden: number,
    plain: boolean,
    public note?: string,
    public level = 3,
  ) {}
}

export class PeerBaseEntity {
  id = "";
  version = 1;
  static kind = "entity";
}

export class PeerDerivedEntity extends PeerBaseEntity {
  owner = "";
  tags: string[] = [];
}

export class PeerDeeperEntity extends PeerDerivedEntity {
  override version: 2 = 2;
  parent?: PeerDerivedEntity;
}

export abstract class PeerAbstractShape {
  abstract sides: number;
  name = "shape";
}

export class PeerConcreteShape extends PeerAbstractShape {
  sides = 4;
  side = 1;
}

export abstract class PeerAbstractWithMethod {
  value = 0;
  abstract describe(): string;
}

export class PeerStaticOnly {
  static readonly VERSION = "1.0";
  static counter = 0;
}

export class PeerDeclaredFields {
  declare tag: string;
  amount!: number;
  maybe: number | undefined = undefined;
}

interface PeerNamed { name: string }
interface PeerAged { age: number }
export class PeerImplementsMany implements PeerNamed, PeerAged {
  name = "";
  age = 0;
  email: string | null = null;
}

class PeerGenericHolder<T, M = string> {
  value!: T;
  meta?: M;
  history: T[] = [];
}
export type PeerHolderOfNumber = PeerGenericHolder<number>;
export type PeerHolderOfPoint = PeerGenericHolder<{ x: number; y: number }, boolean>;
export class PeerHolderSubclass extends PeerGenericHolder<string[], null> {
  extra = 1;
}

export class PeerClassNode {
  value = 0;
  children: PeerClassNode[] = [];
  parent: PeerClassNode | null = null;
}

export class PeerEmptyClass {}

export class PeerIndexedClass {
  [key: string]: number;
  total = 0;
}

export class PeerPrivateOnlyFields {
  private a = 1;
  protected b = "x";
  #c = true;
  visible = "yes";
  check(): boolean {
    return this.#c && this.a > 0 && this.b.length > 0;
  }
}

/** A class documented at the top. @title Documented class */
export class PeerDocumentedClass {
  /** The identifier. @minimum 1 */
  id = 1;
  /**
   * Display name.
   * @minLength 2
   * @maxLength 20
   */
  name = "ab";
  /** @default [] */
  items: number[] = [];
  constructor(
    /** Created at, as epoch milliseconds. @minimum 0 */
    public createdAt: number,
  ) {}
}

export interface PeerHasClassMembers {
  entity: PeerDeeperEntity;
  shape: PeerConcreteShape;
  holders: PeerHolderOfNumber[];
}

class PeerWithStaticProp {
  static defaultName = "anon";
  static limits = { min: 0, max: 10 };
}
export type PeerStaticPropType = typeof PeerWithStaticProp.defaultName;
export type PeerStaticObjectType = typeof PeerWithStaticProp.limits;
export type PeerInstanceOfClass = InstanceType<typeof PeerDerivedEntity>;
export type PeerConstructorArgs = ConstructorParameters<typeof PeerParamProps>;

export class PeerOptionalMethod {
  value = 0;
  handler?: () => void;
}

export class PeerWithDate {
  at: Date = new Date(0);
  history: Date[] = [];
}

export class PeerReadonlyClassArray {
  readonly items: readonly string[] = [];
  readonly pair: readonly [number, number] = [0, 0];
}

export class PeerOverrideNarrow extends PeerBaseEntity {
  override id: "fixed-id" = "fixed-id";
}

// typescript-json-schema style: annotations and comments (defaults, titles, TJS-only tags,
// tags the reference reads but bentoc does not, inline tags, comments on aliases and items).

export interface DefaultedSettings {
  /** @default 10 */
  retries?: number;
  /** @default "info" */
  level?: "debug" | "info" | "warn";
  /** @default true */
  verbose?: boolean;
  /** @default null */
  proxy?: string | null;
  /** @default [1, 2, 3] */
  steps?: number[];
  /** @default {"a": 1} */
  weights?: Record<string, number>;
  /** @default 0.5 */
  ratio: number;
}

export interface TitledThing {
  /**
   * Short name.
   * @title The Name
   */
  name: string;
  /** @title Count @minimum 1 */
  count?: number;
}

export interface TjsOnlyTags {
  /** @TJS-type integer */
  whole: number;
  /** @TJS-format email */
  mail: string;
  /** @TJS-pattern ^[a-z]+$ */
  slug: string;
  /** @asType integer */
  alsoWhole?: number;
}

export interface ReferenceOnlyTags {
  /** @nullable */
  maybeName: string;
  /** @readOnly */
  frozen: number;
  /** @writeOnly */
  password?: string;
  /** @ignore */
  ignored?: string;
  /** @hidden */
  hiddenField?: number;
}

export interface ConstTagged {
  /** @const 5 */
  five: number;
}

export interface ItemsAnnotated {
  /**
   * @items.minimum 0
   * @items.maximum 9
   */
  digits: number[];
  /** @minItems 2 @maxItems 2 */
  pair: string[];
}

export interface CommentStyles {
  // A line comment is not documentation.
  plain: string;
  /* A block comment is not documentation either. */
  block: number;
  /** Inline {@link CommentStyles} tag inside the text. */
  linked: boolean;
  /**
   * Several paragraphs.
   *
   * Second one, with `code`.
   */
  paragraphs?: string;
}

/** Describes the alias. */
export type DescribedAlias = { a: number };

/**
 * A described array.
 * @minItems 1
 */
export type DescribedArray = string[];

export interface ArrayAndDescription {
  /** The items. @maxItems 3 */
  items: { id: number }[];
  /** Tuple with docs. */
  tuple: [string, number];
}

/** @minimum 1 @maximum 65535 */
export type PortNumber = number;
/** @pattern ^v[0-9]+$ */
export type VersionTag = string;
export interface UsesAnnotatedAliases {
  port: PortNumber;
  ports: PortNumber[];
  version?: VersionTag;
  byVersion: Record<VersionTag, PortNumber>;
}

export interface FormatVariety {
  /** @format date-time */
  at: string;
  /** @format uri */
  link: string;
  /** @format ipv4 */
  address?: string;
  /** @format hostname */
  host?: string;
}

export interface NumberAnnotations {
  /** @multipleOf 0.5 @minimum -10 */
  step: number;
  /** @exclusiveMinimum 0 @exclusiveMaximum 1 */
  fraction: number | null;
  /** @minimum 0 */
  counts: number[];
}

export interface OverrideDescription {
  /** Base docs. */
  a: string;
}
export interface OverridesDescription extends OverrideDescription {
  /** Derived docs. @minLength 3 */
  a: string;
}

export interface DefaultOnRequired {
  /** @default "none" */
  mode: string;
  /** @default 3 */
  size: number;
}

/** @deprecated since v2 */
export interface DeprecatedType { old: string }

export interface ExamplesProps {
  /** @examples ["a", "b"] */
  letter: string;
  /** @examples 3 */
  num?: number;
}

export interface WrongTypedDefault {
  /** @default "ten" */
  count?: number;
}
export interface Json5Defaults {
  /** @default {a: 1} */
  weights?: Record<string, number>;
  /** @default 'single' */
  quote?: "single" | "double";
}

export interface EscapedPatterns {
  /** @pattern ^\d{3}\-\d{4}$ */
  phone: string;
  /** @pattern ^[a-z_\-]+$ */
  slugish?: string;
}
export interface CustomFormats {
  /** @format phone-number */
  phone: string;
  /** @format color-hex */
  color?: string;
}

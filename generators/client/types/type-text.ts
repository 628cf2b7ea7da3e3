/** Printed TypeScript type; `compound` when it is a union or intersection that needs parentheses inside `T[]`. */
export interface TypeText {
  text: string;
  compound: boolean;
  /** For a union, its members, so a union of unions is written flat and without repeats. */
  members?: readonly string[];
}

export const atom = (text: string): TypeText => ({ text, compound: false });

/** `A | B`, flat and without repeats; `unknown` swallows the rest. */
export function unionOf(types: readonly TypeText[]): TypeText {
  const texts = [...new Set(types.flatMap((type) => type.members ?? [type.text]))];
  if (texts.includes("unknown")) return atom("unknown");
  const members = texts.length > 1 ? texts.filter((text) => text !== "never") : texts;
  if (members.length === 0) return atom("never");
  if (members.length === 1) return types.find((type) => type.text === members[0]) ?? atom(members[0]!);
  return { text: members.join(" | "), compound: true, members };
}

/** `A & B`; members that are unions get parentheses. */
export function intersectionOf(types: readonly TypeText[]): TypeText {
  const kept = types.filter((type, index) => type.text !== "unknown" && types.findIndex((other) => other.text === type.text) === index);
  if (kept.length === 0) return atom("unknown");
  if (kept.length === 1) return kept[0]!;
  return { text: kept.map(parenthesised).join(" & "), compound: true };
}

export function parenthesised(type: TypeText): string {
  return type.compound ? `(${type.text})` : type.text;
}

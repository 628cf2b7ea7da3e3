import ts from "typescript";
import { describe, expect, it } from "vitest";
import { placeholderPattern } from "../../compiler/schema/template-literal.js";

// The checker decides what a template literal type admits (`+s` finite for `${number}`, a bigint
// literal for `${bigint}`, each placeholder ending at the first occurrence of the text after it);
// a pattern must admit exactly the strings the checker assigns to the type.
const TEMPLATES = [
  "`${number}`",
  "`${bigint}`",
  "`${number}%`",
  "`user-${number}`",
  "`SN-${bigint}`",
  "`v${number}.${number}`",
  "`${number}-${number}`",
  "`${string}-${number}`",
  "`${number}${number}`",
  "`${bigint}${number}`",
  "`${number}${string}`",
  "`${number}px` | `${number}rem`",
  "`a${string}a`",
  "`${string}ab${string}b`",
  "`${number}e${number}`",
];

const NUMBERS = [
  "0", "1", "-1", "+1", "+-1", "--1", "01", "00.5", "1.", ".5", "-.5", "+.5e-3", ".", "-", "+", "1e5", "1E+5", "1e", "1e+", "e5",
  "1.e5", ".e5", "1ee5", "1.5.2", "0x10", "0X1f", "0xAbC", "-0x10", "+0x10", "0x", "0x1.5", "0b11", "0B01", "0b", "0B2", "0o17", "0O7",
  "0o8", "0o", "1_000", "0xF_F", "Infinity", "-Infinity", "NaN", "1e308", "1e-400", "99999999999999999999999", "1n", "0n", "-0b11",
  "", " ", "\t", "\n", "\u00a0", "\ufeff", "\u2028", "\u3000", "\u180e", "\u200b", " 1 ", "1 \n", "1 2", " \t0x1\n", "- 1", "\u0661", "\uff11",
];
const AFFIXED = NUMBERS.flatMap((text) => [`${text}%`, `user-${text}`, `SN-${text}`, `v${text}.1`, `v1.${text}`, `${text}-${text}`, `${text}px`, `a${text}a`]);
const SPLITS = ["a-b-1", "a--1", "-1-2", "1--2", "v1.2.3", "v.5.1", "v1..2", "12", "123", "1.5", " 1", "1 ", "a1", "xab", "xabb", "abab", "1e5e5", "1px px", "pxpx", "1%%", "%"];

/** Each template as the checker sees it, with the checker's own answer to "may this string be one?". */
function checkedTemplates(templates: readonly string[]) {
  const fileName = "templates.ts";
  const text = templates.map((template, index) => `type T${index} = ${template};`).join("\n");
  const options: ts.CompilerOptions = { strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, lib: ["lib.es2022.d.ts"] };
  const host = ts.createCompilerHost(options);
  const readSource = host.getSourceFile.bind(host);
  host.getSourceFile = (name, version) => (name === fileName ? ts.createSourceFile(name, text, version) : readSource(name, version));
  const program = ts.createProgram([fileName], options, host);
  const checker = program.getTypeChecker();
  return program.getSourceFile(fileName)!.statements.filter(ts.isTypeAliasDeclaration).map((alias) => {
    const type = checker.getTypeAtLocation(alias.name);
    return { type, assignable: (value: string) => checker.isTypeAssignableTo(checker.getStringLiteralType(value), type) };
  });
}

describe("template literal patterns", () => {
  const templates = checkedTemplates([...TEMPLATES, "`${number}`"]);
  it.each(TEMPLATES.map((template, index) => [template, index] as const))("%s admits exactly what the checker assigns to it", (_template, index) => {
    const { type, assignable } = templates[index]!;
    const pattern = new RegExp(`^${placeholderPattern(type)}$`, "u");
    const disagreements = [...NUMBERS, ...AFFIXED, ...SPLITS]
      .filter((value) => pattern.test(value) !== assignable(value))
      .map((value) => `${JSON.stringify(value)}: checker ${assignable(value) ? "accepts" : "refuses"}`);
    expect(disagreements).toEqual([]);
  });

  // `+s` is Infinity past the largest double; where that happens depends on the digits and the
  // exponent together, which no regular expression can weigh, so the pattern is wider there.
  it("admits numbers too large for a double, which the checker refuses", () => {
    const { type, assignable } = templates.at(-1)!;
    const pattern = new RegExp(`^${placeholderPattern(type)}$`, "u");
    for (const value of ["1e309", "-1e999", "9".repeat(400)]) expect([value.slice(0, 8), pattern.test(value), assignable(value)]).toEqual([value.slice(0, 8), true, false]);
  });
});

// JSON Schema validators compile `pattern` with the `u` flag (ajv does), where an escape of a
// character with no meaning (`\-` outside a class, `\_`, `\@`) is a syntax error that JSDoc
// authors, used to non-Unicode regular expressions, write all the time.

const SYNTAX = new Set("^$\\.*+?()[]{}|/");

/**
 * The pattern as a Unicode regular expression accepts it: as written when it compiles with `u`,
 * with needless escapes dropped when only that stands in the way, else undefined.
 */
export function unicodePattern(pattern: string): string | undefined {
  if (compiles(pattern, "u")) return pattern;
  if (!compiles(pattern, "")) return undefined;
  const cleaned = withoutIdentityEscapes(pattern);
  return compiles(cleaned, "u") ? cleaned : undefined;
}

function withoutIdentityEscapes(pattern: string): string {
  let out = "";
  let inClass = false;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === "\\" && index + 1 < pattern.length) {
      const next = pattern[index + 1]!;
      index++;
      // Inside a class `\-` stays: there it is the literal hyphen, and Unicode mode allows it.
      const meaningful = SYNTAX.has(next) || /[A-Za-z0-9]/.test(next) || (inClass && next === "-");
      out += meaningful ? `\\${next}` : next;
      continue;
    }
    if (char === "[") inClass = true;
    else if (char === "]") inClass = false;
    out += char;
  }
  return out;
}

function compiles(pattern: string, flags: string): boolean {
  try {
    new RegExp(pattern, flags);
    return true;
  } catch {
    return false;
  }
}

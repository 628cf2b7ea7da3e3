const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property name as written in a type: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

/** Whether a name can be written bare. */
export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name);
}

/** A name made into an identifier: other characters become `_`, and one may not start with a digit. */
export function toIdentifier(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_$]/g, "_");
  return /^[0-9]/.test(safe) || safe === "" ? `_${safe}` : safe;
}

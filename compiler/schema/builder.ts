import ts = require("typescript");
import type { JsonSchema, JsonSchemaObject } from "../../manifest/types.js";
import type { DiagnosticSink } from "../reporter.js";
import type { SdkSymbols } from "../sdk-symbols.js";
import { withAliasBodyDocs } from "./alias-docs.js";
import { arraySchema } from "./array.js";
import { builtinSchema } from "./builtin.js";
import { enumSchema } from "./enum.js";
import { functionSchema } from "./function.js";
import { intersectionSchema } from "./intersection.js";
import { DEFS_REF, INPUT_DEFS_REF, mergeDirectionDefs, type Direction, type DirectionDefs, type MergedDefs } from "./direction-defs.js";
import { docOfSymbol, withDocs } from "./jsdoc.js";
import { literalSchema } from "./literal.js";
import { defNameOf } from "./naming.js";
import { numericSchema } from "./numeric.js";
import { objectSchema } from "./object.js";
import { primitiveSchema } from "./primitive.js";
import type { TypeSite } from "./site.js";
import { specialSchema } from "./special.js";
import { templateLiteralSchema } from "./template-literal.js";
import { unionSchema } from "./union.js";

/** One module per kind of type: it maps the type, or answers undefined to pass it on. */
export type SchemaKind = (type: ts.Type, site: TypeSite, builder: SchemaBuilder) => JsonSchema | undefined;

// Kinds that never become `$defs`, tried first; then named types get a `$defs` entry
// whose body comes from the structural kinds.
const LEAF_KINDS: readonly SchemaKind[] = [specialSchema, numericSchema, primitiveSchema, literalSchema, templateLiteralSchema, builtinSchema];
const STRUCTURAL_KINDS: readonly SchemaKind[] = [enumSchema, unionSchema, intersectionSchema, arraySchema, functionSchema, objectSchema];

// Anonymous types nested this deep, or named types expanding into new ones this deep
// (`interface Nest<T> { child: Nest<Nest<T>> }`), never end.
const MAX_DEPTH = 64;
const MAX_NAMED_DEPTH = 48;
// Types that branch as they nest (a library's recursive tree written out inline) stay under
// the depth limits but grow exponentially; this bounds one compile's work whatever the input.
const MAX_SCHEMAS = 250_000;
const INPUT_OWNER = " input";

/** A data type that has methods: fine to return, wrong to accept (requests carry plain JSON). */
export interface InputHazard {
  typeName: string;
  /** A required property whose key is a symbol, which no JSON request can bring; absent for methods. */
  symbolKey?: string;
}

/**
 * Maps TypeScript types to JSON Schema 2020-12, collecting named types into shared `$defs`.
 * Requests and responses are mapped separately (see direction-defs.ts) and merged at the end.
 */
export class SchemaBuilder {
  private readonly named: Record<Direction, DirectionDefs> = {
    input: { names: new Map(), bodies: new Map() },
    output: { names: new Map(), bodies: new Map() },
  };
  private readonly hazards = new Map<string, InputHazard[]>();
  private readonly owners: string[] = [];
  private depth = 0;
  private namedDepth = 0;
  private mapped = 0;
  /** The parameter or result being mapped; abandoned once it proves unbounded, so it is reported once, not at every branch. */
  private root: { type: ts.Type; site: TypeSite; abandoned: boolean } | undefined;
  private merged: MergedDefs | undefined;
  /** The way the value being mapped travels; a kind asks it only where JSON differs by direction. */
  direction: Direction = "output";

  constructor(readonly checker: ts.TypeChecker, readonly sdk: SdkSymbols, readonly sink: DiagnosticSink) {}

  schemaFor(type: ts.Type, site: TypeSite): JsonSchema {
    if (this.depth === 0 && this.namedDepth === 0) this.root = { type, site, abandoned: false };
    if (this.root?.abandoned) return {};
    if (++this.mapped > MAX_SCHEMAS) {
      return this.abandon(this.root!.site, this.root!.type, `mapping it takes more than ${MAX_SCHEMAS} schemas; it branches as it nests without a named type to refer back to.`);
    }
    if (this.depth >= MAX_DEPTH) return this.abandon(site, type, "it nests deeper than 64 levels without a named type to refer back to.");
    this.depth++;
    try {
      for (const kind of LEAF_KINDS) {
        const schema = kind(type, site, this);
        if (schema !== undefined) return schema;
      }
      const name = defNameOf(type, this.checker, this.sdk);
      if (!name) return this.structuralSchema(type, site);
      return { $ref: (this.direction === "input" ? INPUT_DEFS_REF : DEFS_REF) + this.defineNamed(type, name, site) };
    } finally {
      this.depth--;
    }
  }

  private abandon(site: TypeSite, type: ts.Type, reason: string): JsonSchema {
    if (this.root && !this.root.abandoned) this.sink.report("BTC2011", site.node, site.label, this.typeText(type), reason);
    if (this.root) this.root.abandoned = true;
    return {};
  }

  /** Records that the type being mapped has methods; reported only if it turns out to be an input. */
  noteInputHazard(hazard: InputHazard): void {
    const owner = this.owners.at(-1);
    if (owner === undefined) return;
    const list = this.hazards.get(owner) ?? [];
    if (!list.some((known) => known.typeName === hazard.typeName && known.symbolKey === hazard.symbolKey)) list.push(hazard);
    this.hazards.set(owner, list);
  }

  /** Maps an input type and returns it with every class-with-methods it contains, inline or through `$ref`s. */
  inputSchemaFor(type: ts.Type, site: TypeSite): { schema: JsonSchema; hazards: InputHazard[] } {
    this.hazards.delete(INPUT_OWNER);
    this.owners.push(INPUT_OWNER);
    let schema: JsonSchema;
    try {
      schema = this.inDirection("input", () => this.schemaFor(type, site));
    } finally {
      this.owners.pop();
    }
    const found = [...(this.hazards.get(INPUT_OWNER) ?? [])];
    for (const name of this.referencedInputDefs(schema)) found.push(...(this.hazards.get(`input:${name}`) ?? []));
    return { schema, hazards: found };
  }

  /** Maps with `direction` set for the duration of `map`. */
  inDirection<T>(direction: Direction, map: () => T): T {
    const outer = this.direction;
    this.direction = direction;
    try {
      return map();
    } finally {
      this.direction = outer;
    }
  }

  /**
   * The shared `$defs` once every API is mapped, sorted by name so output does not depend on
   * traversal order; request schemas must go through `resolveInputRefs` to refer into them.
   */
  finish(): { defs: Record<string, JsonSchema>; resolveInputRefs(schema: JsonSchema): JsonSchema } {
    this.merged ??= mergeDirectionDefs(this.named.input, this.named.output);
    const defs = Object.fromEntries([...this.merged.defs.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return { defs, resolveInputRefs: this.merged.resolveInputRefs };
  }

  private structuralSchema(type: ts.Type, site: TypeSite): JsonSchema {
    for (const kind of STRUCTURAL_KINDS) {
      const schema = kind(type, site, this);
      if (schema !== undefined) return schema;
    }
    this.sink.report("BTC2011", site.node, site.label, this.typeText(type), "no JSON Schema form is known for it.");
    return {};
  }

  /** A type as a message shows it: short enough to read. */
  typeText(type: ts.Type): string {
    const text = this.checker.typeToString(type);
    return text.length > 100 ? `${text.slice(0, 99)}…` : text;
  }

  private defineNamed(type: ts.Type, baseName: string, site: TypeSite): string {
    const { names, bodies } = this.named[this.direction];
    const known = names.get(type);
    if (known) return known;
    if (this.namedDepth >= MAX_NAMED_DEPTH) {
      this.abandon(site, type, "it keeps expanding into new generic instances (a generic type that nests itself with new arguments).");
      return baseName;
    }
    let name = baseName;
    for (let suffix = 2; bodies.has(name); suffix++) name = `${baseName}_${suffix}`;
    names.set(type, name);
    bodies.set(name, {}); // placeholder: a recursive reference finds the name while the body is built
    const owner = `${this.direction}:${name}`;
    this.owners.push(owner);
    // Each named type starts a fresh count: only anonymous nesting is bounded by MAX_DEPTH.
    const outerDepth = this.depth;
    this.depth = 0;
    this.namedDepth++;
    try {
      const symbol = type.aliasSymbol ?? type.getSymbol();
      // A named alias's body is mapped from the resolved type: the docs of aliases it names come from its text.
      const body = withAliasBodyDocs(this.structuralSchema(type, site), type.aliasSymbol, site, this);
      bodies.set(name, symbol ? withDocs(body, [docOfSymbol(symbol, this.checker)], site, this) : body);
    } finally {
      this.owners.pop();
      this.depth = outerDepth;
      this.namedDepth--;
    }
    return name;
  }

  private referencedInputDefs(schema: JsonSchema): Set<string> {
    const found = new Set<string>();
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) return value.forEach(visit);
      if (value === null || typeof value !== "object") return;
      for (const [key, child] of Object.entries(value as JsonSchemaObject)) {
        if (key === "$ref" && typeof child === "string" && child.startsWith(INPUT_DEFS_REF)) {
          const name = child.slice(INPUT_DEFS_REF.length);
          if (!found.has(name)) {
            found.add(name);
            visit(this.named.input.bodies.get(name));
          }
        } else {
          visit(child);
        }
      }
    };
    visit(schema);
    return found;
  }
}

import ts = require("typescript");
import type { ConstantEvaluator } from "./evaluate.js";
import { describeSpec, type OptionSpec } from "./option-specs.js";
import type { DiagnosticSink } from "./reporter.js";
import { closestMatch } from "./suggest.js";

/**
 * Reads a decorator's options argument against its spec. Object and array literals are
 * walked node by node so a bad key or value is reported where it is written; anything
 * else is evaluated to a value first and checked as a whole.
 */
export class OptionReader {
  /** Where each option was written (`traffic.timeout` → its property), to point diagnostics at it. */
  readonly locations = new Map<string, ts.Node>();

  constructor(
    private readonly evaluator: ConstantEvaluator,
    private readonly sink: DiagnosticSink,
    private readonly decorator: string,
  ) {}

  /** The options value, or undefined when a diagnostic was reported for it. */
  read(expression: ts.Expression, spec: OptionSpec, path: string): unknown {
    const node = this.evaluator.unwrap(expression);
    if (spec.kind === "object" && ts.isObjectLiteralExpression(node)) return this.readObjectLiteral(node, spec.fields, path);
    if (spec.kind === "array" && ts.isArrayLiteralExpression(node) && !node.elements.some(ts.isSpreadElement)) {
      const items = node.elements.map((element, index) => this.read(element, spec.items, `${path}[${index}]`));
      return items.includes(undefined) ? undefined : items;
    }
    const evaluation = this.evaluator.evaluate(node);
    if (!evaluation.ok) {
      this.sink.report("BTC1003", evaluation.node, path || "options", evaluation.node.getText());
      return undefined;
    }
    return this.check(evaluation.value, spec, path, expression) ? evaluation.value : undefined;
  }

  private readObjectLiteral(node: ts.ObjectLiteralExpression, fields: Readonly<Record<string, OptionSpec>>, path: string): unknown {
    const result: Record<string, unknown> = {};
    let valid = true;
    for (const property of node.properties) {
      if (ts.isSpreadAssignment(property)) {
        const spread = this.read(property.expression, { kind: "object", fields }, path);
        if (spread === undefined) valid = false;
        else Object.assign(result, spread);
        continue;
      }
      const key = this.evaluator.propertyKey(property.name);
      if (!key.ok) {
        this.sink.report("BTC1003", key.node, path || "options", key.node.getText());
        valid = false;
        continue;
      }
      const name = String(key.value);
      const fieldSpec = fields[name];
      const fieldPath = path ? `${path}.${name}` : name;
      if (!fieldSpec) {
        this.reportUnknownKey(property.name, fieldPath, name, Object.keys(fields));
        valid = false;
        continue;
      }
      this.locations.set(fieldPath, property);
      const initializer = ts.isPropertyAssignment(property) ? property.initializer : ts.isShorthandPropertyAssignment(property) ? property.name : undefined;
      if (!initializer) {
        this.sink.report("BTC1003", property, fieldPath, property.getText());
        valid = false;
        continue;
      }
      const value = this.read(initializer, fieldSpec, fieldPath);
      if (value === undefined) valid = false;
      else result[name] = value;
    }
    return valid ? result : undefined;
  }

  /** Checks an evaluated value, reporting at `node` (the expression it came from). */
  private check(value: unknown, spec: OptionSpec, path: string, node: ts.Node): boolean {
    if (value === undefined) return true;
    const problem = this.problemWith(value, spec, path, node);
    if (problem) this.sink.report("BTC1005", node, problem.path || "options", problem.expected, problem.got);
    return !problem;
  }

  private problemWith(value: unknown, spec: OptionSpec, path: string, node: ts.Node): { path: string; expected: string; got: string } | undefined {
    const mismatch = { path, expected: describeSpec(spec), got: describeValue(value) };
    switch (spec.kind) {
      case "string":
        return typeof value === "string" && (!spec.pattern || spec.pattern.test(value)) ? undefined : mismatch;
      case "number": {
        const fits = typeof value === "number" && Number.isFinite(value) && (!spec.integer || Number.isInteger(value))
          && (spec.minimum === undefined || value >= spec.minimum) && (spec.maximum === undefined || value <= spec.maximum)
          && (!spec.positive || value > 0);
        return fits ? undefined : mismatch;
      }
      case "boolean":
        return typeof value === "boolean" ? undefined : mismatch;
      case "literal":
        return value === spec.value ? undefined : mismatch;
      case "either":
        return spec.options.some((option) => !this.problemWith(value, option, path, node)) ? undefined : mismatch;
      case "array":
        if (!Array.isArray(value)) return mismatch;
        for (const [index, item] of value.entries()) {
          const problem = this.problemWith(item, spec.items, `${path}[${index}]`, node);
          if (problem) return problem;
        }
        return undefined;
      case "record":
      case "object":
        if (value === null || typeof value !== "object" || Array.isArray(value)) return mismatch;
        for (const [key, item] of Object.entries(value)) {
          const itemPath = path ? `${path}.${key}` : key;
          const itemSpec = spec.kind === "record" ? spec.values : spec.fields[key];
          if (!itemSpec) {
            this.reportUnknownKey(node, itemPath, key, Object.keys(spec.kind === "object" ? spec.fields : {}));
            return undefined;
          }
          const problem = item === undefined ? undefined : this.problemWith(item, itemSpec, itemPath, node);
          if (problem) return problem;
        }
        return undefined;
    }
  }

  private reportUnknownKey(node: ts.Node, path: string, key: string, known: string[]): void {
    const suggestion = closestMatch(key, known);
    const hint = suggestion ? ` Did you mean '${suggestion}'?` : ` Known options: ${known.join(", ")}.`;
    this.sink.report("BTC1004", node, path, this.decorator, hint);
  }
}

function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return String(value);
}

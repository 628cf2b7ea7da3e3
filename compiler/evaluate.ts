import ts = require("typescript");

/** A value read from source without running it, or the node that stopped the reading. */
export type Evaluation = { ok: true; value: unknown } | { ok: false; node: ts.Node };

const fail = (node: ts.Node): Evaluation => ({ ok: false, node });
const ok = (value: unknown): Evaluation => ({ ok: true, value });

/**
 * Evaluates decorator arguments statically: literals, object and array literals, `as const`,
 * enum members, references to `const` declarations (also imported ones), and simple
 * arithmetic and string concatenation over those.
 */
export class ConstantEvaluator {
  private readonly inProgress = new Set<ts.Node>();

  constructor(private readonly checker: ts.TypeChecker) {}

  /** Follows parentheses, type assertions and `const` references to the expression that holds the value. */
  unwrap(expression: ts.Expression): ts.Expression {
    let current = expression;
    for (let hops = 0; hops < 32; hops++) {
      if (ts.isParenthesizedExpression(current) || ts.isAsExpression(current) || ts.isSatisfiesExpression(current)
        || ts.isTypeAssertionExpression(current) || ts.isNonNullExpression(current)) {
        current = current.expression;
        continue;
      }
      const initializer = ts.isIdentifier(current) ? this.constInitializer(current) : undefined;
      if (!initializer) return current;
      current = initializer;
    }
    return current;
  }

  evaluate(expression: ts.Expression): Evaluation {
    if (this.inProgress.has(expression)) return fail(expression);
    this.inProgress.add(expression);
    try {
      return this.evaluateNode(expression);
    } finally {
      this.inProgress.delete(expression);
    }
  }

  private evaluateNode(node: ts.Expression): Evaluation {
    if (ts.isStringLiteralLike(node)) return ok(node.text);
    if (ts.isNumericLiteral(node)) return ok(Number(node.text));
    if (node.kind === ts.SyntaxKind.TrueKeyword) return ok(true);
    if (node.kind === ts.SyntaxKind.FalseKeyword) return ok(false);
    if (node.kind === ts.SyntaxKind.NullKeyword) return ok(null);
    if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node)
      || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node)) {
      return this.evaluate(node.expression);
    }
    if (ts.isTemplateExpression(node)) return this.evaluateTemplate(node);
    if (ts.isPrefixUnaryExpression(node)) return this.evaluatePrefix(node);
    if (ts.isBinaryExpression(node)) return this.evaluateBinary(node);
    if (ts.isArrayLiteralExpression(node)) return this.evaluateArray(node);
    if (ts.isObjectLiteralExpression(node)) return this.evaluateObject(node);
    if (ts.isIdentifier(node)) return this.evaluateIdentifier(node);
    if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) return this.evaluateAccess(node);
    return fail(node);
  }

  private evaluateIdentifier(node: ts.Identifier): Evaluation {
    if (node.text === "undefined") return ok(undefined);
    const initializer = this.constInitializer(node);
    return initializer ? this.evaluate(initializer) : fail(node);
  }

  private evaluateAccess(node: ts.PropertyAccessExpression | ts.ElementAccessExpression): Evaluation {
    const enumValue = this.enumMemberValue(node);
    if (enumValue !== undefined) return ok(enumValue);
    // `cfg.TIMEOUT` through `import * as cfg`: the access itself names an exported const.
    const exported = ts.isPropertyAccessExpression(node) ? this.initializerOf(this.checker.getSymbolAtLocation(node.name)) : undefined;
    if (exported) return this.evaluate(exported);
    const target = this.evaluate(node.expression);
    if (!target.ok) return target;
    const key = ts.isPropertyAccessExpression(node) ? ok(node.name.text) : this.evaluate(node.argumentExpression);
    if (!key.ok) return key;
    const container = target.value;
    if (container === null || typeof container !== "object" || !Object.prototype.hasOwnProperty.call(container, String(key.value))) {
      return fail(node);
    }
    return ok((container as Record<string, unknown>)[String(key.value)]);
  }

  private evaluateTemplate(node: ts.TemplateExpression): Evaluation {
    let text = node.head.text;
    for (const span of node.templateSpans) {
      const part = this.evaluate(span.expression);
      if (!part.ok) return part;
      text += String(part.value) + span.literal.text;
    }
    return ok(text);
  }

  private evaluatePrefix(node: ts.PrefixUnaryExpression): Evaluation {
    const operand = this.evaluate(node.operand);
    if (!operand.ok) return operand;
    const value = operand.value;
    switch (node.operator) {
      case ts.SyntaxKind.MinusToken: return typeof value === "number" ? ok(-value) : fail(node);
      case ts.SyntaxKind.PlusToken: return typeof value === "number" ? ok(value) : fail(node);
      case ts.SyntaxKind.ExclamationToken: return ok(!value);
      default: return fail(node);
    }
  }

  private evaluateBinary(node: ts.BinaryExpression): Evaluation {
    const left = this.evaluate(node.left);
    if (!left.ok) return left;
    const right = this.evaluate(node.right);
    if (!right.ok) return right;
    const a = left.value;
    const b = right.value;
    const numbers = typeof a === "number" && typeof b === "number";
    switch (node.operatorToken.kind) {
      case ts.SyntaxKind.PlusToken:
        if (numbers) return ok(a + b);
        return typeof a === "string" || typeof b === "string" ? ok(String(a) + String(b)) : fail(node);
      case ts.SyntaxKind.MinusToken: return numbers ? ok(a - b) : fail(node);
      case ts.SyntaxKind.AsteriskToken: return numbers ? ok(a * b) : fail(node);
      case ts.SyntaxKind.SlashToken: return numbers ? ok(a / b) : fail(node);
      case ts.SyntaxKind.PercentToken: return numbers ? ok(a % b) : fail(node);
      case ts.SyntaxKind.AsteriskAsteriskToken: return numbers ? ok(a ** b) : fail(node);
      case ts.SyntaxKind.QuestionQuestionToken: return ok(a ?? b);
      case ts.SyntaxKind.BarBarToken: return ok(a || b);
      case ts.SyntaxKind.AmpersandAmpersandToken: return ok(a && b);
      default: return fail(node);
    }
  }

  private evaluateArray(node: ts.ArrayLiteralExpression): Evaluation {
    const values: unknown[] = [];
    for (const element of node.elements) {
      if (ts.isSpreadElement(element)) {
        const spread = this.evaluate(element.expression);
        if (!spread.ok) return spread;
        if (!Array.isArray(spread.value)) return fail(element);
        values.push(...spread.value);
        continue;
      }
      const item = this.evaluate(element);
      if (!item.ok) return item;
      values.push(item.value);
    }
    return ok(values);
  }

  private evaluateObject(node: ts.ObjectLiteralExpression): Evaluation {
    const result: Record<string, unknown> = {};
    for (const property of node.properties) {
      if (ts.isSpreadAssignment(property)) {
        const spread = this.evaluate(property.expression);
        if (!spread.ok) return spread;
        if (spread.value === null || typeof spread.value !== "object") return fail(property);
        Object.assign(result, spread.value);
        continue;
      }
      const key = this.propertyKey(property.name);
      if (!key.ok) return key;
      let value: Evaluation;
      if (ts.isPropertyAssignment(property)) value = this.evaluate(property.initializer);
      else if (ts.isShorthandPropertyAssignment(property)) value = this.evaluate(property.name);
      else return fail(property);
      if (!value.ok) return value;
      result[String(key.value)] = value.value;
    }
    return ok(result);
  }

  propertyKey(name: ts.PropertyName): Evaluation {
    if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) return ok(name.text);
    if (ts.isComputedPropertyName(name)) return this.evaluate(name.expression);
    return fail(name);
  }

  /** `Mode.Fast` of any enum: the checker's own lookup answers for `const enum`s only. */
  private enumMemberValue(node: ts.PropertyAccessExpression | ts.ElementAccessExpression): string | number | undefined {
    const direct = this.checker.getConstantValue(node);
    if (direct !== undefined) return direct;
    const symbol = this.checker.getSymbolAtLocation(ts.isPropertyAccessExpression(node) ? node.name : node.argumentExpression);
    const declaration = symbol && symbol.flags & ts.SymbolFlags.EnumMember ? symbol.valueDeclaration : undefined;
    return declaration && ts.isEnumMember(declaration) ? this.checker.getConstantValue(declaration) : undefined;
  }

  /** The initializer of the `const` an identifier refers to, through imports; undefined for anything else. */
  private constInitializer(node: ts.Identifier): ts.Expression | undefined {
    const parent = node.parent;
    // In `{ timeout }` the name's own symbol is the property; the value is the variable it names.
    const symbol = parent && ts.isShorthandPropertyAssignment(parent) && parent.name === node
      ? this.checker.getShorthandAssignmentValueSymbol(parent)
      : this.checker.getSymbolAtLocation(node);
    return this.initializerOf(symbol);
  }

  /** What a `const` (or an `export default <expression>`) holds, through import aliases. */
  private initializerOf(symbol: ts.Symbol | undefined): ts.Expression | undefined {
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const declaration = symbol?.valueDeclaration ?? symbol?.getDeclarations()?.[0];
    if (declaration && ts.isExportAssignment(declaration)) return declaration.expression;
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    const list = declaration.parent;
    if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
    return declaration.initializer;
  }
}
